import { describe, expect, it } from 'vitest';
import type { Amendment, Attestation, Evidence, Finding, Waiver } from '../model.js';
import { criterionHash } from '../spec/criterion-hash.js';
import { countFindings, evaluate, NO_CRITERIA, type EvaluateInput } from './evaluate.js';

/** Builders shared by the gate's tests. */
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

const opsEvidence = (): Evidence =>
  ev({
    collector: 'ops',
    summary: 'all 4 ops endpoints answer',
    metrics: [{ name: 'ops.health.latency', value: 12, unit: 'ms' }],
    checks: [
      { id: 'ops.health', status: 'pass', summary: 'GET /health → 200 in 12 ms' },
      { id: 'ops.version', status: 'pass', summary: 'reports v1.0.0' },
    ],
  });

const scanEvidence = (): Evidence => ev({ collector: 'scan', summary: 'no findings', scansForFindings: true });

/** A spec with one criterion of each shape: thresholds + evidence, thresholds only, attestation only, non-goal. */
function input(over: Partial<EvaluateInput> = {}): EvaluateInput {
  return {
    spec: {
      thresholds: { 'ops.health.latency': '< 200ms', 'findings.high': '== 0' },
      criteria: [
        {
          id: 'AC-1',
          type: 'AC',
          title: 'Ops endpoints answer',
          evidence: ['ops.health', 'ops.version'],
          thresholds: ['ops.health.latency'],
        },
        { id: 'AC-2', type: 'AC', title: 'No high findings', thresholds: ['findings.high'] },
        { ...AC3 },
        { id: 'NG-1', type: 'Non-goal', title: 'Multi-region failover' },
      ],
    },
    evidence: [opsEvidence(), scanEvidence()],
    findings: [],
    attestations: [],
    waivers: [],
    amendments: [],
    now: NOW,
    ...over,
  };
}

const AC3 = { id: 'AC-3', type: 'AC', title: 'All runbooks created and reviewed', attest: 'DevOps' } as const;

/** An attestation of AC-3 as the spec says it now (bound to its content hash). */
const attestation = (over: Partial<Attestation> = {}): Attestation => ({
  criterionHash: criterionHash(AC3),
  id: 'a1',
  service: 'shop',
  release: 'v1',
  criterionId: 'AC-3',
  by: 'alex',
  role: 'DevOps',
  evidence: 'https://wiki.example.com/runbooks',
  createdAt: '2026-11-22T10:00:00Z',
  ...over,
});

const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'cors-wildcard',
  severity: 'high',
  title: 'CORS allows any origin',
  location: 'GET /api',
  fingerprint: 'fp-cors',
  ...over,
});

const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  id: 'w1',
  service: 'shop',
  release: 'v1',
  subject: 'criterion',
  subjectId: 'AC-3',
  reason: 'runbook review next sprint',
  by: 'lee',
  expiresAt: '2026-12-31T00:00:00Z',
  createdAt: '2026-11-20T00:00:00Z',
  ...over,
});

const amendment = (over: Partial<Amendment> = {}): Amendment => ({
  id: 'm1',
  service: 'shop',
  release: 'v1',
  threshold: 'ops.health.latency',
  from: '< 100ms',
  to: '< 200ms',
  reason: 'staging has half the nodes',
  by: 'sam',
  createdAt: '2026-11-21T00:00:00Z',
  ...over,
});

