import { readFileSync } from 'node:fs';
import { GoliveError } from '../errors.js';

/** The kinds of reports the scan imports; named in every error so the user knows which setting is at fault. */
export type ImportKind = 'coverage' | 'npm audit' | 'SARIF' | 'baseline';

/** Reads an imported report; a missing or unreadable file is GL_FILE_NOT_FOUND naming the file and the setting. */
export function readImport(path: string, kind: ImportKind, hint: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GoliveError(
      'GL_FILE_NOT_FOUND',
      `${kind} file ${path}: ${code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a folder' : ((e as Error).message ?? code)}`,
      { hint },
    );
  }
}

/** A malformed import: names the file (with line:column when known), what is wrong and how to fix it. */
export function invalidImport(
  file: string,
  kind: ImportKind,
  message: string,
  hint: string,
  at?: { line: number; column: number },
): GoliveError {
  return new GoliveError('GL_SCAN_IMPORT_INVALID', `${file}: not a valid ${kind} file: ${message}`, {
    hint,
    // The problem line already starts with file:line:column; don't say the position twice.
    problems: [
      { file, ...(at ?? {}), message: message.replace(/ at line \d+, column \d+/, '').replace(/^line \d+: /, '') },
    ],
  });
}

/** JSON.parse with the error turned into file:line:column. */
export function parseJsonImport(text: string, file: string, kind: ImportKind, hint: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const message = (e as Error).message;
    const pos = /at position (\d+)/.exec(message);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    let at: { line: number; column: number } | undefined;
    if (lineCol) at = { line: Number(lineCol[1]), column: Number(lineCol[2]) };
    else if (pos) at = positionOf(text, Number(pos[1]));
    else if (/end of JSON input/i.test(message)) at = positionOf(text, text.length);
    const reason = `invalid JSON${at ? ` at line ${at.line}, column ${at.column}` : ''}: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}`;
    throw invalidImport(file, kind, reason, hint, at);
  }
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Describes a JSON value's type for messages: "a string", "an array", "null". */
export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' ? 'an object' : `a ${t}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
