import type { LoadResult } from './stats.js';

/**
 * Whether an open-model run fell behind the rate it offered, and why:
 * arrivals dropped (no connection free within the in-flight bound, or still
 * waiting for one when the window closed), or arrivals in flight still
 * growing at the end — more than half again, and by more than 10, what they
 * were at the middle of the window: the target served fewer than arrived, so
 * the queue had no bound. Undefined when it kept up. A closed-model run cannot
 * fall behind: its next request waits for the target.
 */
export function fallingBehind(r: Pick<LoadResult, 'dropped' | 'inFlightTrend'>): string | undefined {
  const reasons: string[] = [];
  if (r.dropped > 0) reasons.push(`${r.dropped} arrival${r.dropped === 1 ? '' : 's'} dropped`);
  const t = r.inFlightTrend;
  if (t && t.end > Math.max(t.mid * 1.5, t.mid + 10))
    reasons.push(`in flight still growing at the end (${t.mid} at the middle of the run, ${t.end} at the end)`);
  return reasons.length ? reasons.join('; ') : undefined;
}
