import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../load/stats.js';
import {
  drillChart,
  drillTimeline,
  latencyOverTime,
  percentileSpectrum,
  spectrumGrid,
  throughputOverTime,
  type ScenarioResult,
} from './charts.js';
import { sampleReportModel } from './fixture.js';

const sample = (): ScenarioResult =>
  structuredClone((sampleReportModel().evidence[0]!.data!.scenarios as Record<string, ScenarioResult>).checkout!);

/** A histogram in µs, as the load engine records it, with `n` values 1 ms, 2 ms, … n ms. */
function encoded(n: number, scale = 1): string {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (let i = 1; i <= n; i++) h.recordValue(i * 1000 * scale);
  return hdr.encodeIntoCompressedBase64(h);
}

describe('load charts', () => {
  it('draws p50/p95/p99 per second and leaves a gap for a second without requests', () => {
    const r = sample();
    r.timeline = [
      { t: 0, rps: 10, errors: 0, dropped: 0, p50: 4, p95: 9, p99: 12, inFlight: 2 },
      { t: 1, rps: 0, errors: 0, dropped: 3, p50: 0, p95: 0, p99: 0, inFlight: 0 },
      { t: 2, rps: 12, errors: 1, dropped: 0, p50: 5, p95: 10, p99: 15, inFlight: 3 },
    ];
    const c = latencyOverTime(r);
    expect(c.kind).toBe('time');
    expect(c.x).toEqual([0, 1, 2]);
    expect(c.series.map((s) => [s.label, s.values])).toEqual([
      ['p50', [4, null, 5]],
      ['p95', [9, null, 10]],
      ['p99', [12, null, 15]],
    ]);
    expect(c.yLabel).toContain('from intended send');
    const t = throughputOverTime(r);
    expect(t.series.map((s) => [s.label, s.values, s.right ?? false])).toEqual([
      ['requests', [10, 0, 12], false],
      ['errors', [0, 0, 1], true],
      ['dropped', [0, 3, 0], true],
    ]);
  });

  it('says a closed-model latency is service time, not corrected', () => {
    const r = { ...sample(), corrected: false };
    expect(latencyOverTime(r).yLabel).toBe('service time, ms (not corrected)');
    const s = percentileSpectrum(r);
    expect(s.series).toHaveLength(1);
    expect(s.series[0]!.label).toBe('service time (not corrected)');
  });

  it('steps 1/(1-p) ten times a decade up to the number of values, then the maximum', () => {
    const g = spectrumGrid(1000);
    expect(g[0]).toBe(1);
    expect(g).toContain(10);
    expect(g).toContain(100);
    expect(g.at(-2)).toBeCloseTo(794.328, 3);
    expect(g.at(-1)).toBe(1000);
    expect(g).toHaveLength(31);
    expect(spectrumGrid(1)).toEqual([1.5]);
  });

  it('computes the percentile spectrum from the encoded histograms when the evidence has them', () => {
    const r: ScenarioResult = {
      ...sample(),
      requests: 1000,
      histograms: { latency: encoded(1000, 2), serviceTime: encoded(1000) },
    };
    const s = percentileSpectrum(r);
    expect(s.kind).toBe('spectrum');
    expect(s.x).toEqual(spectrumGrid(1000));
    const [latency, service] = s.series;
    const at = (x: number, series: typeof latency) => series!.values[s.x.indexOf(x)];
    // 1000 values 2, 4, … 2000 ms: p50 (x = 2 is not on the grid; x = 10 is p90) …
    expect(at(10, latency)).toBeCloseTo(1800, -1);
    expect(at(100, latency)).toBeCloseTo(1980, -1);
    expect(latency!.values.at(-1)).toBeCloseTo(2000, -1); // the maximum
    expect(at(10, service)).toBeCloseTo(900, -1);
    expect(service!.dash).toBe(true);
    // Monotonic: a spectrum never goes down.
    const v = latency!.values as number[];
    for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
  });

  it('falls back to the recorded percentiles when the histograms are absent or unreadable', () => {
    const r = sample();
    for (const histograms of [undefined, { latency: 'not base64 at all!', serviceTime: '' }]) {
      const s = percentileSpectrum({ ...r, histograms } as ScenarioResult);
      expect(s.x).toEqual([2, 10, 20, 100, 1000, 60_720]);
      expect(s.series[0]!.values).toEqual([41, 112, 142, 388, 612, 904]);
      expect(s.series[1]!.values).toEqual([41, 112, 131, 350, 612, 904]);
    }
    // Fewer requests than 1/(1-p): that percentile is left out and the max closes the line.
    const few = percentileSpectrum({ ...r, requests: 50 });
    expect(few.x).toEqual([2, 10, 20, 50]);
    expect(few.series[0]!.values).toEqual([41, 112, 142, 904]);
  });

  it('reads the encoded histograms of a real load result shape', () => {
    const r = sample() as unknown as LoadResult;
    r.histograms = { latency: encoded(10), serviceTime: encoded(10) };
    const s = percentileSpectrum(r);
    expect(s.x.at(-1)).toBe(10);
    expect(s.series[0]!.values.at(-1)).toBeCloseTo(10, 1);
  });
});

