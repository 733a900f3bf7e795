import type {
  CriterionResult,
  Evidence,
  ReportModel,
  SignoffView,
  ThresholdResult,
  Waiver,
  Amendment,
  Finding,
} from '../model.js';
import { signoffStatus } from '../gate/signoffs.js';

/** Spec hash and ids shared by the sample model, so tests can refer to them. */
export const SAMPLE = {
  service: 'checkout-api',
  release: 'v1.4.0',
  runId: '20261122T110000Z-7f3a9c',
  specHash: 'sha256:3b1f0c9e8d7a65b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0',
  auditHead: '9c4e2a7b1d3f5e6a8b0c2d4e6f8a0b1c3d5e7f9a1b2c3d4e5f6a7b8c9d0e1f2a',
  recordHash: '5e8d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d',
} as const;

/**
 * A realistic report model for renderer tests (and anyone else's): checkout-api
 * v1.4.0 on a NO-GO decision, with every criterion status (Met, Partial, Unmet,
 * Unverified, a waived one and a Non-goal), passing, failing, amended and
 * no-data thresholds, a live and an expired waiver, a finding, and sign-offs
 * that are current, stale, no-go and missing. Deterministic: no clock, no random.
 *
 * `overrides` replace top-level keys, e.g. `sampleReportModel({ decision: undefined })`.
 */
