import type { Waiver } from '../model.js';

const subjectKey = (w: Pick<Waiver, 'subject' | 'subjectId'>): string => `${w.subject}\u0000${w.subjectId}`;

/**
 * The waivers that count: of several on one subject (a criterion or a
 * finding, whether `golive waive` or `golive accept` wrote them), only the
 * latest. The earlier ones stay in the store and the audit log; a new waiver
 * replaces the old one's reason, approver and expiry rather than adding a
 * second entry to the report's residual risks. `waivers` come oldest first,
 * as the store lists them.
 */
export function currentWaivers(waivers: readonly Waiver[]): Waiver[] {
  const latest = new Map<string, Waiver>();
  for (const w of waivers) latest.set(subjectKey(w), w);
  const keep = new Set(latest.values());
  return waivers.filter((w) => keep.has(w));
}

/** The waiver that counts now for one subject, if any: the one a new waiver replaces. */
export function currentWaiverOf(
  waivers: readonly Waiver[],
  subject: Pick<Waiver, 'subject' | 'subjectId'>,
): Waiver | undefined {
  const key = subjectKey(subject);
  return waivers.findLast((w) => subjectKey(w) === key);
}

/** For the CLI: `; replaces the waiver of 2026-11-20 by Dana` (or the accepted risk). */
export function describeReplaced(replaced: Waiver | undefined): string {
  if (!replaced) return '';
  const what = replaced.kind === 'accepted-risk' ? 'accepted risk' : 'waiver';
  return `replaces the ${what} of ${replaced.createdAt.slice(0, 10)} by ${replaced.by} (kept in the audit log; only the latest counts)`;
}
