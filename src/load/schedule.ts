/**
 * Arrival schedules for the open model. Arrival i is due at `at(i)` ms after
 * the start, on an absolute timeline (no drift); `due(t)` counts the arrivals
 * due by t. Constant: i / rate. Ramping: the rate moves linearly through
 * stages, and arrival times invert the integral of the rate.
 */
export interface Schedule {
  /** Intended time of arrival i (0-based), in ms from the start; Infinity after the last stage. */
  at(i: number): number;
  /** Planned length in ms (Infinity when only a count bounds it). */
  totalMs: number;
  /** Planned number of arrivals over totalMs. */
  planned: number;
}

export interface Stage {
  /** Stage length in ms. */
  durationMs: number;
  /** Rate reached at the end of the stage, per second. */
  target: number;
}

export function constantSchedule(rate: number, durationMs = Infinity): Schedule {
  return { at: (i) => (i * 1000) / rate, totalMs: durationMs, planned: Math.floor((durationMs / 1000) * rate) };
}

export function rampingSchedule(startRate: number, stages: Stage[]): Schedule {
  // Per stage: start time (s), start rate, end rate, length (s), arrivals before it.
  const segs: Array<{ t0: number; r0: number; r1: number; d: number; n0: number; n: number }> = [];
  let t0 = 0;
  let r0 = startRate;
  let n0 = 0;
  for (const s of stages) {
    const d = s.durationMs / 1000;
    const n = ((r0 + s.target) / 2) * d;
    segs.push({ t0, r0, r1: s.target, d, n0, n });
    t0 += d;
    n0 += n;
    r0 = s.target;
  }
  return {
    totalMs: t0 * 1000,
    planned: Math.floor(n0),
    at(i) {
      const seg = segs.find((g) => i < g.n0 + g.n);
      if (!seg) return Infinity;
      const k = i - seg.n0;
      const a = (seg.r1 - seg.r0) / (2 * seg.d);
      // Solve a·t² + r0·t = k for t in [0, d].
      const t = Math.abs(a) < 1e-12 ? k / seg.r0 : (-seg.r0 + Math.sqrt(seg.r0 * seg.r0 + 4 * a * k)) / (2 * a);
      return (seg.t0 + Math.min(Math.max(t, 0), seg.d)) * 1000;
    },
  };
}
