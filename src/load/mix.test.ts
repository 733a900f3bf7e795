import { describe, expect, it } from 'vitest';
import { weightedPicker } from './mix.js';

const take = (weights: number[], n: number): number[] => {
  const pick = weightedPicker(weights);
  return Array.from({ length: n }, () => pick());
};

describe('weighted flow picker', () => {
  it('is exact over every cycle of the weights and interleaves the flows', () => {
    const picks = take([3, 1], 400);
    for (let c = 0; c < 100; c++) {
      const cycle = picks.slice(c * 4, c * 4 + 4);
      expect(cycle.filter((i) => i === 0)).toHaveLength(3);
    }
    expect(picks.slice(0, 4)).toEqual([0, 0, 1, 0]);
  });

  it('keeps three flows to their shares, with fractional weights too', () => {
    const picks = take([0.5, 0.3, 0.2], 1000);
    const count = (i: number): number => picks.filter((p) => p === i).length;
    expect(count(0)).toBe(500);
    expect(count(1)).toBe(300);
    expect(count(2)).toBe(200);
  });

  it('always picks the only flow, and refuses a weight that is not positive', () => {
    expect(take([7], 5)).toEqual([0, 0, 0, 0, 0]);
    expect(() => weightedPicker([1, 0])).toThrow(RangeError);
    expect(() => weightedPicker([])).toThrow(RangeError);
  });
});
