import { readFileSync } from 'node:fs';
import { GoliveError } from '../errors.js';

export type FeedMode = 'sequential' | 'random' | 'unique';

/** Rows of a CSV data file (first line: column names), handed to iterations one by one. */
export interface DataFeed {
  rows: Array<Record<string, string>>;
  mode: FeedMode;
  /** The row for iteration i; undefined when a unique feed has run out. */
  row(i: number): Record<string, string> | undefined;
}

export function loadCsv(path: string, shown: string, mode: FeedMode): DataFeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GoliveError(
      'GL_FILE_NOT_FOUND',
      `data file ${shown}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      {
        hint: 'data.file is relative to golive.yaml',
      },
    );
  }
  const rows = parseCsv(text);
  const header = rows.shift();
  if (!header || rows.length === 0) {
    throw new GoliveError('GL_ARG_INVALID', `data file ${shown} has no rows`, {
      hint: 'the first line names the columns; each next line is one row',
    });
  }
  return feedFromRows(
    rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))),
    mode,
  );
}

/** A feed over rows already read (a worker thread gets the rows, not the file). */
export function feedFromRows(rows: Array<Record<string, string>>, mode: FeedMode): DataFeed {
  return {
    rows,
    mode,
    row: (i) =>
      mode === 'unique'
        ? rows[i]
        : mode === 'random'
          ? rows[Math.floor(Math.random() * rows.length)]
          : rows[i % rows.length],
  };
}

/** RFC 4180 CSV: commas, double-quoted fields with "" escapes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}
