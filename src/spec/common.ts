import { z } from 'zod';

/**
 * Small schema pieces several spec sections share. In a file of their own so
 * the section files (drills-ops.ts, drills-release.ts, scan.ts) can import
 * them without the cycle through schema.ts, which imports those sections.
 */

/** A duration with a unit: `500ms`, `30s`, `5m`, `1h`. A bare number is refused: units are never guessed. */
export const Duration = z
  .string({ error: 'expected a duration with a unit, like 30s, 500ms or 5m' })
  .regex(/^\d+(?:\.\d+)?(?:ms|s|m|h)$/, { error: 'expected a duration with a unit, like 30s, 500ms or 5m' })
  .describe('A duration with a unit: 500ms, 30s, 5m, 1h.');

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
