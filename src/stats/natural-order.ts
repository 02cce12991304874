/**
 * Natural order for names people read: runs of digits compare as numbers, so `/ep/2` comes before
 * `/ep/10` and `user9` before `user10`; everything else compares by code point (not by locale, so
 * the order is the same on every machine). Names equal but for leading zeros (`/ep/01`, `/ep/1`)
 * fall back to code-point order, so the order is total and stable between frames.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      const endA = digitsEnd(a, i);
      const endB = digitsEnd(b, j);
      // Compare the runs as numbers of any length: without leading zeros, the longer is larger.
      const sa = skipZeros(a, i, endA);
      const sb = skipZeros(b, j, endB);
      const byLength = endA - sa - (endB - sb);
      if (byLength !== 0) return byLength < 0 ? -1 : 1;
      for (let k = 0; k < endA - sa; k++) {
        const d = a.charCodeAt(sa + k) - b.charCodeAt(sb + k);
        if (d !== 0) return d < 0 ? -1 : 1;
      }
      i = endA;
      j = endB;
      continue;
    }
    if (ca !== cb) return ca < cb ? -1 : 1;
    i++;
    j++;
  }
  if (i < a.length || j < b.length) return i < a.length ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digitsEnd(s: string, from: number): number {
  let k = from;
  while (k < s.length && isDigit(s.charCodeAt(k))) k++;
  return k;
}

function skipZeros(s: string, from: number, end: number): number {
  let k = from;
  while (k < end - 1 && s.charCodeAt(k) === 48) k++;
  return k;
}
