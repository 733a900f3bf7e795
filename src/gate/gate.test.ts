import { describe, expect, it } from 'vitest';
import type { Attestation, Evidence, Finding, Signoff, Waiver } from '../model.js';
import { checkSignoff, decide, viewSignoffs } from './decision.js';
import { evaluate, type EvaluateInput } from './evaluate.js';
import { compareFrozen } from './frozen.js';
import { evaluateThreshold, formatValue, knownMetric, parseThreshold, ThresholdSyntaxError } from './threshold.js';

describe('threshold grammar', () => {
  it.each([
    ['< 200ms', '<', 200, 'duration'],
    ['<200ms', '<', 200, 'duration'],
    ['<= 0.5s', '<=', 500, 'duration'],
    ['< 5m', '<', 300_000, 'duration'],
    ['< 1h', '<', 3_600_000, 'duration'],
    ['< 0.1%', '<', 0.001, 'ratio'],
    ['> 99.5 %', '>', 0.995, 'ratio'],
    ['>= 1000rps', '>=', 1000, 'rate'],
    ['>= 1000/s', '>=', 1000, 'rate'],
    ['>= 1000', '>=', 1000, 'number'],
    ['== 0', '==', 0, 'number'],
    ['  <  200 ms  ', '<', 200, 'duration'],
  ])('parses %j', (expr, op, value, kind) => {
    const t = parseThreshold(expr);
    expect(t.op).toBe(op);
    expect(t.value).toBeCloseTo(value, 9);
    expect(t.kind).toBe(kind);
  });

  it.each([
    ['', 1, /empty/, /write it like/],
    ['200ms', 1, /expected an operator/, /write it like/],
    ['=< 5', 1, /unknown operator "=<"/, /did you mean "<="/],
    ['= 0', 1, /unknown operator "="/, /did you mean "=="/],
    ['< fast', 3, /expected a number/, /write it like/],
    ['< 200 msec', 7, /unknown unit "msec"/, /did you mean "ms"/],
    ['< 200 parsecs', 7, /unknown unit "parsecs"/, /units: ms, s, m, h, %, rps or \/s/],
  ])('rejects %j at column %i with a hint', (expr, column, message, hint) => {
    try {
      parseThreshold(expr);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ThresholdSyntaxError);
      const err = e as ThresholdSyntaxError;
      expect(err.column).toBe(column);
      expect(err.message).toMatch(message);
      expect(err.hint).toMatch(hint);
    }
  });

  it('evaluates pass, fail, no-data, unit mismatch and invalid', () => {
    const p95 = { name: 'load.latency.p95', value: 142, unit: 'ms' as const };
    expect(evaluateThreshold(p95.name, '< 200ms', p95)).toMatchObject({ outcome: 'pass', display: '142 ms' });
    expect(evaluateThreshold(p95.name, '< 100ms', p95)).toMatchObject({
      outcome: 'fail',
      reason: '142 ms is not < 100 ms',
    });
    expect(evaluateThreshold(p95.name, '< 0.2s', p95).outcome).toBe('pass');
    expect(evaluateThreshold('load.rps', '>= 1000', undefined)).toMatchObject({
      outcome: 'no-data',
      reason: 'no collector produced load.rps',
    });
    expect(evaluateThreshold(p95.name, '< 5%', p95)).toMatchObject({ outcome: 'invalid' });
    expect(evaluateThreshold(p95.name, '< 200', p95).reason).toMatch(/measured in milliseconds.*write it with ms/);
    const rate = { name: 'load.error_rate', value: 0.0005, unit: 'ratio' as const };
    expect(evaluateThreshold(rate.name, '< 0.1%', rate)).toMatchObject({ outcome: 'pass', display: '0.05 %' });
    expect(evaluateThreshold(rate.name, '< 0.01%', rate).outcome).toBe('fail');
    expect(evaluateThreshold(rate.name, '< 0.001', rate).outcome).toBe('invalid');
    const rps = { name: 'load.rps', value: 999.5, unit: 'rps' as const };
    expect(evaluateThreshold(rps.name, '>= 1000', rps).outcome).toBe('fail');
    expect(evaluateThreshold(rps.name, '>= 900rps', rps).outcome).toBe('pass');
    expect(evaluateThreshold('x', '<<', rps).outcome).toBe('invalid');
    expect(evaluateThreshold('x', '== 0', { name: 'x', value: Number.NaN, unit: 'count' }).outcome).toBe('no-data');
  });

  it('formats values and knows which metrics collectors produce', () => {
    expect(formatValue(1500, 'ms')).toBe('1.5 s');
    expect(formatValue(180_000, 'ms')).toBe('3 min');
    expect(formatValue(3.14159, 'ms')).toBe('3.14 ms');
    expect(formatValue(0.001, 'ratio')).toBe('0.1 %');
    expect(knownMetric('ops.health.latency', ['ops.health.latency'])).toBe(true);
    expect(knownMetric('findings.high', ['findings.'])).toBe(true);
    expect(knownMetric('load.rps', ['ops.', 'findings.'])).toBe(false);
  });
});