const byId = (e: ReturnType<typeof evaluate>, id: string) => {
  const c = e.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id}`);
  return c;
};
const threshold = (e: ReturnType<typeof evaluate>, name: string) => e.thresholds.find((t) => t.name === name);

describe('evaluate: a ready run', () => {
  const e = evaluate(input({ attestations: [attestation()] }));

  it('meets every criterion and blocks nothing', () => {
    expect(e.criteria.map((c) => [c.id, c.status])).toEqual([
      ['AC-1', 'Met'],
      ['AC-2', 'Met'],
      ['AC-3', 'Met'],
      ['NG-1', 'Out of scope'],
    ]);
    expect(e.readiness).toEqual({ ready: true, blocking: [] });
    expect(e.residualRisks).toEqual([]);
    expect(e.expiredWaivers).toEqual([]);
    expect(e.evaluatedAt).toBe('2026-11-22T12:00:00.000Z');
    expect(e.findings).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  });

  it('writes a short evidence column and keeps each part', () => {
    expect(byId(e, 'AC-1').evidence).toBe('ops.health.latency 12 ms (< 200ms) · ops.health pass · ops.version pass');
    expect(byId(e, 'AC-3').evidence).toBe('attested by alex (DevOps): https://wiki.example.com/runbooks');
    expect(byId(e, 'AC-1').parts).toEqual([
      {
        kind: 'threshold',
        ref: 'ops.health.latency',
        state: 'pass',
        detail: 'ops.health.latency 12 ms passes (< 200ms)',
      },
      { kind: 'evidence', ref: 'ops.health', state: 'pass', detail: 'ops.health pass: GET /health → 200 in 12 ms' },
      { kind: 'evidence', ref: 'ops.version', state: 'pass', detail: 'ops.version pass: reports v1.0.0' },
    ]);
  });

  it('shows a non-goal as Out of scope, never Met, with a note', () => {
    expect(byId(e, 'NG-1')).toMatchObject({ status: 'Out of scope', notes: 'non-goal: out of scope for this release' });
  });

  it('does not change its input', () => {
    const i = input({ attestations: [attestation()], findings: [finding()] });
    const before = structuredClone(i);
    const first = evaluate(i);
    expect(i).toEqual(before);
    expect(evaluate(i)).toEqual(first);
  });
});

describe('evaluate: metrics', () => {
  it('lets a later collector win on a metric name', () => {
    const e = evaluate(
      input({
        attestations: [attestation()],
        evidence: [
          opsEvidence(),
          scanEvidence(),
          ev({ collector: 'import', metrics: [{ name: 'ops.health.latency', value: 250, unit: 'ms' }] }),
        ],
      }),
    );
    expect(threshold(e, 'ops.health.latency')).toMatchObject({ outcome: 'fail', value: 250 });
  });

  it('counts open findings by severity, leaving out those under a live waiver', () => {
    const findings = [
      finding(),
      finding({ fingerprint: 'fp-2', severity: 'critical' }),
      finding({ fingerprint: 'fp-3', severity: 'low' }),
      finding({ fingerprint: 'fp-4', severity: 'low' }),
    ];
    const live = waiver({ subject: 'finding', subjectId: 'fp-cors' });
    const expired = waiver({ id: 'w2', subject: 'finding', subjectId: 'fp-3', expiresAt: '2026-11-01T00:00:00Z' });
    const e = evaluate(input({ findings, waivers: [live, expired], attestations: [attestation()] }));
    expect(e.findings).toEqual({ critical: 1, high: 0, medium: 0, low: 2, info: 0 });
    expect(threshold(e, 'findings.high')).toMatchObject({ outcome: 'pass', value: 0, unit: 'count' });

    const unwaived = evaluate(input({ findings, attestations: [attestation()] }));
    expect(threshold(unwaived, 'findings.high')).toMatchObject({ outcome: 'fail', reason: '1 is not == 0' });
  });

  it('synthesizes findings.* only when a collector that looks for findings ran', () => {
    const e = evaluate(input({ attestations: [attestation()], evidence: [opsEvidence()] }));
    expect(threshold(e, 'findings.high')).toMatchObject({
      outcome: 'no-data',
      reason: 'no collector produced findings.high',
    });
    expect(byId(e, 'AC-2').status).toBe('Unverified');
    expect(e.readiness.blocking).toEqual([
      'AC-2 No high findings: Unverified — findings.high no data — no collector produced findings.high (== 0)',
      'threshold findings.high == 0: no data — no collector produced findings.high',
    ]);
  });

  it('counts zero findings as data when a scan ran and found nothing', () => {
    const e = evaluate(input({ attestations: [attestation()], evidence: [scanEvidence()] }));
    expect(threshold(e, 'findings.high')).toMatchObject({ outcome: 'pass', display: '0' });
    expect(threshold(e, 'ops.health.latency')?.outcome).toBe('no-data');
  });
});

describe('evaluate: criterion status', () => {
  it('gives Partial, Unmet and Unverified, with one blocking line per problem', () => {
    const e = evaluate(
      input({
        findings: [finding()],
        evidence: [
          ev({
            collector: 'ops',
            checks: [
              { id: 'ops.health', status: 'pass', summary: '200' },
              { id: 'ops.version', status: 'fail', summary: 'reports v0.9.9, expected v1.0.0' },
            ],
          }),
          scanEvidence(),
        ],
      }),
    );
    expect(e.criteria.map((c) => c.status)).toEqual(['Partial', 'Unmet', 'Unverified', 'Out of scope']);
    expect(e.readiness.ready).toBe(false);
    expect(e.readiness.blocking).toEqual([
      'AC-1 Ops endpoints answer: Partial — ops.health.latency no data — no collector produced ops.health.latency (< 200ms); ops.version fail: reports v0.9.9, expected v1.0.0',
      'AC-2 No high findings: Unmet — findings.high 1 is not == 0 (== 0)',
      'AC-3 All runbooks created and reviewed: Unverified — needs attestation by DevOps: golive attest AC-3 --by NAME --role DevOps --evidence URL',
      'threshold ops.health.latency < 200ms: no data — no collector produced ops.health.latency',
      'threshold findings.high == 0: 1 is not == 0',
    ]);
    expect(byId(e, 'AC-1').evidence).toBe(
      'ops.health.latency no data · ops.health pass · ops.version fail: reports v0.9.9, expected v1.0.0',
    );
    expect(byId(e, 'AC-2').evidence).toBe('findings.high 1 is not == 0');
    expect(byId(e, 'AC-3').evidence).toBe('needs attestation by DevOps');
  });

  it('is Unverified with a note when a criterion names nothing to check', () => {
    const base = input({ attestations: [attestation()] });
    const e = evaluate({
      ...base,
      spec: { ...base.spec, criteria: [{ id: 'DoD-9', type: 'DoD', title: 'Docs updated' }] },
    });
    expect(e.criteria[0]).toMatchObject({
      status: 'Unverified',
      parts: [],
      evidence: '',
      notes: 'no thresholds, evidence or attestation named',
    });
    expect(e.readiness.blocking).toEqual([
      'DoD-9 Docs updated: Unverified — no thresholds, evidence or attestation named',
    ]);
  });

  it('treats an invalid threshold as a failed part, and a threshold the spec does not define as missing', () => {
    const base = input();
    const e = evaluate({
      ...base,
      spec: {
        thresholds: { 'ops.health.latency': '< 5%' },
        criteria: [
          { id: 'AC-1', type: 'AC', title: 'Latency', thresholds: ['ops.health.latency'] },
          { id: 'AC-2', type: 'AC', title: 'Typo', thresholds: ['ops.health.latancy'] },
        ],
      },
    });
    expect(byId(e, 'AC-1')).toMatchObject({ status: 'Unmet', evidence: 'ops.health.latency invalid threshold' });
    expect(byId(e, 'AC-1').parts[0]?.detail).toMatch(/measured in milliseconds, but "< 5%" is a percentage/);
    expect(byId(e, 'AC-2')).toMatchObject({ status: 'Unverified', evidence: 'ops.health.latancy not defined' });
    expect(e.readiness.blocking[2]).toMatch(/^threshold ops.health.latency < 5%: ops.health.latency is measured in/);
  });

  it('matches evidence refs to checks, else whole collectors, and maps their status', () => {
    const base = input();
    const e = evaluate({
      ...base,
      evidence: [
        opsEvidence(),
        ev({ collector: 'scan', status: 'pass', summary: 'scanned 120 files' }),
        ev({ collector: 'drill', status: 'error', summary: 'drill', error: 'deploy.sh exited 127' }),
        ev({ collector: 'probes', status: 'skipped', summary: 'no probes configured' }),
      ],
      spec: {
        thresholds: {},
        criteria: [
          { id: 'C-pass', type: 'AC', title: 'collector', evidence: ['scan'] },
          { id: 'C-error', type: 'AC', title: 'error', evidence: ['drill'] },
          { id: 'C-skip', type: 'AC', title: 'skipped', evidence: ['probes'] },
          { id: 'C-none', type: 'AC', title: 'absent', evidence: ['scan.runbooks'] },
          { id: 'C-mix', type: 'AC', title: 'mix', evidence: ['ops.health', 'probes', 'drill'] },
        ],
      },
    });
    expect(e.criteria.map((c) => [c.id, c.status, c.evidence])).toEqual([
      ['C-pass', 'Met', 'scan pass'],
      ['C-error', 'Unmet', 'drill error: deploy.sh exited 127'],
      ['C-skip', 'Unverified', 'probes skipped: no probes configured'],
      ['C-none', 'Unverified', 'scan.runbooks not collected'],
      [
        'C-mix',
        'Partial',
        'ops.health pass · probes skipped: no probes configured · drill error: deploy.sh exited 127',
      ],
    ]);
    expect(byId(e, 'C-none').parts[0]).toEqual({
      kind: 'evidence',
      ref: 'scan.runbooks',
      state: 'missing',
      detail: 'scan.runbooks: no evidence collected in this run',
    });
  });

  it('takes a check from the later evidence item when two report the same id', () => {
    const base = input();
    const e = evaluate({
      ...base,
      evidence: [
        ev({ collector: 'ops', checks: [{ id: 'ops.health', status: 'fail', summary: 'first' }] }),
        ev({ collector: 'ops', checks: [{ id: 'ops.health', status: 'pass', summary: 'retry' }] }),
      ],
      spec: { thresholds: {}, criteria: [{ id: 'A', type: 'AC', title: 't', evidence: ['ops.health'] }] },
    });
    expect(e.criteria[0]?.status).toBe('Met');
  });

  it('counts only an attestation for this criterion by the named role', () => {
    const wrongRole = evaluate(input({ attestations: [attestation({ role: 'PM', by: 'pat' })] }));
    expect(byId(wrongRole, 'AC-3').status).toBe('Unverified');
    const wrongItem = evaluate(input({ attestations: [attestation({ criterionId: 'AC-1' })] }));
    expect(byId(wrongItem, 'AC-3').status).toBe('Unverified');
    const latest = evaluate(
      input({
        // in the order recorded; the later one was made with a clock two hours behind
        attestations: [
          attestation({ by: 'first', evidence: 'https://a', createdAt: '2026-11-22T11:00:00Z' }),
          attestation({ by: 'later', evidence: 'https://b', createdAt: '2026-11-22T09:00:00Z' }),
        ],
      }),
    );
    expect(byId(latest, 'AC-3')).toMatchObject({ status: 'Met', evidence: 'attested by later (DevOps): https://b' });
  });

  it('quotes a role with a space in the attest command', () => {
    const base = input();
    const e = evaluate({
      ...base,
      spec: { thresholds: {}, criteria: [{ id: 'AC-9', type: 'AC', title: 'QA', attest: 'QA Lead' }] },
    });
    expect(e.criteria[0]?.parts[0]?.detail).toBe(
      'needs attestation by QA Lead: golive attest AC-9 --by NAME --role "QA Lead" --evidence URL',
    );
  });

  it('never blocks on a non-goal, whatever its parts say, and keeps its own note', () => {
    const base = input({ attestations: [attestation()] });
    const e = evaluate({
      ...base,
      spec: {
        ...base.spec,
        criteria: [
          ...base.spec.criteria,
          { id: 'NG-2', type: 'Non-goal', title: 'Dark mode', evidence: ['ui.dark'], notes: 'next quarter' },
        ],
      },
    });
    expect(byId(e, 'NG-2')).toMatchObject({ status: 'Out of scope', notes: 'next quarter' });
    expect(e.readiness).toEqual({ ready: true, blocking: [] });
  });
});

describe('evaluate: waivers', () => {
  it('lets a live criterion waiver count as ready and lists it as a residual risk', () => {
    const e = evaluate(input({ waivers: [waiver()] }));
    expect(byId(e, 'AC-3')).toMatchObject({ status: 'Unverified', waiver: { id: 'w1' } });
    expect(e.readiness).toEqual({ ready: true, blocking: [] });
    expect(e.residualRisks).toEqual([
      'AC-3 All runbooks created and reviewed is Unverified, waived by lee until 2026-12-31: runbook review next sprint',
    ]);
  });

  it('treats a waiver without expiry as lasting the release', () => {
    const noExpiry: Waiver = { ...waiver(), expiresAt: undefined };
    delete noExpiry.expiresAt;
    const e = evaluate(input({ waivers: [noExpiry] }));
    expect(e.readiness.ready).toBe(true);
    expect(e.residualRisks[0]).toMatch(/waived by lee for this release: /);
  });

  it('drops an expired waiver (expiry at or before now) and says it no longer counts', () => {
    for (const expiresAt of ['2026-11-01T00:00:00Z', NOW.toISOString()]) {
      const w = waiver({ expiresAt });
      const e = evaluate(input({ waivers: [w] }));
      expect(byId(e, 'AC-3').waiver).toBeUndefined();
      expect(e.readiness.ready).toBe(false);
      expect(e.readiness.blocking[0]).toMatch(
        /^AC-3 All runbooks created and reviewed: Unverified — needs attestation/,
      );
      expect(e.expiredWaivers).toEqual([w]);
      expect(e.residualRisks).toEqual([
        `waiver for criterion AC-3 expired on ${expiresAt.slice(0, 10)} and no longer counts`,
      ]);
    }
  });

  it('does not report an expired waiver that a live one renewed', () => {
    const old = waiver({ id: 'w0', expiresAt: '2026-11-01T00:00:00Z' });
    const e = evaluate(input({ waivers: [old, waiver()] }));
    expect(e.readiness.ready).toBe(true);
    expect(e.expiredWaivers).toEqual([old]);
    expect(e.residualRisks.some((r) => r.includes('expired'))).toBe(false);
  });

  it('keeps blocking on a failing threshold even when the criterion naming it is waived', () => {
    const e = evaluate(
      input({
        attestations: [attestation()],
        findings: [finding()],
        waivers: [waiver({ subjectId: 'AC-2', reason: 'accepted for beta' })],
      }),
    );
    expect(byId(e, 'AC-2').waiver).toBeDefined();
    expect(e.readiness).toEqual({ ready: false, blocking: ['threshold findings.high == 0: 1 is not == 0'] });
  });

  it('lists waived findings and expired finding waivers with what they were about', () => {
    const e = evaluate(
      input({
        attestations: [attestation()],
        findings: [finding(), finding({ fingerprint: 'fp-old', severity: 'low', rule: 'x-powered-by' })],
        waivers: [
          waiver({ subject: 'finding', subjectId: 'fp-cors', reason: 'internal only', by: 'sam' }),
          waiver({ id: 'w9', subject: 'finding', subjectId: 'fp-old', expiresAt: '2026-10-01T00:00:00Z' }),
          waiver({ id: 'w8', subject: 'finding', subjectId: 'fp-gone', reason: 'fixed since' }),
        ],
      }),
    );
    expect(e.residualRisks).toEqual([
      'finding high cors-wildcard at GET /api waived by sam until 2026-12-31: internal only',
      'waiver for finding fp-old (low x-powered-by at GET /api) expired on 2026-10-01 and no longer counts',
    ]);
  });
});

describe('evaluate: accepted risks', () => {
  it('does not count an accepted finding, lists it as an accepted risk, and says when an accepted risk expired', () => {
    const findings = [finding(), finding({ fingerprint: 'fp-old', severity: 'low', rule: 'x-powered-by' })];
    const e = evaluate(
      input({
        attestations: [attestation()],
        findings,
        waivers: [
          waiver({
            kind: 'accepted-risk',
            subject: 'finding',
            subjectId: 'fp-cors',
            expiresAt: undefined,
            reason: 'internal',
            by: 'sam',
          }),
          waiver({
            id: 'w9',
            kind: 'accepted-risk',
            subject: 'finding',
            subjectId: 'fp-old',
            expiresAt: '2026-10-01T00:00:00Z',
          }),
        ],
      }),
    );
    expect(e.findings).toMatchObject({ high: 0, low: 1 });
    expect(e.residualRisks).toEqual([
      'finding high cors-wildcard at GET /api accepted as a risk by sam for this release: internal',
      'accepted risk for finding fp-old (low x-powered-by at GET /api) expired on 2026-10-01 and no longer counts',
    ]);
  });

  it('forgets an expired waiver of a finding that is no longer among the unresolved findings', () => {
    const e = evaluate(
      input({
        attestations: [attestation()],
        findings: [],
        waivers: [waiver({ id: 'w9', subject: 'finding', subjectId: 'fp-fixed', expiresAt: '2026-10-01T00:00:00Z' })],
      }),
    );
    expect(e.expiredWaivers).toHaveLength(1);
    expect(e.residualRisks).toEqual([]);
  });
});

describe('evaluate: thresholds and readiness', () => {
  it('is never ready with no criteria, or only Non-goals: nothing shows the release is ready', () => {
    const none = evaluate({ ...input(), spec: { thresholds: {}, criteria: [] }, evidence: [] });
    expect(none.readiness).toEqual({ ready: false, blocking: [NO_CRITERIA] });
    expect(NO_CRITERIA).toMatch(/^no criteria: nothing in golive\.yaml shows the release is ready/);
    const nonGoals = evaluate({
      ...input(),
      spec: { thresholds: {}, criteria: [{ id: 'NG-1', type: 'Non-goal', title: 'Multi-region failover' }] },
    });
    expect(nonGoals.readiness).toEqual({ ready: false, blocking: [NO_CRITERIA] });
    // one criterion that is met is enough
    const one = evaluate({
      ...input(),
      spec: {
        thresholds: {},
        criteria: [
          { id: 'AC-1', type: 'AC', title: 'Ops endpoints answer', evidence: ['ops.health'] },
          { id: 'NG-1', type: 'Non-goal', title: 'Multi-region failover' },
        ],
      },
    });
    expect(one.readiness).toEqual({ ready: true, blocking: [] });
  });

  it('blocks on a threshold no criterion names', () => {
    const base = input({ attestations: [attestation()] });
    const e = evaluate({
      ...base,
      spec: { ...base.spec, thresholds: { ...base.spec.thresholds, 'load.rps': '>= 1000' } },
    });
    expect(byId(e, 'AC-1').status).toBe('Met');
    expect(e.readiness).toEqual({
      ready: false,
      blocking: ['threshold load.rps >= 1000: no data — no collector produced load.rps'],
    });
  });

  it('marks a threshold amended only when the latest amendment set it to the expression in force', () => {
    const first = amendment({ from: '< 100ms', to: '< 150ms', createdAt: '2026-11-20T00:00:00Z' });
    // recorded after `first`, on a machine whose clock was days behind: the order recorded counts, not the time
    const second = amendment({ id: 'm2', from: '< 150ms', to: '<200ms', by: 'kim', createdAt: '2026-11-10T00:00:00Z' });
    const e = evaluate(input({ attestations: [attestation()], amendments: [first, second] }));
    expect(threshold(e, 'ops.health.latency')?.amended).toBe(true);
    expect(threshold(e, 'findings.high')?.amended).toBeUndefined();
    expect(e.residualRisks).toEqual([
      'threshold ops.health.latency amended from < 100ms to < 150ms by sam: staging has half the nodes',
      'threshold ops.health.latency amended from < 150ms to <200ms by kim: staging has half the nodes',
    ]);

    const stale = evaluate(input({ attestations: [attestation()], amendments: [first] }));
    expect(threshold(stale, 'ops.health.latency')?.amended).toBeUndefined();
  });

  it('words added and removed thresholds in amendments', () => {
    const e = evaluate(
      input({
        attestations: [attestation()],
        amendments: [
          amendment({ threshold: 'load.rps', from: null, to: '>= 500', reason: 'new scenario' }),
          amendment({ id: 'm2', threshold: 'load.p99', from: '< 1s', to: null, reason: 'p95 is enough' }),
        ],
      }),
    );
    expect(e.residualRisks).toEqual([
      'threshold load.rps amended from (none) to >= 500 by sam: new scenario',
      'threshold load.p99 amended from < 1s to (removed) by sam: p95 is enough',
    ]);
  });

  it('lists a Partial criterion as a residual risk, naming what is still open', () => {
    const ops = opsEvidence();
    const e = evaluate(
      input({
        attestations: [attestation()],
        evidence: [
          { ...ops, checks: [ops.checks[0]!, { id: 'ops.version', status: 'skipped', summary: 'no /version' }] },
          scanEvidence(),
        ],
      }),
    );
    expect(byId(e, 'AC-1').status).toBe('Partial');
    expect(e.residualRisks).toEqual(['AC-1 Ops endpoints answer is only partly met (not yet: ops.version)']);
  });
});

describe('countFindings', () => {
  it('counts by severity', () => {
    const fs: Finding[] = [finding(), finding({ severity: 'info' }), finding({ severity: 'info' })];
    expect(countFindings(fs)).toEqual({ critical: 0, high: 1, medium: 0, low: 0, info: 2 });
  });
});

describe('evaluate: attestations bound to what the criterion says', () => {
  it('makes an attestation stale once its criterion is reworded: Unverified with a note, and blocking', () => {
    // AC-3 was attested as "Pen test passed"; the spec now says something else.
    const old = attestation({ criterionHash: criterionHash({ ...AC3, title: 'Pen test passed' }) });
    const e = evaluate(input({ attestations: [old] }));
    const note = 'attestation stale: criterion changed since attested by alex on 2026-11-22';
    expect(byId(e, 'AC-3')).toMatchObject({ status: 'Unverified', notes: note, evidence: note });
    expect(byId(e, 'AC-3').parts[0]).toMatchObject({ state: 'missing' });
    expect(byId(e, 'AC-3').parts[0]?.detail).toMatch(/attest it again: golive attest AC-3/);
    expect(e.readiness.ready).toBe(false);
    expect(e.readiness.blocking[0]).toMatch(/^AC-3 All runbooks created and reviewed: Unverified — attestation stale/);
  });

  it('makes it stale when the role, the type or what the criterion rests on changes, not when notes change', () => {
    const bound = (c: Parameters<typeof criterionHash>[0]) => attestation({ criterionHash: criterionHash(c) });
    for (const changed of [
      { ...AC3, type: 'DoD' as const },
      { ...AC3, thresholds: ['findings.high'] },
      { ...AC3, evidence: ['scan.runbooks'] },
    ]) {
      expect(byId(evaluate(input({ attestations: [bound(changed)] })), 'AC-3').status).toBe('Unverified');
    }
    const withNotes = input({ attestations: [attestation()] });
    const spec = { ...withNotes.spec, criteria: withNotes.spec.criteria.map((c) => ({ ...c, notes: 'reviewed' })) };
    expect(byId(evaluate({ ...withNotes, spec }), 'AC-3').status).toBe('Met');
  });

  it('lets a fresh attestation of the new wording count over a stale one, and keeps the rest Partial', () => {
    const stale = attestation({ by: 'old', criterionHash: 'sha256:0' });
    const fresh = attestation({ by: 'new', createdAt: '2026-11-22T11:00:00Z' });
    expect(byId(evaluate(input({ attestations: [stale, fresh] })), 'AC-3').status).toBe('Met');
    // A criterion with a passing threshold and a stale attestation is Partial, with the note.
    const base = input();
    const c = { ...AC3, thresholds: ['ops.health.latency'] };
    const e = evaluate({
      ...base,
      spec: { ...base.spec, criteria: [c] },
      attestations: [attestation({ criterionHash: criterionHash({ ...c, title: 'old' }) })],
    });
    expect(byId(e, 'AC-3')).toMatchObject({ status: 'Partial', notes: expect.stringMatching(/^attestation stale/) });
  });

  it('never counts an attestation without a content hash (it must be bound first)', () => {
    const { criterionHash: _h, ...legacy } = attestation();
    expect(byId(evaluate(input({ attestations: [legacy] })), 'AC-3').status).toBe('Unverified');
  });
});
