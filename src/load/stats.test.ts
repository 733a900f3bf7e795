import { describe, expect, it } from 'vitest';
import { LoadStats } from './stats.js';

/** Percentiles come from a 2-significant-digit histogram: compare them to the ms. */
const rounded = (x: { rps: number; p99: number }) => ({ rps: x.rps, p99: Math.round(x.p99) });

const ok = (stats: LoadStats, doneAt: number, latencyMs: number): void =>
  stats.record('GET /', doneAt - latencyMs, doneAt - latencyMs, doneAt, 200, undefined, undefined, 10);

describe('LoadStats timeline', () => {
  it('keeps per-second counts and percentiles with one reused histogram, gaps as empty rows', () => {
    const stats = new LoadStats(1000);
    for (let k = 0; k < 100; k++) ok(stats, 1000 + k, k < 99 ? 1 : 50); // second 0: p50 1 ms, p99 1 ms, one at 50 ms
    for (let k = 0; k < 10; k++) ok(stats, 2000 + k * 10, 10); // second 1
    expect(rounded(stats.recent(2500))).toEqual({ rps: 100, p99: 1 }); // second 0, closed
    ok(stats, 4200, 100); // second 3 (second 2 had nothing)
    expect(rounded(stats.recent(4100))).toEqual({ rps: 0, p99: 0 }); // second 2 was empty
    expect(rounded(stats.recent(5000))).toEqual({ rps: 1, p99: 100 }); // second 3, still open
    // A late completion for a closed second is counted there.
    ok(stats, 2999, 10);
    const r = stats.result({ target: 't', executor: 'x', corrected: false, startedAt: '', durationMs: 3500 });
    expect(r.timeline.map((row) => [row.t, row.rps, Math.round(row.p50), Math.round(row.p99)])).toEqual([
      [0, 100, 1, 1],
      [1, 11, 10, 10],
      [2, 0, 0, 0],
      [3, 1, 100, 100],
    ]);
    expect(Math.round(r.latency.max)).toBe(100);
    expect(r.requests).toBe(112);
  });

  it('counts responses in the timeline and live rate, as load.rps does: interrupted and timed-out requests are errors only', () => {
    const stats = new LoadStats(0);
    for (let k = 0; k < 4; k++) ok(stats, 100 + k, 1);
    stats.record('GET /', 0, 0, 500, undefined, 'interrupted', undefined, 0);
    stats.record('GET /', 0, 0, 600, undefined, 'timeout', undefined, 0);
    expect(stats.recent(1500).rps).toBe(4);
    const r = stats.result({ target: 't', executor: 'x', corrected: false, startedAt: '', durationMs: 1000 });
    expect(r.timeline[0]).toMatchObject({ rps: 4, errors: 2 });
    expect(r.rps).toBe(4);
    expect(r.requests).toBe(6);
  });
});
