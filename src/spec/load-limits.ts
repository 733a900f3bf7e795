import { z } from 'zod';
import { DurationForm, durationMs } from './common.js';

/**
 * The ranges of the load numbers a user writes, on the command line
 * (`golive load`) and in golive.yaml (`load.scenarios`): one table, so both
 * refuse the same values with the same range in the message, where the value
 * is read. Above the rate, connections and duration bounds one process cannot
 * honour the run; the others keep timers and memory finite (a timer longer
 * than 2^31 ms fires at once in Node).
 */
export const LOAD_LIMITS = {
  /** Arrivals per second. */
  rate: 200_000,
  connections: 20_000,
  pipelining: 1000,
  durationMs: 24 * 3_600_000,
  maxRequests: 1_000_000_000,
  maxInFlight: 1_000_000,
  timeoutMs: 3_600_000,
  gracefulStopMs: 3_600_000,
  thinkMs: 3_600_000,
  /** A flow's weight in a mix. */
  weight: 1_000_000,
} as const;

/** How long requests still in flight at the end of a run may take before they are cut (k6's 30 s is long for a gate). */
export const DEFAULT_GRACEFUL_STOP_MS = 5000;

/** An HTTP method is a token (RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isHttpMethod(text: string): boolean {
  return TOKEN.test(text);
}

/** A header name is a token too (RFC 9110 §5.1). */
export const HEADER_TOKEN = TOKEN;

/** A header value may not hold CR, LF or NUL: they would end the header and start another (RFC 9110 §5.5). */
export const HEADER_VALUE = /^[^\r\n\0]*$/;

/** A written request path: starts with / and holds no whitespace or control character, which would break the request line. */
// eslint-disable-next-line no-control-regex -- the control characters are what it refuses
export const REQUEST_PATH = /^\/[^\s\x00-\x1f\x7f]*$/;

export const HEADER_HINT = "a header name is one word of letters, digits and !#$%&'*+-.^_`|~; a value is one line";

export const METHOD_HINT = "a method is one word of letters, digits and !#$%&'*+-.^_`|~, like GET or POST";

/** Parses a rate: `500`, `500/s`, `30/m`, `2/h` → arrivals per second; undefined when it is not a rate. */
export function parseRate(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|m|h))?\s*$/.exec(text);
  if (!m) return undefined;
  const per = { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
  return Number(m[1]) / per;
}

/** Milliseconds as the shortest duration text: 86400000 → 24h, 500 → 500ms. */
export function formatMs(ms: number): string {
  for (const [unit, f] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms >= f && ms % f === 0) return `${ms / f}${unit}`;
  return `${ms}ms`;
}

/** "from 1ms to 24h": the range of a duration, for messages. */
export function durationRange(minMs: number, maxMs: number): string {
  return `from ${formatMs(minMs)} to ${formatMs(maxMs)}`;
}

export const RATE_RANGE = `above 0 and at most ${LOAD_LIMITS.rate}/s`;

/** A spec duration within a range, refused with the range at its line and column. */
export function rangedDuration(minMs: number, maxMs: number) {
  // One message with this field's range (always within the timer limit): 0 is in range when minMs is 0.
  return DurationForm.refine((text) => durationMs(text) >= minMs && durationMs(text) <= maxMs, {
    error: `must be ${durationRange(minMs, maxMs)}`,
  }).describe(`A duration with a unit: 500ms, 30s, 5m, 1h; ${durationRange(minMs, maxMs)}.`);
}

/** A spec rate (`800/s`, `30/m`, `500`) within the rate range; `zero` allows 0 (a ramp's start or stage target). */
export function rangedRate(zero: boolean, example: string) {
  return z
    .string()
    .regex(/^\d+(?:\.\d+)?(?:\/(?:s|m|h))?$/, { error: `expected a rate like ${example}` })
    .refine(
      (text) => {
        const r = parseRate(text) as number;
        return (zero ? r >= 0 : r > 0) && r <= LOAD_LIMITS.rate;
      },
      { error: zero ? `must be a rate of at most ${LOAD_LIMITS.rate}/s` : `must be a rate ${RATE_RANGE}` },
    );
}

/** A whole number from min to max, with the range in the message (once, however many bounds it breaks). */
export function rangedInt(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.int({ error, abort: true }).min(min, { error }).max(max, { error });
}

/** Stage targets beyond what one process can do: a rate (ramping-arrival-rate) or connections (ramping-connections). */
export function stageTargetProblems(
  executor: string,
  stages: ReadonlyArray<{ target: number | string }>,
  ctx: z.RefinementCtx,
): void {
  const connections = executor === 'ramping-connections';
  stages.forEach((st, i) => {
    const n = parseRate(String(st.target));
    if (n === undefined || n <= (connections ? LOAD_LIMITS.connections : LOAD_LIMITS.rate)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['stages', i, 'target'],
      message: connections
        ? `must be at most ${LOAD_LIMITS.connections} connections`
        : `must be at most ${LOAD_LIMITS.rate}/s`,
    });
  });
}
