/**
 * Text width as the terminal shows it, for every screen and table cicada draws (TUI, console,
 * compare): measured with the library Ink measures with (`string-width`), cut with `cli-truncate`
 * (between graphemes, never inside an emoji sequence), so columns line up with emoji, variation
 * selectors and wide characters in them.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/**
 * Display columns of `text`, as Ink measures it (`string-width`): wide East Asian characters and
 * emoji count 2, a variation selector or skin-tone modifier joins its character (`✅` 2, `👍🏽` 2),
 * combining marks 0, ANSI codes 0. Measuring with Ink's own library is what keeps rows aligned.
 */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/**
 * Cuts `text` to at most `width` columns, ending with `…` when cut (`cli-truncate`, which cuts
 * between graphemes, never inside an emoji sequence). cli-truncate can end one column over when
 * the cut falls inside a wide character (`日本語テキスト` at 6 gives `日本語…`, 7 wide): then it is
 * asked for one column less, so the result never exceeds `width`.
 */
export function truncate(text: string, width: number): string {
  return cut(text, width, 'end');
}

/** Cuts from the start, keeping the end (for paths): `…/snapshots/62s`. */
export function truncateStart(text: string, width: number): string {
  return cut(text, width, 'start');
}

function cut(text: string, width: number, position: 'start' | 'end'): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  for (let w = width; w > 0; w--) {
    const out = cliTruncate(text, w, { position });
    if (stringWidth(out) <= width) return out;
  }
  return '';
}

/** Pads (or cuts with `…`) to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - textWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}
