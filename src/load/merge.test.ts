import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { mergeConcurrent, mergeParallel, mergeSequential } from './merge.js';
import { segmentProblem, shareOf } from './segment.js';
import { LoadStats, percentiles } from './stats.js';

function result(latenciesMs: number[], durationMs: number, index?: number) {
  const stats = new LoadStats(0);
  latenciesMs.forEach((ms, i) =>
    stats.record(i % 2 ? 'a' : 'b', 0, 0, ms, 200, i % 10 === 0 ? 'status' : undefined, undefined, 10),
  );
  return {
    ...stats.result({ target: 't', executor: 'constant-arrival-rate', corrected: true, startedAt: '', durationMs }),
    ...(index ? { segment: { index, count: 2 } } : {}),
  };
}

describe('merging load results', () => {
  const a = result([1, 2, 3, 4, 500, 6, 7, 8, 9, 10], 2000, 1);
  const b = result([20, 30, 40, 50, 60], 1500, 2);

  it('merges segments exactly: the histograms add, counts add, rates add, the duration is the longest', () => {
    const m = mergeParallel([a, b]);
    const direct = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
    });
    for (const ms of [1, 2, 3, 4, 500, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60]) direct.recordValue(ms * 1000);
    expect(m.latency).toEqual(percentiles(direct));
    expect(m.requests).toBe(15);
    expect(m.errors).toBe(a.errors + b.errors);
    expect(m.errorRate).toBeCloseTo((a.errors + b.errors) / 15, 10);
    expect(m.rps).toBeCloseTo(a.rps + b.rps, 10);
    expect(m.durationMs).toBe(2000);
    expect(m.statuses).toEqual({ 200: 15 });
    expect(m.perRequest.a?.requests).toBe(a.perRequest.a!.requests + b.perRequest.a!.requests);
    expect(hdr.decodeFromCompressedBase64(m.histograms.latency).totalCount).toBe(15);
  });

  it('lays sequential runs end to end', () => {
    const m = mergeSequential([a, b]);
    expect(m.durationMs).toBe(3500);
    expect(m.rps).toBeCloseTo((15 / 3500) * 1000, 10);
    expect(m.requests).toBe(15);
  });

  it('merges concurrent scenarios on one clock: timelines shift by startTime, the rate is over the whole window', () => {
    const m = mergeConcurrent([a, b], [1000, 3000]);
    // a ran 0–2 s, b 2–3.5 s on the load phase's clock (counted from the first start).
    expect(m.durationMs).toBe(3500);
    expect(m.rps).toBeCloseTo((15 / 3500) * 1000, 10);
    expect(m.timeline[0]?.rps).toBe(a.timeline[0]?.rps);
    expect(m.timeline[2]?.rps).toBe(b.timeline[0]?.rps);
    expect(m.mix).toBeUndefined();
    expect(mergeConcurrent([a], [2000])).toBe(a);
  });

  it('counts responses, not interrupted requests, in the rate; adds interrupted, offered rates and the in-flight trend', () => {
    const open = (offeredRps: number, windowMs: number, trend: { mid: number; end: number }, cut: number) => {
      const stats = new LoadStats(0);
      for (let i = 0; i < 10; i++) stats.record('r', 0, 0, 5, 200, undefined, undefined, 10);
      for (let i = 0; i < cut; i++) stats.record('r', 0, 0, windowMs + 1000, undefined, 'interrupted', undefined, 0);
      return stats.result({
        ...{ target: 't', executor: 'constant-arrival-rate', corrected: true, startedAt: '' },
        durationMs: windowMs + 1000,
        windowMs,
        offeredRps,
        inFlightTrend: trend,
      });
    };
    const x = open(100, 2000, { mid: 10, end: 40 }, 5);
    expect(x.interrupted).toBe(5);
    expect(x.requests).toBe(15);
    expect(x.rps).toBeCloseTo((10 / 3000) * 1000, 10); // the 5 cut requests are not responses
    const y = open(50, 1000, { mid: 5, end: 5 }, 0);
    const shares = mergeParallel([x, y]);
    expect(shares.interrupted).toBe(5);
    expect(shares.offeredRps).toBe(150);
    expect(shares.inFlightTrend).toEqual({ mid: 15, end: 45 });
    expect(shares.fallingBehind).toMatch(/in flight still growing/);
    const oneAfterOther = mergeSequential([x, y]);
    expect(oneAfterOther.offeredRps).toBeCloseTo(((100 * 2 + 50 * 1) / 3000) * 1000, 10);
    expect(oneAfterOther.rps).toBeCloseTo((20 / 5000) * 1000, 10);
    // A closed-model result offers no rate: neither does a merge with it.
    expect(mergeSequential([x, a]).offeredRps).toBeUndefined();
  });

  it('judges falling behind per share: two shares that each kept up did not fall behind once merged', () => {
    const share = (trend: { mid: number; end: number }) => {
      const stats = new LoadStats(0);
      for (let i = 0; i < 10; i++) stats.record('r', 0, 0, 5, 200, undefined, undefined, 10);
      return stats.result({
        ...{ target: 't', executor: 'constant-arrival-rate', corrected: true, startedAt: '' },
        durationMs: 2000,
        windowMs: 2000,
        offeredRps: 100,
        inFlightTrend: trend,
      });
    };
    const healthy = share({ mid: 0, end: 6 }); // +6 each: within the +10 a queue may move
    expect(mergeParallel([healthy, healthy]).fallingBehind).toBeUndefined();
    expect(mergeSequential([healthy, healthy]).fallingBehind).toBeUndefined();
    expect(mergeConcurrent([healthy, healthy], [0, 0]).fallingBehind).toBeUndefined();
    const growing = share({ mid: 2, end: 40 });
    expect(mergeParallel([healthy, growing]).fallingBehind).toMatch(
      /in flight still growing at the end \(2 at the middle/,
    );
    expect(mergeSequential([growing, healthy, growing]).fallingBehind).toMatch(/growing at the end in 2 of 3 shares/);
  });

  it('adds the flow counts of a mix across shares of one test', () => {
    const m = mergeParallel([
      { ...a, mix: { browse: 3, buy: 1 } },
      { ...b, mix: { browse: 6, buy: 2 } },
    ]);
    expect(m.mix).toEqual({ browse: 9, buy: 3 });
  });

  it('splits whole numbers so the shares add up, and names missing or doubled segments', () => {
    expect([1, 2, 3].map((index) => shareOf(10, { index, count: 3 }))).toEqual([4, 3, 3]);
    expect(
      segmentProblem([
        { index: 1, count: 3 },
        { index: 3, count: 3 },
      ]),
    ).toBe('segment 2/3 missing');
    expect(
      segmentProblem([
        { index: 1, count: 2 },
        { index: 1, count: 2 },
      ]),
    ).toBe('a segment appears twice');
    expect(segmentProblem([{ index: 1, count: 2 }, undefined])).toMatch(/not a segment result/);
    expect(
      segmentProblem([
        { index: 1, count: 2 },
        { index: 2, count: 2 },
      ]),
    ).toBeUndefined();
  });
});
