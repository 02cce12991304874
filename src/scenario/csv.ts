/**
 * The one CSV reader (data feeders, and results files read back by report/load-results.ts): RFC 4180,
 * comma-separated, fields optionally in double quotes with `""` for
 * a quote inside, CRLF or LF line ends, newlines allowed inside quotes. Pure.
 */

export interface CsvRecord {
  /** 1-based line of the record's first character. */
  readonly line: number;
  readonly fields: readonly string[];
}

export type CsvResult =
  | { readonly ok: true; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly line: number; readonly col: number; readonly message: string };

/**
 * Every record of `text`, in order. Blank lines (outside quotes) are skipped. A quote inside an
 * unquoted field is kept as text; an unclosed quote or text after a closing quote is an error.
 */
export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let col = 1;
  let recordLine = 1;
  let inRecord = false;
  let i = 0;
  const n = text.length;

  const endField = (): void => {
    fields.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    inRecord = false;
  };

  while (i < n) {
    const c = text[i]!;
    if (!inRecord) {
      recordLine = line;
      inRecord = true;
    }
    if (c === '"' && field === '') {
      const openLine = line;
      const openCol = col;
      i++;
      col++;
      let closed = false;
      while (i < n) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            col += 2;
            continue;
          }
          i++;
          col++;
          closed = true;
          break;
        }
        if (q === '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
        field += q;
        i++;
      }
      if (!closed) return { ok: false, line: openLine, col: openCol, message: 'unclosed quote' };
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        return { ok: false, line, col, message: 'unexpected text after a closing quote (write "" for a quote inside a quoted field)' };
      }
      continue;
    }
    if (c === ',') {
      endField();
      i++;
      col++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRecord();
      i += 2;
      line++;
      col = 1;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i++;
      line++;
      col = 1;
    } else {
      field += c;
      i++;
      col++;
    }
  }
  if (inRecord) endRecord();
  return { ok: true, records };
}
