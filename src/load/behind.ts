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
  return fallingBehindOf(r.dropped, [r.inFlightTrend]);
}

/**
 * The same for merged results (workers, segments, scenarios): dropped arrivals
 * add, but the growth rule holds per share — its absolute "+10" applied to a
 * sum would flag shares that each kept up — so a merged run fell behind when
 * one of its shares' queues grew.
 */
export function fallingBehindOf(
  dropped: number,
  trends: ReadonlyArray<LoadResult['inFlightTrend']>,
): string | undefined {
  const reasons: string[] = [];
  if (dropped > 0) reasons.push(`${dropped} arrival${dropped === 1 ? '' : 's'} dropped`);
  const growing = trends.filter((t): t is { mid: number; end: number } =>
    Boolean(t && t.end > Math.max(t.mid * 1.5, t.mid + 10)),
  );
  if (growing.length === 1) {
    const t = growing[0] as { mid: number; end: number };
    reasons.push(`in flight still growing at the end (${t.mid} at the middle of the run, ${t.end} at the end)`);
  } else if (growing.length > 1)
    reasons.push(
      `in flight still growing at the end in ${growing.length} of ${trends.length} shares (${growing
        .map((t) => `${t.mid} → ${t.end}`)
        .join(', ')})`,
    );
  return reasons.length ? reasons.join('; ') : undefined;
}
