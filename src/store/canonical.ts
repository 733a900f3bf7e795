/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit), no whitespace,
 * `undefined` and function members dropped (as JSON.stringify does), `toJSON`
 * honoured (dates become ISO strings). Two values that mean the same thing give
 * the same text whatever order their keys were built in, so the text can be hashed.
 *
 * The store keeps its own copy (src/spec has one for the spec hash) so the audit
 * chain never changes because another layer changed its canonical form. Numbers
 * follow JSON.stringify: NaN and ±Infinity become `null`, -0 becomes `0`; the
 * store hashes what it stores, i.e. the value after a JSON round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; inside arrays JSON writes null.
    return text === undefined ? 'null' : text;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((k) => record[k] !== undefined && typeof record[k] !== 'function' && typeof record[k] !== 'symbol')
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${members.join(',')}}`;
}
