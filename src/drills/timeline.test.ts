import { describe, expect, it } from 'vitest';
import { buildTimeline, percentile, withPhaseStats, type ProbeSample } from './timeline.js';

const s = (t: number, ms: number, ok = true, version?: string): ProbeSample => ({
  t,
  ms,
  ok,
  ...(version ? { version } : {}),
  ...(ok ? {} : { error: 'connection refused' }),
});

describe('buildTimeline', () => {
  it('folds samples into 1 s buckets by send time, with errors, percentiles and the most common version', () => {
    const samples = [
      s(0, 10, true, 'v1.4.0'),
      s(100, 20, true, 'v1.4.0'),
      s(900, 30, true, 'v1.3.2'),
      s(1000, 5, false),
      s(1500, 7, true, 'v1.3.2'),
    ];
    expect(buildTimeline(samples, 3000)).toEqual([
      { t: 0, requests: 3, errors: 0, p50: 20, p95: 30, version: 'v1.4.0' },
      { t: 1000, requests: 2, errors: 1, p50: 5, p95: 7, version: 'v1.3.2' },
      // An empty second is kept: a stall shows as a gap, not as nothing.
      { t: 2000, requests: 0, errors: 0, p50: null, p95: null },
    ]);
  });

  it('puts a late sample in the last bucket and always returns at least one', () => {
    expect(buildTimeline([s(2500, 1)], 2000).map((b) => b.requests)).toEqual([0, 1]);
    expect(buildTimeline([], 0)).toEqual([{ t: 0, requests: 0, errors: 0, p50: null, p95: null }]);
  });
});

describe('withPhaseStats', () => {
  it('counts the samples sent inside the phase, and the versions in order of appearance', () => {
    const samples = [s(0, 1, true, 'v1.4.0'), s(500, 3, false), s(600, 2, true, 'v1.3.2'), s(1200, 9, true, 'v1.3.2')];
    expect(withPhaseStats({ name: 'rollback', startMs: 0, endMs: 1000, ok: true }, samples)).toEqual({
      name: 'rollback',
      startMs: 0,
      endMs: 1000,
      ok: true,
      requests: 3,
      errors: 1,
      p95: 3,
      versions: ['v1.4.0', 'v1.3.2'],
    });
  });
});

describe('percentile', () => {
  it('is nearest-rank and null without values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});
