/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit), no whitespace,
 * `undefined` object members dropped (as JSON.stringify does). Two values that
 * mean the same thing give the same text whatever the key order was in the file.
 *
 * Kept local to the spec layer on purpose (the store has its own) so the spec
 * hash never changes because another layer changed its canonical form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // JSON.stringify(undefined) and functions give undefined; inside arrays JSON uses null.
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  }
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((k) => record[k] !== undefined && typeof record[k] !== 'function')
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${members.join(',')}}`;
}
