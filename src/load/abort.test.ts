import { describe, expect, it } from 'vitest';
import { planAbort, type LiveFigures } from './abort.js';

const live = (over: Partial<LiveFigures>): LiveFigures => ({
  elapsedMs: 5000,
  requests: 100,
  errors: 0,
  dropped: 0,
  planned: 1000,
  slower: [],
  ...over,
});

describe('abort-on-fail', () => {
  it('stops only when a threshold can no longer pass', () => {
    const plan = planAbort(
      [
        { name: 'load.errors', expr: '< 5' },
        { name: 'load.error_rate', expr: '< 1%' },
        { name: 'load.latency.p95', expr: '< 200ms' },
        { name: 'load.rps', expr: '>= 1000' },
        { name: 'other.metric', expr: '< 1' },
      ],
      'load',
    );
    expect(plan.watchMs).toEqual([200]);
    expect(plan.check(live({ errors: 4, slower: [50] }))).toBeUndefined();
    expect(plan.check(live({ errors: 5 }))).toMatch(/load.errors < 5 can no longer pass \(5 so far\)/);
    // 1 % of 1000 planned = 10 errors: certain failure at 10, though 10 of the 100 sent is far above 1 % already at 4.
    const rate = planAbort([{ name: 'load.error_rate', expr: '< 1%' }], 'load');
    expect(rate.check(live({ errors: 9 }))).toBeUndefined();
    expect(rate.check(live({ errors: 10 }))).toMatch(/10 errors of 1000 planned/);
    expect(rate.check(live({ errors: 500, planned: undefined }))).toBeUndefined();
    // p95 < 200ms fails for sure once more than 5 % of the planned requests are slower.
    expect(plan.check(live({ slower: [50] }))).toBeUndefined();
    expect(plan.check(live({ slower: [51] }))).toMatch(/load.latency.p95 < 200ms can no longer pass \(51 of 1000/);
  });

  it('reads thresholds under a scenario prefix', () => {
    const plan = planAbort([{ name: 'load.browse.dropped', expr: '== 0' }], 'load.browse');
    expect(plan.check(live({ dropped: 1 }))).toMatch(/load.browse.dropped == 0/);
    expect(
      planAbort([{ name: 'load.browse.dropped', expr: '== 0' }], 'load').check(live({ dropped: 1 })),
    ).toBeUndefined();
  });
});
