/**
 * Turning file bytes into text, or saying clearly why they are not text (a binary file, invalid
 * UTF-8). Pure.
 */

export type TextResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly line: number; readonly col: number; readonly message: string };

/**
 * UTF-8 text without a byte order mark. A NUL byte or a byte sequence that is not UTF-8 is an
 * error at that position (line and column counted in characters of the valid text before it).
 */
export function decodeText(bytes: Uint8Array): TextResult {
  const bad = firstInvalidUtf8(bytes);
  const nul = bytes.indexOf(0);
  const stop = bad >= 0 && (nul < 0 || bad < nul) ? bad : nul;
  if (stop >= 0) {
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, stop));
    const { line, col } = lineCol(before, before.length);
    const what = stop === nul ? 'a NUL byte' : `byte 0x${bytes[stop]!.toString(16).padStart(2, '0')} that is not UTF-8`;
    return { ok: false, line, col, message: `not a text file: ${what} at offset ${stop}; a scenario is UTF-8 YAML` };
  }
  return checkText(new TextDecoder('utf-8').decode(bytes));
}

/** The same checks for text already in memory: a NUL character is an error; a BOM is dropped. */
export function checkText(text: string): TextResult {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const { line, col } = lineCol(text, nul);
    return { ok: false, line, col, message: `not a text file: a NUL character at offset ${nul}; a scenario is UTF-8 YAML` };
  }
  return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}

/** 1-based line and column of `index` in `text`. */
export function lineCol(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: index - lineStart + 1 };
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const x = b[i]!;
    if (x < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (x >= 0xc2 && x <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (x >= 0xe0 && x <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (x >= 0xf0 && x <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = x & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const y = b[i + k];
      if (y === undefined || (y & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (y & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
