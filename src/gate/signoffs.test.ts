import { describe, expect, it } from 'vitest';
import type { SignoffView } from '../model.js';
import { signoffStatus } from './signoffs.js';

const sig = (role: string, over: Partial<SignoffView> = {}): SignoffView => ({
  id: `${role}-${over.createdAt ?? ''}`,
  runId: 'run-2',
  specHash: 'sha256:h2',
  role,
  by: role.toLowerCase(),
  decision: 'go',
  createdAt: '2026-11-22T11:00:00Z',
  stale: false,
  ...over,
});

const base = {
  requiredRoles: ['PM', 'Tech Lead', 'DevOps', 'QA Lead'],
  finalRole: 'Sponsor',
  roles: { PM: 'pat@example.com', Sponsor: 'lee@example.com' },
};

describe('signoffStatus: one rule for the sign-off rows and counts', () => {
  it('counts the required roles and the final role: 0 / 5 when nobody signed', () => {
    const s = signoffStatus({ ...base, signoffs: [] });
    expect(s.rows.map((r) => [r.role, r.state, r.required, r.final])).toEqual([
      ['PM', 'missing', true, false],
      ['Tech Lead', 'missing', true, false],
      ['DevOps', 'missing', true, false],
      ['QA Lead', 'missing', true, false],
      ['Sponsor', 'missing', true, true],
    ]);
    expect([s.signed, s.required]).toEqual([0, 5]);
    expect(s.rows[0]?.owner).toBe('pat@example.com');
    expect(s.rows[1]?.owner).toBe('');
  });

  it('states each row: go, no-go, stale or missing, and counts only current gos', () => {
    const s = signoffStatus({
      ...base,
      signoffs: [
        sig('PM'),
        sig('Tech Lead', { decision: 'no-go', comment: 'wait' }),
        sig('DevOps', { stale: true }),
        sig('Sponsor'),
      ],
    });
    expect(s.rows.map((r) => r.state)).toEqual(['go', 'no-go', 'stale', 'missing', 'go']);
    expect([s.signed, s.required]).toEqual([2, 5]);
    expect(s.rows[2]?.signoff?.by).toBe('devops');
  });

  it('lets the latest current sign-off count; a stale one never outweighs it', () => {
    const s = signoffStatus({
      ...base,
      signoffs: [sig('PM'), sig('PM', { decision: 'no-go', createdAt: 'later' }), sig('PM', { stale: true })],
    });
    expect(s.rows[0]?.state).toBe('no-go');
  });

  it('asks a final role that is also required once, and lists other signers as not required', () => {
    const s = signoffStatus({
      requiredRoles: ['PM'],
      finalRole: 'PM',
      roles: {},
      signoffs: [sig('PM'), sig('CEO')],
    });
    expect(s.rows.map((r) => [r.role, r.required, r.final])).toEqual([
      ['PM', true, true],
      ['CEO', false, false],
    ]);
    expect([s.signed, s.required]).toEqual([1, 1]);
  });
});
