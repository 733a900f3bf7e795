/** One share of a test split across processes or machines: `--segment 2/3` is the second of three. */
export interface Segment {
  index: number;
  count: number;
}

export function parseSegment(text: string): Segment | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}

/** This segment's whole-number share of `total`; the shares of all segments add up to `total`. */
export function shareOf(total: number, s: Segment): number {
  return Math.floor(total / s.count) + (s.index - 1 < total % s.count ? 1 : 0);
}

/** Checks that results are every segment of one test, each once; returns what is wrong, or undefined. */
export function segmentProblem(segments: Array<Segment | undefined>): string | undefined {
  if (segments.some((s) => s === undefined))
    return 'a file is not a segment result (run each share with --segment i/n --out FILE)';
  const count = (segments[0] as Segment).count;
  if (segments.some((s) => (s as Segment).count !== count)) return 'the files come from tests split in different ways';
  const seen = new Set(segments.map((s) => (s as Segment).index));
  if (seen.size !== segments.length) return 'a segment appears twice';
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  return missing.length
    ? `segment${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`
    : undefined;
}
