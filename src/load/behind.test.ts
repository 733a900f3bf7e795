import { describe, expect, it } from 'vitest';
import { fallingBehind } from './behind.js';

describe('fallingBehind', () => {
  it('says so when arrivals were dropped or the queue still grew at the end', () => {
    expect(fallingBehind({ dropped: 3 })).toBe('3 arrivals dropped');
    expect(fallingBehind({ dropped: 0, inFlightTrend: { mid: 1200, end: 2360 } })).toMatch(
      /in flight still growing at the end \(1200 at the middle of the run, 2360 at the end\)/,
    );
    expect(fallingBehind({ dropped: 1, inFlightTrend: { mid: 20, end: 40 } })).toMatch(/^1 arrival dropped; in flight/);
  });
  it('keeps quiet for a run that kept up: a steady queue, small noise, the closed model', () => {
    expect(fallingBehind({ dropped: 0, inFlightTrend: { mid: 100, end: 140 } })).toBeUndefined();
    expect(fallingBehind({ dropped: 0, inFlightTrend: { mid: 2, end: 9 } })).toBeUndefined();
    expect(fallingBehind({ dropped: 0 })).toBeUndefined();
  });
});
