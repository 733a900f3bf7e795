import { describe, expect, it } from 'vitest';
import type { Evaluation, Signoff } from '../model.js';
import {
  checkSignoff,
  decide,
  NO_SIGNOFF_ROLES,
  runSignoffStatus,
  samePersonRefusal,
  viewSignoffs,
  type DecideInput,
} from './decision.js';

const evaluation = (blocking: string[] = []): Evaluation => ({
  evaluatedAt: '2026-11-22T12:00:00.000Z',
  thresholds: [],
  criteria: [],
  findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  readiness: { ready: blocking.length === 0, blocking },
  residualRisks: [],
  expiredWaivers: [],
});
const READY = evaluation();
const NOT_READY = evaluation([
  'AC-3 All runbooks created and reviewed: Unverified — needs attestation by DevOps',
  'threshold load.rps >= 1000: no data — no collector produced load.rps',
]);

let seq = 0;
const sig = (role: string, decision: 'go' | 'no-go', over: Partial<Signoff> = {}): Signoff => ({
  id: `s${++seq}`,
  runId: 'run-2',
  specHash: 'sha256:h2',
  role,
  by: role.toLowerCase().replace(/\s+/g, '-'),
  decision,
  createdAt: '2026-11-22T11:00:00Z',
  ...over,
});

const base: Omit<DecideInput, 'signoffs'> = {
  runId: 'run-2',
  specHash: 'sha256:h2',
  evaluation: READY,
  requiredRoles: ['PM', 'QA Lead'],
  finalRole: 'Sponsor',
};
const allGo = (): Signoff[] => [sig('PM', 'go'), sig('QA Lead', 'go'), sig('Sponsor', 'go')];

describe('viewSignoffs', () => {
  it('marks a sign-off stale when its run or its spec hash differs', () => {
    const views = viewSignoffs(
      [sig('PM', 'go'), sig('PM', 'go', { runId: 'run-1' }), sig('PM', 'go', { specHash: 'sha256:h1' })],
      { id: 'run-2', specHash: 'sha256:h2' },
    );
    expect(views.map((v) => v.stale)).toEqual([false, true, true]);
    expect(views[0]).toMatchObject({ role: 'PM', decision: 'go', by: 'pm' });
  });
});

