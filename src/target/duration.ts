const FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a spec duration (`500ms`, `30s`, `5m`, `1h`) into milliseconds. The schema has already checked the form. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * (FACTOR[m[2] as string] as number);
}