export function sampleReportModel(overrides: Partial<ReportModel> = {}): ReportModel {
  const { service, release, runId, specHash } = SAMPLE;
  const liveWaiver: Waiver = {
    id: 'wv-01',
    service,
    release,
    subject: 'criterion',
    subjectId: 'AC-4',
    reason: 'Alertmanager in staging is being migrated; alarm drill booked for 2026-11-24 with on-call',
    by: 'lee@example.com',
    expiresAt: '2026-12-31T23:59:59.000Z',
    createdAt: '2026-11-20T10:00:00.000Z',
  };
  const expiredWaiver: Waiver = {
    id: 'wv-00',
    service,
    release,
    subject: 'criterion',
    subjectId: 'DoD-2',
    reason: 'rollback drill to be re-run after the deploy script fix',
    by: 'sam@example.com',
    expiresAt: '2026-11-15T00:00:00.000Z',
    createdAt: '2026-11-10T09:00:00.000Z',
  };
  const amendment: Amendment = {
    id: 'am-01',
    service,
    release,
    threshold: 'load.error_rate',
    from: '< 0.05%',
    to: '< 0.1%',
    reason: 'staging shares a payment sandbox that rate-limits at peak; production has a dedicated one',
    by: 'sam@example.com',
    createdAt: '2026-11-21T09:00:00.000Z',
  };
  const findings: Finding[] = [
    {
      rule: 'cors-credentials-reflect',
      severity: 'high',
      title: 'Any Origin is reflected with Access-Control-Allow-Credentials: true',
      location: 'GET http://127.0.0.1:8080/orders',
      evidence: 'Origin: https://evil.example → Access-Control-Allow-Origin: https://evil.example',
      remediation: 'Allow-list the storefront origins instead of echoing the request Origin.',
      fingerprint: 'c0f5a1b2c3d4e5f60718293a4b5c6d7e',
    },
    {
      rule: 'header-hsts-missing',
      severity: 'low',
      title: 'Strict-Transport-Security header missing',
      location: 'GET http://127.0.0.1:8080/products',
      remediation: 'Send Strict-Transport-Security: max-age=31536000 from the edge.',
      fingerprint: '4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091',
    },
    {
      rule: 'server-version-banner',
      severity: 'low',
      title: 'Server header discloses framework version',
      location: 'GET http://127.0.0.1:8080/health',
      evidence: 'Server: express/4.19.2',
      fingerprint: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
    },
  ];

  const timeline = Array.from({ length: 60 }, (_, t) => {
    const wave = Math.sin(t / 6);
    const spike = t >= 38 && t <= 42 ? 1 : 0;
    return {
      t,
      rps: Math.round(1000 + 24 * wave - 40 * spike + (t < 3 ? -(3 - t) * 180 : 0)),
      errors: spike ? 9 + t - 38 : t % 11 === 0 ? 1 : 0,
      dropped: 0,
      p50: Math.round(38 + 4 * wave + 30 * spike),
      p95: Math.round(128 + 14 * wave + 150 * spike),
      p99: Math.round(260 + 40 * wave + 260 * spike),
      inFlight: Math.round(44 + 6 * wave + 30 * spike),
    };
  });
  const pct = { p50: 41, p90: 112, p95: 142, p99: 388, p999: 612, max: 904, mean: 58 };
  const evidence: Evidence[] = [
    {
      collector: 'load',
      status: 'fail',
      summary: '60 720 requests at 1 012 req/s; p95 142 ms; error rate 0.4 %',
      startedAt: '2026-11-22T11:00:05.000Z',
      endedAt: '2026-11-22T11:01:05.000Z',
      metrics: [
        { name: 'load.latency.p95', value: 142, unit: 'ms' },
        { name: 'load.latency.p99', value: 388, unit: 'ms' },
        { name: 'load.error_rate', value: 0.004, unit: 'ratio' },
        { name: 'load.rps', value: 1012, unit: 'rps' },
      ],
      checks: [
        {
          id: 'load.report',
          status: 'pass',
          summary: 'p50/p95/p99, throughput and error rate recorded for 2 scenarios',
        },
        { id: 'load.browse', status: 'pass', summary: 'browse: 48 600 requests, p95 118 ms, 0.02 % errors' },
        {
          id: 'load.login',
          status: 'fail',
          summary: 'login: 12 120 requests, p95 231 ms, 1.9 % errors (429 from sandbox)',
        },
      ],
      findings: [],
      artifacts: [
        { name: 'load result', path: 'runs/20261122T110000Z-7f3a9c/load.json', contentType: 'application/json' },
        { name: 'latency histogram', path: 'runs/20261122T110000Z-7f3a9c/load.hgrm', contentType: 'text/plain' },
      ],
      data: {
        scenarios: {
          checkout: {
            kind: 'golive-load-result',
            version: 1,
            target: 'http://127.0.0.1:8080',
            executor: 'constant-arrival-rate',
            corrected: true,
            startedAt: '2026-11-22T11:00:05.000Z',
            durationMs: 60_000,
            requests: 60_720,
            ok: 60_477,
            errors: 243,
            errorRate: 0.004,
            errorClasses: { status: 231, timeout: 12 },
            statuses: { '200': 60_477, '429': 231 },
            dropped: 0,
            rps: 1012,
            bytesIn: 91_080_000,
            bytesOut: 7_286_400,
            cache: { hits: 41_300, misses: 7_300, ratio: 0.85 },
            latency: pct,
            serviceTime: { ...pct, p95: 131, p99: 350 },
            timeline,
            perRequest: {},
          },
        },
      },
    },
    {
      collector: 'ops',
      status: 'fail',
      summary: '2 of 4 ops endpoints answer as expected',
      startedAt: '2026-11-22T11:00:00.000Z',
      endedAt: '2026-11-22T11:00:01.000Z',
      metrics: [],
      checks: [
        { id: 'ops.health', status: 'pass', summary: 'GET /health → 200 in 3 ms' },
        { id: 'ops.status', status: 'pass', summary: 'GET /status → 200 in 5 ms' },
        { id: 'ops.version', status: 'fail', summary: 'GET /version → 200 but reports v1.3.2, expected v1.4.0' },
        { id: 'ops.metrics', status: 'fail', summary: 'GET /metrics → line 14: not a Prometheus sample line' },
      ],
      findings: [],
      artifacts: [],
      scansForFindings: false,
    },
    {
      collector: 'probes',
      status: 'fail',
      summary: '14 security probes; 1 high, 2 low findings',
      startedAt: '2026-11-22T11:01:06.000Z',
      endedAt: '2026-11-22T11:01:09.000Z',
      metrics: [],
      checks: [
        { id: 'security.auth', status: 'pass', summary: '3 protected endpoints refuse anonymous requests (401)' },
        { id: 'security.cors', status: 'fail', summary: 'GET /orders reflects any Origin with credentials' },
        { id: 'security.headers', status: 'pass', summary: 'CSP, X-Content-Type-Options, Referrer-Policy present' },
      ],
      findings,
      artifacts: [
        {
          name: 'probe transcript',
          path: 'runs/20261122T110000Z-7f3a9c/probes.ndjson',
          contentType: 'application/x-ndjson',
        },
      ],
      scansForFindings: true,
    },
    {
      collector: 'scan',
      status: 'pass',
      summary: 'repository scan: no secrets; 6 runbooks indexed',
      startedAt: '2026-11-22T11:01:10.000Z',
      endedAt: '2026-11-22T11:01:12.000Z',
      metrics: [],
      checks: [
        { id: 'scan.secrets', status: 'pass', summary: '412 files scanned, no secrets found' },
        {
          id: 'scan.runbooks',
          status: 'pass',
          summary: 'docs/runbooks/: 6 runbooks, each with owner and rollback step',
        },
      ],
      findings: [],
      artifacts: [],
      scansForFindings: true,
    },
    {
      collector: 'drill.rollback',
      status: 'error',
      summary: 'rollback drill could not start',
      startedAt: '2026-11-22T11:01:13.000Z',
      endedAt: '2026-11-22T11:01:13.000Z',
      metrics: [],
      checks: [],
      findings: [],
      artifacts: [],
      error: './deploy.sh v1.4.0 exited 127: command not found',
    },
  ];

  const thresholds: ThresholdResult[] = [
    { name: 'load.latency.p95', expr: '< 200ms', outcome: 'pass', value: 142, unit: 'ms', display: '142 ms' },
    { name: 'load.latency.p99', expr: '< 500ms', outcome: 'pass', value: 388, unit: 'ms', display: '388 ms' },
    {
      name: 'load.error_rate',
      expr: '< 0.1%',
      outcome: 'fail',
      value: 0.004,
      unit: 'ratio',
      display: '0.4 %',
      reason: '0.4 % is not < 0.1 %',
      amended: true,
    },
    { name: 'load.rps', expr: '>= 1000', outcome: 'pass', value: 1012, unit: 'rps', display: '1 012 req/s' },
    { name: 'findings.critical', expr: '== 0', outcome: 'pass', value: 0, unit: 'count', display: '0' },
    {
      name: 'findings.high',
      expr: '== 0',
      outcome: 'fail',
      value: 1,
      unit: 'count',
      display: '1',
      reason: '1 is not == 0',
    },
    {
      name: 'drill.rollback.duration',
      expr: '< 5m',
      outcome: 'no-data',
      reason: 'no collector produced drill.rollback.duration',
    },
  ];

  const criteria: CriterionResult[] = [
    {
      id: 'AC-1',
      type: 'AC',
      title: 'Load test shows acceptable performance',
      status: 'Partial',
      parts: [
        { kind: 'threshold', ref: 'load.latency.p95', state: 'pass', detail: 'load.latency.p95 142 ms < 200ms' },
        { kind: 'threshold', ref: 'load.error_rate', state: 'fail', detail: 'load.error_rate 0.4 % is not < 0.1 %' },
        { kind: 'threshold', ref: 'load.rps', state: 'pass', detail: 'load.rps 1 012 req/s >= 1000' },
      ],
      evidence: 'load.latency.p95 142 ms < 200ms · load.error_rate 0.4 % is not < 0.1 % · load.rps 1 012 req/s >= 1000',
    },
    {
      id: 'AC-2',
      type: 'AC',
      title: 'Security review has no critical findings',
      status: 'Partial',
      parts: [
        { kind: 'threshold', ref: 'findings.critical', state: 'pass', detail: 'findings.critical 0 == 0' },
        { kind: 'threshold', ref: 'findings.high', state: 'fail', detail: 'findings.high 1 is not == 0' },
      ],
      evidence: 'findings.critical 0 == 0 · findings.high 1 is not == 0',
    },
    {
      id: 'AC-3',
      type: 'AC',
      title: 'All runbooks created and reviewed',
      status: 'Met',
      parts: [
        { kind: 'evidence', ref: 'scan.runbooks', state: 'pass', detail: 'scan.runbooks: 6 runbooks indexed' },
        {
          kind: 'attestation',
          ref: 'DevOps',
          state: 'pass',
          detail: 'attested by alex@example.com (DevOps): https://wiki.example.com/checkout/runbooks',
        },
      ],
      evidence: 'scan.runbooks: 6 runbooks indexed · attested by alex@example.com (DevOps)',
    },
    {
      id: 'AC-4',
      type: 'AC',
      title: 'Test alarm fired and recovery verified',
      status: 'Unverified',
      parts: [{ kind: 'evidence', ref: 'drill.alarm', state: 'missing', detail: 'drill.alarm: no evidence' }],
      evidence: 'drill.alarm: no evidence',
      waiver: liveWaiver,
    },
    {
      id: 'AC-5',
      type: 'AC',
      title: 'Ops endpoints report the release under test',
      status: 'Unmet',
      parts: [
        { kind: 'evidence', ref: 'ops.version', state: 'fail', detail: 'ops.version reports v1.3.2, expected v1.4.0' },
        { kind: 'evidence', ref: 'ops.metrics', state: 'fail', detail: 'ops.metrics line 14: not a sample line' },
      ],
      evidence: 'ops.version reports v1.3.2, expected v1.4.0 · ops.metrics line 14: not a sample line',
    },
    {
      id: 'DoD-1',
      type: 'DoD',
      title: 'Benchmark report with p50, p95, p99, throughput and error rate is attached',
      status: 'Met',
      parts: [{ kind: 'evidence', ref: 'load.report', state: 'pass', detail: 'load.report: runs/…/load.json' }],
      evidence: 'load.report: runs/…/load.json',
    },
    {
      id: 'DoD-2',
      type: 'DoD',
      title: 'Rollback test evidence is attached',
      status: 'Unverified',
      parts: [
        {
          kind: 'threshold',
          ref: 'drill.rollback.duration',
          state: 'missing',
          detail: 'drill.rollback.duration: no data',
        },
      ],
      evidence: 'drill.rollback.duration: no data',
      notes: 'waiver wv-00 expired on 2026-11-15',
    },
    {
      id: 'NG-1',
      type: 'Non-goal',
      title: 'Multi-region disaster recovery program',
      status: 'Out of scope',
      parts: [],
      evidence: '',
      notes: 'non-goal: out of scope for this release',
    },
  ];

  const signoffs: SignoffView[] = [
    {
      id: 'so-01',
      runId: '20261121T160000Z-1b2c3d',
      specHash,
      role: 'PM',
      by: 'pat@example.com',
      decision: 'go',
      createdAt: '2026-11-21T17:10:00.000Z',
      stale: true,
    },
    {
      id: 'so-02',
      runId,
      specHash,
      role: 'DevOps',
      by: 'alex@example.com',
      decision: 'go',
      comment: 'runbooks reviewed with on-call',
      createdAt: '2026-11-22T11:20:00.000Z',
      stale: false,
    },
    {
      id: 'so-03',
      runId,
      specHash,
      role: 'QA Lead',
      by: 'kim@example.com',
      decision: 'no-go',
      comment: 'login error rate 1.9 % under load',
      createdAt: '2026-11-22T11:30:00.000Z',
      stale: false,
    },
  ];

  const blocking = [
    'AC-1 Load test shows acceptable performance: Partial — load.error_rate 0.4 % is not < 0.1 %',
    'AC-2 Security review has no critical findings: Partial — findings.high 1 is not == 0',
    'AC-5 Ops endpoints report the release under test: Unmet — ops.version reports v1.3.2, expected v1.4.0; ops.metrics line 14: not a sample line',
    'DoD-2 Rollback test evidence is attached: Unverified — drill.rollback.duration: no data',
    'threshold load.error_rate < 0.1%: 0.4 % is not < 0.1 %',
    'threshold findings.high == 0: 1 is not == 0',
    'threshold drill.rollback.duration < 5m: no data',
  ];

  const model: Omit<ReportModel, 'signoffStatus'> & Partial<Pick<ReportModel, 'signoffStatus'>> = {
    schemaVersion: 1,
    generatedAt: '2026-11-22T12:00:00.000Z',
    run: {
      id: runId,
      service,
      release,
      specHash,
      targetVersion: 'v1.4.0-rc.3',
      baseUrl: 'http://127.0.0.1:8080',
      startedAt: '2026-11-22T11:00:00.000Z',
      endedAt: '2026-11-22T11:01:13.000Z',
      status: 'complete',
    },
    evidence,
    evaluation: {
      evaluatedAt: '2026-11-22T12:00:00.000Z',
      thresholds,
      criteria,
      findings: { critical: 0, high: 1, medium: 0, low: 2, info: 0 },
      readiness: { ready: false, blocking },
      residualRisks: [
        'AC-1 Load test shows acceptable performance is only partly met',
        'AC-2 Security review has no critical findings is only partly met',
        `AC-4 Test alarm fired and recovery verified is Unverified, waived by ${liveWaiver.by} until 2026-12-31: ${liveWaiver.reason}`,
        `threshold load.error_rate amended from < 0.05% to < 0.1% by ${amendment.by}: ${amendment.reason}`,
        'waiver for criterion DoD-2 expired on 2026-11-15 and no longer counts',
      ],
      expiredWaivers: [expiredWaiver],
    },
    signoffs,
    requiredRoles: ['PM', 'Tech Lead', 'DevOps', 'QA Lead'],
    finalRole: 'Sponsor',
    roles: {
      PM: 'pat@example.com',
      'Tech Lead': 'sam@example.com',
      DevOps: 'alex@example.com',
      'QA Lead': 'kim@example.com',
      Sponsor: 'lee@example.com',
    },
    amendments: [amendment],
    waivers: [expiredWaiver, liveWaiver],
    findings,
    decision: {
      id: 'dc-01',
      runId,
      specHash,
      decision: 'NO-GO',
      by: 'lee@example.com',
      reasons: [
        ...blocking.map((b) => `not ready: ${b}`),
        'PM (pat@example.com) signed on an earlier run or spec; sign again: golive signoff --role "PM"',
        'no sign-off from Tech Lead: golive signoff --role "Tech Lead" --by NAME --decision go',
        'QA Lead (kim@example.com) signed no-go: login error rate 1.9 % under load',
        'no sign-off from Sponsor: golive signoff --role "Sponsor" --by NAME --decision go',
      ],
      residualRisks: [],
      auditHead: SAMPLE.auditHead,
      recordHash: SAMPLE.recordHash,
      createdAt: '2026-11-22T11:45:00.000Z',
    },
    ...overrides,
  };
  // The gate's rows for whatever sign-offs the (overridden) model holds, as buildReportModel computes them.
  return {
    ...model,
    signoffStatus:
      model.signoffStatus ??
      signoffStatus({
        signoffs: model.signoffs,
        requiredRoles: model.requiredRoles,
        ...(model.finalRole ? { finalRole: model.finalRole } : {}),
        roles: model.roles,
      }),
  };
}