const NOW = new Date('2026-11-22T12:00:00Z');

function ev(partial: Partial<Evidence> & { collector: string }): Evidence {
  return {
    status: 'pass',
    summary: '',
    startedAt: '',
    endedAt: '',
    metrics: [],
    checks: [],
    findings: [],
    artifacts: [],
    ...partial,
  };
}

function input(over: Partial<EvaluateInput> = {}): EvaluateInput {
  return {
    spec: {
      thresholds: { 'ops.health.latency': '< 200ms', 'findings.high': '== 0' },
      criteria: [
        {
          id: 'AC-1',
          type: 'AC',
          title: 'ops',
          evidence: ['ops.health', 'ops.version'],
          thresholds: ['ops.health.latency'],
        },
        { id: 'AC-2', type: 'AC', title: 'security', thresholds: ['findings.high'] },
        { id: 'AC-3', type: 'AC', title: 'runbooks', attest: 'DevOps' },
        { id: 'NG-1', type: 'Non-goal', title: 'multi-region' },
      ],
    },
    evidence: [
      ev({
        collector: 'ops',
        metrics: [{ name: 'ops.health.latency', value: 12, unit: 'ms' }],
        checks: [
          { id: 'ops.health', status: 'pass', summary: '200' },
          { id: 'ops.version', status: 'pass', summary: 'v1' },
        ],
      }),
      ev({ collector: 'scan', scansForFindings: true }),
    ],
    findings: [],
    attestations: [],
    waivers: [],
    amendments: [],
    now: NOW,
    ...over,
  };
}

const attestation: Attestation = {
  id: 'a1',
  service: 's',
  release: 'r',
  criterionId: 'AC-3',
  by: 'alex',
  role: 'DevOps',
  evidence: 'https://wiki/runbooks',
  createdAt: NOW.toISOString(),
};
const finding: Finding = { rule: 'cors', severity: 'high', title: 'CORS', location: '/api', fingerprint: 'fp1' };

