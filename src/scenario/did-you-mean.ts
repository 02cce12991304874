/**
 * "Did you mean" suggestions for misspelled keys and names. Pure; no I/O.
 */

/** Edit distance (insert, delete, substitute, swap of neighbours) between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** Lower case without `_`, `-` and spaces: `spawn_rate`, `Spawn-Rate` and `spawnRate` are alike. */
function fold(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate `word` was most likely meant as, or null when none is close: same letters
 * ignoring case and separators (`spawn_rate` → `spawnRate`), else within an edit distance of about
 * a third of the word's length.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | null {
  const folded = fold(word);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const fc = fold(c);
    if (fc === folded) return c;
    const dist = editDistance(folded, fc);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  return bestDistance <= limit ? best : null;
}

/** `; did you mean \`spawnRate\`?` or ''. */
export function suggestion(word: string, candidates: Iterable<string>): string {
  const m = didYouMean(word, candidates);
  return m === null ? '' : `; did you mean \`${m}\`?`;
}
