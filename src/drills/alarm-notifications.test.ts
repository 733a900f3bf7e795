import { describe, expect, it } from 'vitest';
import { alertStates, statesInBody } from './alarm-notifications.js';

const payload = (status: string, id: string) => ({
  version: '4',
  status,
  receiver: 'golive',
  alerts: [{ status, labels: { alertname: 'GoliveTestAlarm', golive_drill: id }, startsAt: '2026-01-01T00:00:00Z' }],
});

describe('alertStates', () => {
  it('finds the state of the alert carrying the drill id, at any depth', () => {
    expect([...alertStates(payload('firing', 'a1'), 'golive_drill', 'a1')]).toEqual(['firing']);
    expect([...alertStates([{ at: 1, payload: payload('resolved', 'a1') }], 'golive_drill', 'a1')]).toEqual([
      'resolved',
    ]);
  });
  it('ignores other drills and objects without a status', () => {
    expect(alertStates(payload('firing', 'other'), 'golive_drill', 'a1').size).toBe(0);
    expect(alertStates({ labels: { golive_drill: 'a1' } }, 'golive_drill', 'a1').size).toBe(0);
  });
});

describe('statesInBody', () => {
  it('reads a JSON page, JSON lines and plain text', () => {
    expect(statesInBody(JSON.stringify([payload('firing', 'a1')]), 'golive_drill', 'a1').has('firing')).toBe(true);
    const lines = [JSON.stringify(payload('firing', 'a1')), JSON.stringify(payload('resolved', 'a1'))].join('\n');
    expect([...statesInBody(lines, 'golive_drill', 'a1')].sort()).toEqual(['firing', 'resolved']);
    expect([...statesInBody('12:00 FIRING a1\n', 'golive_drill', 'a1')]).toEqual(['firing']);
    expect([...statesInBody('12:01 [RESOLVED] a1\n', 'golive_drill', 'a1')]).toEqual(['resolved']);
    expect(statesInBody('nothing here', 'golive_drill', 'a1').size).toBe(0);
  });
});
