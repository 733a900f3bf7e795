/**
 * Checks and extraction on a captured response. JSON paths are the small,
 * common subset: `$`, `.name`, `['name']`, `[index]` — e.g. `$.data.items[0].id`.
 */
export type Extractor = { json: string } | { regex: string } | { header: string };

export function jsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`JSON path "${path}" must start with $`);
  const steps = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]|\["([^"]+)"\]/g)];
  const consumed = steps.map((m) => m[0]).join('');
  if (consumed !== path.slice(1)) throw new Error(`JSON path "${path}" is not of the form $.a.b[0]`);
  let cur: unknown = value;
  for (const m of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = m[1] ?? m[3] ?? m[4];
    cur = key !== undefined ? (cur as Record<string, unknown>)[key] : (cur as unknown[])[Number(m[2])];
  }
  return cur;
}

export interface Captured {
  head: string;
  body: string;
}

/** The extracted text, or undefined when nothing matched. */
export function extract(e: Extractor, r: Captured): string | undefined {
  if ('header' in e) {
    const m = new RegExp(`\\r\\n${e.header.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\s*([^\\r]*)`).exec(
      r.head,
    );
    return m?.[1]?.trim();
  }
  if ('regex' in e) {
    const m = new RegExp(e.regex).exec(r.body);
    return m ? (m[1] ?? m[0]) : undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.body);
  } catch {
    return undefined;
  }
  const v = jsonPath(parsed, e.json);
  return v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
