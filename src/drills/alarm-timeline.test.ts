import { describe, expect, it } from 'vitest';
import { alarmStatus, alarmSummary, between, type AlarmOutcome } from './alarm-timeline.js';

const base: AlarmOutcome = {
  provider: 'alertmanager',
  id: 'x',
  receiver: 'r',
  timeline: {},
  checks: [],
  testsResolve: true,
};

describe('alarm timeline', () => {
  it('measures between two instants only when both exist', () => {
    expect(between('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.250Z')).toBe(1250);
    expect(between('2026-01-01T00:00:00.000Z', undefined)).toBeUndefined();
  });
  it('is an error when the drill could not run, a failure when a check failed', () => {
    expect(alarmStatus({ ...base, error: 'unreachable' })).toBe('error');
    expect(
      alarmStatus({
        ...base,
        checks: [
          { id: 'a', status: 'pass', summary: '' },
          { id: 'b', status: 'fail', summary: '' },
        ],
      }),
    ).toBe('fail');
    expect(
      alarmStatus({
        ...base,
        checks: [
          { id: 'a', status: 'pass', summary: '' },
          { id: 'b', status: 'skipped', summary: '' },
        ],
      }),
    ).toBe('pass');
  });
  it('says which notification was missing', () => {
    const fired = { firedAt: '2026-01-01T00:00:00.000Z' };
    expect(alarmSummary({ ...base, timeline: fired }, 60_000)).toBe(
      'no firing notification within 60 s of the test alert',
    );
    expect(
      alarmSummary(
        {
          ...base,
          timeline: { ...fired, firingNotifiedAt: '2026-01-01T00:00:01.500Z', resolvedAt: '2026-01-01T00:00:02.000Z' },
        },
        5000,
      ),
    ).toBe('test alert notified in 1.50 s, but no resolved notification within 5.00 s');
  });
});
