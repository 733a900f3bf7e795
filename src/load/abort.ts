import { parseThreshold, type ParsedThreshold } from '../gate/threshold.js';

/** What the engine knows mid-run. */
export interface LiveFigures {
  elapsedMs: number;
  requests: number;
  errors: number;
  dropped: number;
  /** Arrivals planned for the whole run, when the run is bounded by a schedule or a count. */
  planned: number | undefined;
  /** Requests slower than each watched latency bound, in the order of `watchMs`. */
  slower: number[];
}

export interface AbortPlan {
  /** Latency bounds (ms) the engine must count requests above. */
  watchMs: number[];
  /** The first threshold that can no longer pass, or undefined. */
  check(live: LiveFigures): string | undefined;
}

/**
 * Abort-on-fail that never stops a run that could still pass: only thresholds
 * whose failure is already certain stop it.
 *
 * - `errors` and `dropped` only grow: over the bound now is over it at the end.
 * - `error_rate < X` with a planned total N: errors ≥ X·N fails whatever comes next.
 * - `latency.pQ < B` with a planned total N: more than (1 − Q)·N requests already slower than B.
 *
 * Other thresholds (rps, lower bounds) are judged at the end only.
 * `metrics` are the names as the run reports them, e.g. `load.error_rate` or `load.browse.latency.p95`.
 */
export function planAbort(thresholds: Array<{ name: string; expr: string }>, prefix: string): AbortPlan {
  const rules: Array<(live: LiveFigures) => string | undefined> = [];
  const watchMs: number[] = [];
  for (const { name, expr } of thresholds) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const metric = name.slice(prefix.length + 1);
    let t: ParsedThreshold;
    try {
      t = parseThreshold(expr);
    } catch {
      continue;
    }
    const upper = t.op === '<' || t.op === '<=' || t.op === '==';
    const over = (v: number): boolean => (t.op === '<' ? v >= t.value : v > t.value);
    if (!upper) continue;
    if (metric === 'errors' || metric === 'dropped') {
      rules.push((l) =>
        over(metric === 'errors' ? l.errors : l.dropped)
          ? `${name} ${expr} can no longer pass (${metric === 'errors' ? l.errors : l.dropped} so far)`
          : undefined,
      );
    } else if (metric === 'error_rate' && t.kind === 'ratio') {
      rules.push((l) =>
        l.planned && over(l.errors / l.planned)
          ? `${name} ${expr} can no longer pass (${l.errors} errors of ${l.planned} planned requests)`
          : undefined,
      );
    } else {
      const m = /^latency\.p(\d+)$/.exec(metric);
      if (!m || t.kind !== 'duration' || t.op === '==') continue;
      const quantile = Number(`0.${m[1]}`); // p95 → 0.95, p999 → 0.999
      const index = watchMs.push(t.value) - 1;
      rules.push((l) => {
        if (!l.planned) return undefined;
        const slower = l.slower[index] ?? 0;
        return slower > (1 - quantile) * l.planned
          ? `${name} ${expr} can no longer pass (${slower} of ${l.planned} planned requests already slower)`
          : undefined;
      });
    }
  }
  return {
    watchMs,
    check: (live) => {
      for (const r of rules) {
        const reason = r(live);
        if (reason) return reason;
      }
      return undefined;
    },
  };
}