describe('evaluate', () => {
  it('is ready when every criterion is met, every threshold passes and manual items are attested', () => {
    const e = evaluate(input({ attestations: [attestation] }));
    expect(e.criteria.map((c) => c.status)).toEqual(['Met', 'Met', 'Met', 'Met']);
    expect(e.readiness).toEqual({ ready: true, blocking: [] });
    expect(e.criteria[2]?.evidence).toMatch(/attested by alex \(DevOps\)/);
    expect(e.criteria[3]?.notes).toMatch(/non-goal/);
  });

  it('gives Unverified, Unmet and Partial and lists each blocking item', () => {
    const e = evaluate(
      input({
        findings: [finding],
        evidence: [
          ev({
            collector: 'ops',
            checks: [
              { id: 'ops.health', status: 'pass', summary: '200' },
              { id: 'ops.version', status: 'fail', summary: 'reports v0' },
            ],
          }),
          ev({ collector: 'scan', scansForFindings: true }),
        ],
      }),
    );
    expect(e.criteria.map((c) => c.status)).toEqual(['Partial', 'Unmet', 'Unverified', 'Met']);
    expect(e.readiness.ready).toBe(false);
    expect(e.readiness.blocking).toEqual([
      expect.stringMatching(
        /^AC-1 ops: Partial — ops.health.latency no data — no collector produced ops.health.latency \(< 200ms\); ops.version fail: reports v0$/,
      ),
      expect.stringMatching(/^AC-2 security: Unmet — findings.high 1 is not == 0/),
      expect.stringMatching(/^AC-3 runbooks: Unverified — needs attestation by DevOps/),
      expect.stringMatching(/^threshold ops.health.latency < 200ms: no data/),
      expect.stringMatching(/^threshold findings.high == 0: 1 is not == 0/),
    ]);
    expect(e.residualRisks).toContain('AC-1 ops is only partly met');
  });

  it('never claims zero findings when no collector looked for them', () => {
    const e = evaluate(input({ attestations: [attestation], evidence: [input().evidence[0] as Evidence] }));
    expect(e.thresholds.find((t) => t.name === 'findings.high')?.outcome).toBe('no-data');
    expect(e.criteria[1]?.status).toBe('Unverified');
  });

  it('counts a live waiver and drops an expired one, saying so in the residual risks', () => {
    const live: Waiver = {
      id: 'w1',
      service: 's',
      release: 'r',
      subject: 'criterion',
      subjectId: 'AC-3',
      reason: 'runbook review next sprint',
      by: 'lee',
      expiresAt: '2026-12-31T00:00:00Z',
      createdAt: '',
    };
    const waived = evaluate(input({ waivers: [live] }));
    expect(waived.criteria[2]?.waiver?.id).toBe('w1');
    expect(waived.readiness.ready).toBe(true);
    expect(waived.residualRisks[0]).toMatch(
      /AC-3 runbooks is Unverified, waived by lee until 2026-12-31: runbook review next sprint/,
    );

    const expired = { ...live, expiresAt: '2026-11-01T00:00:00Z' };
    const after = evaluate(input({ waivers: [expired] }));
    expect(after.readiness.ready).toBe(false);
    expect(after.expiredWaivers).toHaveLength(1);
    expect(after.residualRisks).toContain('waiver for criterion AC-3 expired on 2026-11-01 and no longer counts');
  });

  it('does not count a waived finding, and marks amended thresholds', () => {
    const fw: Waiver = {
      id: 'w2',
      service: 's',
      release: 'r',
      subject: 'finding',
      subjectId: 'fp1',
      reason: 'internal only',
      by: 'sam',
      createdAt: '',
    };
    const e = evaluate(
      input({
        findings: [finding],
        waivers: [fw],
        attestations: [attestation],
        amendments: [
          {
            id: 'm',
            service: 's',
            release: 'r',
            threshold: 'ops.health.latency',
            from: '< 100ms',
            to: '< 200ms',
            reason: 'staging',
            by: 'sam',
            createdAt: '',
          },
        ],
      }),
    );
    expect(e.findings.high).toBe(0);
    expect(e.readiness.ready).toBe(true);
    expect(e.thresholds[0]?.amended).toBe(true);
    expect(e.residualRisks).toEqual([
      'finding high cors at /api waived by sam: internal only',
      'threshold ops.health.latency amended from < 100ms to < 200ms by sam: staging',
    ]);
  });
});

