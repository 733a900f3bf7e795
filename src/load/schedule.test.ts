import { describe, expect, it } from 'vitest';
import { constantSchedule, rampingSchedule } from './schedule.js';

describe('arrival schedules', () => {
  it('places constant arrivals on an absolute grid: no drift after a million arrivals', () => {
    const s = constantSchedule(5000, 200_000);
    expect(s.at(0)).toBe(0);
    expect(s.at(1_000_000)).toBe(200_000);
    expect(s.planned).toBe(1_000_000);
  });

  it('ramps linearly: arrivals per second follow the stage rates', () => {
    const s = rampingSchedule(0, [
      { durationMs: 10_000, target: 100 },
      { durationMs: 10_000, target: 100 },
      { durationMs: 5_000, target: 0 },
    ]);
    expect(s.planned).toBe(500 + 1000 + 250);
    expect(s.totalMs).toBe(25_000);
    const perSecond = new Array(25).fill(0);
    for (let i = 0; i < s.planned; i++) perSecond[Math.floor(s.at(i) / 1000)]++;
    expect(perSecond[0]).toBe(5); // ramping from 0 to 10/s over the first second
    expect(perSecond[9]).toBe(95);
    expect(perSecond.slice(10, 20)).toEqual(new Array(10).fill(100));
    expect(perSecond[24]).toBe(10);
    expect(s.at(s.planned)).toBe(Infinity);
    // Times never go backwards.
    for (let i = 1; i < s.planned; i++) expect(s.at(i)).toBeGreaterThanOrEqual(s.at(i - 1));
  });
});
