import { z } from 'zod';

/**
 * Small schema pieces several spec sections share. In a file of their own so
 * the section files (drills-ops.ts, drills-release.ts, scan.ts) can import
 * them without the cycle through schema.ts, which imports those sections.
 */

const DURATION_FORM = /^\d+(?:\.\d+)?(?:ms|s|m|h)$/;
const DURATION_PARTS = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_FORM_ERROR = 'expected a duration with a unit, like 30s, 500ms or 5m';

/**
 * The longest duration any spec field takes: 2^31-1 ms (about 24.8 days), the
 * longest timer Node can set. A longer one would fire after 1 ms (Node prints
 * TimeoutOverflowWarning), so every probe or drill would time out at once.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** A bound as written in a message: "10m", "1h", or "2147483647ms (about 24.8 days)" for the timer limit. */
function shownBound(ms: number): string {
  if (ms === MAX_DURATION_MS) return `${ms}ms (about 24.8 days, the longest timer golive can set)`;
  for (const unit of ['h', 'm', 's'] as const) {
    const n = ms / (UNIT_MS[unit] as number);
    if (Number.isInteger(n)) return `${n}${unit}`;
  }
  return `${ms}ms`;
}

/** Milliseconds of a duration in the schema's form; NaN when it is not one, Infinity when its digits overflow. */
export function durationMs(text: string): number {
  const m = DURATION_PARTS.exec(text);
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : Number.NaN;
}

/** The form of a duration only (a number and a unit); the range is its caller's: boundedDuration, or load's rangedDuration. */
export const DurationForm = z
  .string({ error: DURATION_FORM_ERROR })
  .regex(DURATION_FORM, { error: DURATION_FORM_ERROR });

/**
 * A duration with a unit (`500ms`, `30s`, `5m`, `1h`), range-checked where it
 * is read: above 0 unless `zero` (a 0s timeout or interval means nothing), and
 * at most `max` (default and ceiling: MAX_DURATION_MS). A bare number is
 * refused: units are never guessed.
 */
export function boundedDuration(opts: { zero?: boolean; max?: string } = {}) {
  const max = Math.min(opts.max === undefined ? MAX_DURATION_MS : durationMs(opts.max), MAX_DURATION_MS);
  const range = opts.zero ? `from 0 to ${shownBound(max)}` : `above 0, at most ${shownBound(max)}`;
  return DurationForm.superRefine((text, ctx) => {
    const ms = durationMs(text);
    if (ms > max || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `${text} is too long: expected a duration ${range}` });
    } else if (ms === 0 && !opts.zero) {
      ctx.addIssue({
        code: 'custom',
        message: `${text} means nothing here: expected a duration ${range}`,
      });
    }
  });
}

/** A duration above 0 and at most MAX_DURATION_MS (see boundedDuration). */
export const Duration = boundedDuration().describe(
  `A duration with a unit: 500ms, 30s, 5m, 1h; above 0, at most ${MAX_DURATION_MS}ms (about 24.8 days).`,
);

/** A regular expression written in the spec; refused at validate time when it does not compile. */
export const Regex = z
  .string()
  .min(1)
  .refine(
    (s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'expected a valid regular expression (JavaScript syntax)' },
  );