describe('decide', () => {
  it('is NO-GO when the spec names no required and no final role: a GO nobody signed is not a decision', () => {
    expect(decide({ ...base, requiredRoles: [], finalRole: undefined, signoffs: [] })).toEqual({
      decision: 'NO-GO',
      reasons: [NO_SIGNOFF_ROLES],
    });
    expect(NO_SIGNOFF_ROLES).toMatch(/^no sign-off roles: add signoff\.required to golive\.yaml/);
    // a final role alone is a signer
    expect(decide({ ...base, requiredRoles: [], signoffs: [sig('Sponsor', 'go')] }).decision).toBe('GO');
  });

  it('is GO with no reasons when ready and every required and the final role signed go', () => {
    expect(decide({ ...base, signoffs: allGo() })).toEqual({ decision: 'GO', reasons: [] });
  });

  it('is NO-GO naming each role with no sign-off, with its owner when known', () => {
    const r = decide({ ...base, signoffs: [sig('QA Lead', 'go')], roles: { PM: 'pat@example.com' } });
    expect(r).toEqual({
      decision: 'NO-GO',
      reasons: [
        'no sign-off from PM (pat@example.com): golive signoff --role PM --by NAME --decision go',
        'no sign-off from Sponsor: golive signoff --role Sponsor --by NAME --decision go',
      ],
    });
  });

  it('requires the final role as well', () => {
    const r = decide({ ...base, signoffs: [sig('PM', 'go'), sig('QA Lead', 'go')] });
    expect(r.decision).toBe('NO-GO');
    expect(r.reasons).toEqual([expect.stringMatching(/^no sign-off from Sponsor/)]);
    // without a final role the same sign-offs are enough
    expect(decide({ ...base, finalRole: undefined, signoffs: [sig('PM', 'go'), sig('QA Lead', 'go')] }).decision).toBe(
      'GO',
    );
  });

  it('asks a final role that is also required only once', () => {
    const r = decide({ ...base, requiredRoles: ['PM', 'Sponsor'], signoffs: [sig('PM', 'go')] });
    expect(r.reasons).toHaveLength(1);
  });

  it('names a no-go with who gave it and the comment', () => {
    const r = decide({
      ...base,
      signoffs: [
        sig('PM', 'go'),
        sig('QA Lead', 'no-go', { by: 'kim', comment: 'login error rate 1.9 %' }),
        sig('Sponsor', 'go'),
      ],
    });
    expect(r).toEqual({ decision: 'NO-GO', reasons: ['QA Lead (kim) signed no-go: login error rate 1.9 %'] });
    const bare = decide({ ...base, signoffs: [sig('PM', 'no-go'), sig('QA Lead', 'go'), sig('Sponsor', 'go')] });
    expect(bare.reasons).toEqual(['PM (pm) signed no-go']);
  });

  it('lets the latest sign-off of a role count, in either direction', () => {
    const flipToNoGo = decide({
      ...base,
      signoffs: [...allGo(), sig('PM', 'no-go', { comment: 'support not staffed', createdAt: '2026-11-22T11:30:00Z' })],
    });
    expect(flipToNoGo.reasons).toEqual(['PM (pm) signed no-go: support not staffed']);
    const flipToGo = decide({
      ...base,
      signoffs: [
        sig('PM', 'no-go'),
        sig('PM', 'go', { createdAt: '2026-11-22T11:30:00Z' }),
        sig('QA Lead', 'go'),
        sig('Sponsor', 'go'),
      ],
    });
    expect(flipToGo.decision).toBe('GO');
  });

  it('orders sign-offs as recorded (list order), never by their times: a no-go signed with the clock behind counts', () => {
    const r = decide({
      ...base,
      signoffs: [
        sig('PM', 'go', { createdAt: '2026-11-22T11:30:00Z' }),
        sig('PM', 'no-go', { comment: 'support not staffed', createdAt: '2026-11-22T10:30:00Z' }),
        sig('QA Lead', 'go'),
        sig('Sponsor', 'go'),
      ],
    });
    expect(r).toEqual({ decision: 'NO-GO', reasons: ['PM (pm) signed no-go: support not staffed'] });
  });

  it('treats a sign-off on an earlier run as stale', () => {
    const r = decide({
      ...base,
      signoffs: [sig('PM', 'go', { runId: 'run-1' }), sig('QA Lead', 'go'), sig('Sponsor', 'go')],
    });
    expect(r).toEqual({
      decision: 'NO-GO',
      reasons: [
        'PM (pm) signed on an earlier run or spec; sign again: golive signoff --role PM --by NAME --decision go',
      ],
    });
  });

  it('treats a sign-off on another spec hash as stale', () => {
    const r = decide({
      ...base,
      signoffs: [sig('PM', 'go'), sig('QA Lead', 'go', { specHash: 'sha256:h1' }), sig('Sponsor', 'go')],
    });
    expect(r.reasons).toEqual([
      'QA Lead (qa-lead) signed on an earlier run or spec; sign again: golive signoff --role "QA Lead" --by NAME --decision go',
    ]);
  });

  it('does not let a stale go outweigh a current no-go, nor a stale no-go a current go', () => {
    const staleGo = decide({
      ...base,
      signoffs: [
        sig('PM', 'no-go', { comment: 'wait', createdAt: '2026-11-22T10:00:00Z' }),
        sig('PM', 'go', { runId: 'run-1', createdAt: '2026-11-22T11:30:00Z' }),
        sig('QA Lead', 'go'),
        sig('Sponsor', 'go'),
      ],
    });
    expect(staleGo.reasons).toEqual(['PM (pm) signed no-go: wait']);
    const staleNoGo = decide({
      ...base,
      signoffs: [...allGo(), sig('PM', 'no-go', { specHash: 'sha256:h1', createdAt: '2026-11-22T11:30:00Z' })],
    });
    expect(staleNoGo.decision).toBe('GO');
  });

  it('is NO-GO when not ready, even with every sign-off, listing each blocking item first', () => {
    const r = decide({ ...base, evaluation: NOT_READY, signoffs: [sig('PM', 'go'), sig('QA Lead', 'go')] });
    expect(r).toEqual({
      decision: 'NO-GO',
      reasons: [
        'not ready: AC-3 All runbooks created and reviewed: Unverified — needs attestation by DevOps',
        'not ready: threshold load.rps >= 1000: no data — no collector produced load.rps',
        'no sign-off from Sponsor: golive signoff --role Sponsor --by NAME --decision go',
      ],
    });
    expect(decide({ ...base, evaluation: NOT_READY, signoffs: allGo() }).decision).toBe('NO-GO');
  });

  it('ignores sign-offs by roles that are not asked for', () => {
    expect(decide({ ...base, signoffs: [...allGo(), sig('Legal', 'no-go')] }).decision).toBe('GO');
  });
});