describe('rollback drill chart', () => {
  const data = {
    timeline: [
      { t: 0, requests: 10, errors: 0, p50: 5, p95: 9, version: 'v1.3.2' },
      { t: 1000, requests: 9, errors: 1, p50: 6, p95: 40, version: 'v1.4.0' },
      { t: 2000, requests: 0, errors: 0, p50: null, p95: null },
      { t: 3000, requests: 8, errors: 3, p50: 7, p95: 220, version: 'v1.3.2' },
    ],
    phases: [
      { name: 'deploy', startMs: 0, endMs: 1500, ok: true },
      { name: 'rollback', startMs: 1500, endMs: 3200, ok: false },
    ],
  };

  it('reads the documented timeline and phases', () => {
    const d = drillTimeline(data)!;
    expect(d.timeline).toHaveLength(4);
    expect(d.timeline[2]).toEqual({ t: 2000, requests: 0, errors: 0, p50: null, p95: null });
    expect(d.phases).toEqual(data.phases);
    const c = drillChart(d);
    expect(c.x).toEqual([0, 1, 2, 3]);
    expect(c.series.map((s) => [s.label, s.values])).toEqual([
      ['requests', [10, 9, 0, 8]],
      ['errors', [0, 1, 0, 3]],
      ['p95', [9, 40, null, 220]],
    ]);
    expect(c.series[2]!.right).toBe(true);
    expect(c.bands).toEqual([
      { from: 0, to: 1.5, label: 'deploy', ok: true },
      { from: 1.5, to: 3.2, label: 'rollback', ok: false },
    ]);
    expect(c.markers).toEqual([
      { at: 0, label: 'v1.3.2' },
      { at: 1, label: 'v1.4.0' },
      { at: 3, label: 'v1.3.2' },
    ]);
  });

  it('gives nothing without a usable timeline, and skips malformed entries', () => {
    expect(drillTimeline(undefined)).toBeUndefined();
    expect(drillTimeline({})).toBeUndefined();
    expect(drillTimeline({ timeline: 'x' })).toBeUndefined();
    expect(drillTimeline({ timeline: [{ t: 'a', requests: 1, errors: 0 }] })).toBeUndefined();
    const d = drillTimeline({
      timeline: [
        { t: 1000, requests: 2, errors: 0, p50: 'slow', p95: Infinity },
        null,
        { t: 0, requests: 1, errors: 1 },
      ],
      phases: [{ name: 'deploy', startMs: 5, endMs: 1 }, { name: 7 }, { name: 'settle', startMs: 0, endMs: 10 }],
    })!;
    expect(d.timeline.map((b) => b.t)).toEqual([0, 1000]);
    expect(d.timeline[1]).toEqual({ t: 1000, requests: 2, errors: 0, p50: null, p95: null });
    expect(d.phases).toEqual([{ name: 'settle', startMs: 0, endMs: 10, ok: false }]);
    expect(drillChart(d).markers).toBeUndefined();
  });
});