describe('decision rules', () => {
  const ready = evaluate(input({ attestations: [attestation] }));
  const sig = (role: string, decision: 'go' | 'no-go', over: Partial<Signoff> = {}): Signoff => ({
    id: `${role}-${decision}`,
    runId: 'run1',
    specHash: 'h1',
    role,
    by: role.toLowerCase(),
    decision,
    createdAt: '',
    ...over,
  });
  const base = {
    runId: 'run1',
    specHash: 'h1',
    evaluation: ready,
    requiredRoles: ['PM', 'DevOps'],
    finalRole: 'Sponsor',
  };

  it('is GO only when ready and every required and the final role signed go', () => {
    expect(decide({ ...base, signoffs: [sig('PM', 'go'), sig('DevOps', 'go'), sig('Sponsor', 'go')] })).toEqual({
      decision: 'GO',
      reasons: [],
    });
    const missing = decide({ ...base, signoffs: [sig('PM', 'go')] });
    expect(missing.decision).toBe('NO-GO');
    expect(missing.reasons).toEqual([
      expect.stringMatching(/^no sign-off from DevOps/),
      expect.stringMatching(/^no sign-off from Sponsor/),
    ]);
  });

  it('lets the latest sign-off of a role count, and names a no-go with its comment', () => {
    const flip = decide({
      ...base,
      signoffs: [
        sig('PM', 'go'),
        sig('DevOps', 'go'),
        sig('Sponsor', 'go'),
        sig('PM', 'no-go', { comment: 'support not ready' }),
      ],
    });
    expect(flip.reasons).toEqual(['PM (pm) signed no-go: support not ready']);
    const back = decide({
      ...base,
      signoffs: [sig('PM', 'no-go'), sig('PM', 'go'), sig('DevOps', 'go'), sig('Sponsor', 'go')],
    });
    expect(back.decision).toBe('GO');
  });

  it('treats a sign-off on another run or spec hash as stale', () => {
    const r = decide({
      ...base,
      signoffs: [sig('PM', 'go', { runId: 'run0' }), sig('DevOps', 'go', { specHash: 'h0' }), sig('Sponsor', 'go')],
    });
    expect(r.decision).toBe('NO-GO');
    expect(r.reasons).toEqual([
      expect.stringMatching(/^PM \(pm\) signed on an earlier run or spec/),
      expect.stringMatching(/^DevOps \(devops\) signed on an earlier run or spec/),
    ]);
    expect(viewSignoffs([sig('PM', 'go', { runId: 'run0' })], { id: 'run1', specHash: 'h1' })[0]?.stale).toBe(true);
  });

  it('is NO-GO with the blocking items when the run is not ready, even with every sign-off', () => {
    const notReady = evaluate(input());
    const r = decide({
      ...base,
      evaluation: notReady,
      signoffs: [sig('PM', 'go'), sig('DevOps', 'go'), sig('Sponsor', 'go')],
    });
    expect(r.decision).toBe('NO-GO');
    expect(r.reasons[0]).toMatch(/^not ready: AC-3 runbooks/);
  });

  it('refuses an unknown role and a go on a run that is not ready, but always allows no-go', () => {
    const roles = { PM: 'pat', DevOps: 'alex' };
    expect(checkSignoff({ role: 'CEO', decision: 'go', roles, requiredRoles: [], evaluation: ready })).toMatch(
      /unknown role "CEO"; roles in golive.yaml: PM, DevOps/,
    );
    const notReady = evaluate(input());
    expect(checkSignoff({ role: 'PM', decision: 'go', roles, requiredRoles: [], evaluation: notReady })).toMatch(
      /not ready.*AC-3/,
    );
    expect(
      checkSignoff({ role: 'PM', decision: 'no-go', roles, requiredRoles: [], evaluation: notReady }),
    ).toBeUndefined();
    expect(checkSignoff({ role: 'PM', decision: 'go', roles, requiredRoles: [], evaluation: ready })).toBeUndefined();
  });
});

describe('frozen thresholds', () => {
  it('lists added, removed and changed thresholds, ignoring whitespace', () => {
    expect(compareFrozen({ a: '< 200ms', b: '== 0', c: '< 1s' }, { a: '<200ms', b: '== 1', d: '> 5' })).toEqual([
      { name: 'b', frozen: '== 0', current: '== 1' },
      { name: 'd', frozen: null, current: '> 5' },
      { name: 'c', frozen: '< 1s', current: null },
    ]);
  });
});