describe('checkSignoff', () => {
  const roles = { PM: 'pat@example.com', 'QA Lead': 'kim@example.com', Sponsor: 'lee@example.com' };
  const common = { roles, requiredRoles: ['PM', 'QA Lead'], finalRole: 'Sponsor' };

  it('refuses an unknown role and lists the known ones', () => {
    expect(checkSignoff({ ...common, role: 'CEO', decision: 'go', evaluation: READY })).toBe(
      'unknown role "CEO"; roles in golive.yaml: PM, QA Lead, Sponsor',
    );
    expect(checkSignoff({ ...common, role: 'CEO', decision: 'no-go', evaluation: READY })).toMatch(/unknown role/);
    expect(checkSignoff({ ...common, role: 'pm', decision: 'go', evaluation: READY })).toMatch(/unknown role "pm"/);
  });

  it('refuses a go on a run that is not ready, listing the first blocking items', () => {
    expect(checkSignoff({ ...common, role: 'PM', decision: 'go', evaluation: NOT_READY })).toBe(
      'the run is not ready, so it cannot be signed go (2 blocking: AC-3 All runbooks created and reviewed: Unverified — needs attestation by DevOps; threshold load.rps >= 1000: no data — no collector produced load.rps); a no-go is always allowed',
    );
    const many = evaluation(['a', 'b', 'c', 'd', 'e']);
    expect(checkSignoff({ ...common, role: 'PM', decision: 'go', evaluation: many })).toMatch(
      /\(5 blocking: a; b; c; and 2 more\)/,
    );
  });

  it('allows a no-go whatever the readiness, and a go on a ready run', () => {
    expect(checkSignoff({ ...common, role: 'PM', decision: 'no-go', evaluation: NOT_READY })).toBeUndefined();
    expect(checkSignoff({ ...common, role: 'Sponsor', decision: 'go', evaluation: READY })).toBeUndefined();
  });
});

describe('one person in two required roles', () => {
  const mallory = (): Signoff[] => ['PM', 'QA Lead', 'Sponsor'].map((r) => sig(r, 'go', { by: 'mallory@evil' }));

  it('decide: one --by in every required role and the final role is NO-GO, naming the person and the roles', () => {
    const r = decide({ ...base, signoffs: mallory() });
    expect(r.decision).toBe('NO-GO');
    expect(r.reasons[0]).toBe(
      'PM does not count: mallory@evil signed go for PM, QA Lead, Sponsor: one person does not sign two required roles (signoff.allowSamePerson: true allows it)',
    );
    expect(r.reasons).toHaveLength(3);
    expect(decide({ ...base, allowSamePerson: true, signoffs: mallory() })).toEqual({ decision: 'GO', reasons: [] });
  });

  it('samePersonRefusal: refuses a person holding another required role current sign-off (go or no-go), trimmed and any case', () => {
    const status = runSignoffStatus({ ...base, signoffs: [sig('PM', 'no-go', { by: 'Pat' })] });
    expect(samePersonRefusal({ role: 'Sponsor', by: ' pat ', status })).toBe(
      'pat already holds the current sign-off of PM on this run, and one person does not sign two required roles',
    );
    expect(samePersonRefusal({ role: 'PM', by: 'pat', status })).toBeUndefined();
    expect(samePersonRefusal({ role: 'QA Lead', by: 'kim', status })).toBeUndefined();
    expect(samePersonRefusal({ role: 'Observer', by: 'pat', status })).toBeUndefined();
    expect(samePersonRefusal({ role: 'Sponsor', by: 'pat', status, allowSamePerson: true })).toBeUndefined();
    const stale = runSignoffStatus({ ...base, signoffs: [sig('PM', 'go', { by: 'pat', runId: 'run-1' })] });
    expect(samePersonRefusal({ role: 'Sponsor', by: 'pat', status: stale })).toBeUndefined();
  });
});
