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

describe('signoffStatus: one person does not sign two required roles', () => {
  const everyRole = ['PM', 'Tech Lead', 'DevOps', 'QA Lead', 'Sponsor'];

  it('one person holding the go of every required role and the final role: each row duplicate, 0 signed', () => {
    const s = signoffStatus({ ...base, signoffs: everyRole.map((r) => sig(r, { by: 'mallory@evil' })) });
    expect(s.rows.map((r) => r.state)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect([s.signed, s.required]).toEqual([0, 5]);
    expect(s.rows[0]?.reason).toBe(
      'mallory@evil signed go for PM, Tech Lead, DevOps, QA Lead, Sponsor: one person does not sign two required roles (signoff.allowSamePerson: true allows it)',
    );
  });

  it('compares names trimmed and case-insensitively; only the rows that person holds stop counting', () => {
    const s = signoffStatus({
      ...base,
      signoffs: [sig('PM', { by: 'Pat@Example.com' }), sig('Sponsor', { by: ' pat@example.COM ' }), sig('DevOps')],
    });
    expect(s.rows.map((r) => r.state)).toEqual(['duplicate', 'missing', 'go', 'missing', 'duplicate']);
    expect(s.signed).toBe(1);
  });

  it('a no-go or a stale go in another role does not make a duplicate; a role not required never does', () => {
    const s = signoffStatus({
      ...base,
      signoffs: [
        sig('PM', { by: 'kim' }),
        sig('Tech Lead', { by: 'kim', decision: 'no-go' }),
        sig('DevOps', { by: 'kim', stale: true }),
        sig('Observer', { by: 'kim' }),
      ],
    });
    expect(s.rows.map((r) => `${r.role}:${r.state}`)).toEqual([
      'PM:go',
      'Tech Lead:no-go',
      'DevOps:stale',
      'QA Lead:missing',
      'Sponsor:missing',
      'Observer:go',
    ]);
  });

  it('signoff.allowSamePerson lets one person hold several required roles', () => {
    const s = signoffStatus({
      ...base,
      allowSamePerson: true,
      signoffs: everyRole.map((r) => sig(r, { by: 'pat@example.com' })),
    });
    expect(s.rows.every((r) => r.state === 'go')).toBe(true);
    expect(s.signed).toBe(5);
  });

  it('notes a sign-off by someone other than the owner in roles, and not one by the owner in another case', () => {
    const s = signoffStatus({
      ...base,
      signoffs: [sig('PM', { by: 'sam' }), sig('Sponsor', { by: ' LEE@example.com' })],
    });
    expect(s.rows[0]?.note).toBe('signed by sam for owner pat@example.com');
    expect(s.rows[0]?.state).toBe('go');
    expect(s.rows[4]?.note).toBeUndefined();
  });
});
