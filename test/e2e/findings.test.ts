import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/project.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { TriagedFinding } from '../../src/findings/types.js';
import type { Evidence, Finding } from '../../src/model.js';
import { openStore } from '../../src/store/index.js';
import { golive, opsHandler, serve, tree } from '../helpers.js';

/*
 * Findings triage end to end. Collectors that produce findings land in other
 * branches, so the runs are put into a real store with the library's store
 * API, exactly as `golive check` would record them; everything after that goes
 * through the real CLI.
 */

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const SPEC = (baseUrl: string) => `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: ${baseUrl}
roles:
  PM: pat@example.com
  Security: sec@example.com
thresholds:
  findings.critical: "== 0"
  findings.high: "== 0"
criteria:
  - { id: AC-2, type: AC, title: Security review has no critical findings, thresholds: [findings.critical, findings.high] }
signoff:
  required: [PM]
`;

const f = (fingerprint: string, over: Partial<Finding>): Finding => ({
  rule: 'rule',
  severity: 'low',
  title: 'title',
  location: 'somewhere',
  fingerprint,
  ...over,
});
const SECRET = f('aa11c0ffee000001', {
  rule: 'secret.aws-access-key',
  severity: 'critical',
  title: 'AWS access key committed',
  location: 'src/config.ts:12',
  evidence: 'AKIA************MPLE',
  remediation: 'Rotate the key; read it from the environment',
});
const CORS = f('aa22c0ffee000002', {
  rule: 'cors-credentials-reflect',
  severity: 'high',
  title: 'Any Origin reflected with credentials',
  location: 'GET http://127.0.0.1:8080/orders',
});
const HSTS = f('bb33c0ffee000003', {
  rule: 'header-hsts-missing',
  severity: 'low',
  title: 'No HSTS',
  location: 'GET /',
});
const XPB = f('cc44c0ffee000004', {
  rule: 'x-powered-by',
  severity: 'medium',
  title: 'X-Powered-By discloses the framework',
  location: 'src/server.ts:3:5',
});

const ev = (collector: string, status: Evidence['status'], findings: Finding[]): Evidence => ({
  collector,
  status,
  summary: `${collector}: ${findings.length} findings`,
  startedAt: '2026-11-20T10:00:00.000Z',
  endedAt: '2026-11-20T10:00:01.000Z',
  metrics: [],
  checks: [],
  findings,
  artifacts: [],
  scansForFindings: true,
  ...(status === 'error' ? { error: 'scanner crashed' } : {}),
});

/**
 * A project with three runs:
 * r1: probes find CORS and HSTS, the scan finds the secret;
 * r2: probes find CORS only (HSTS fixed), the scan finds the secret and X-Powered-By;
 * r3: probes find CORS; the scan errored, so the secret and X-Powered-By are not shown fixed.
 */
async function project(): Promise<{ dir: string; runIds: string[] }> {
  const s = await serve(opsHandler());
  cleanups.push(s.close);
  const dir = tree({ 'golive.yaml': SPEC(s.url) });
  const p = loadProject({ cwd: dir, env: {} });
  const store = await openStore(p.storePath);
  const runIds = ['20261120T100000Z-aaaaaa', '20261121T100000Z-bbbbbb', '20261122T100000Z-cccccc'];
  const plans: Evidence[][] = [
    [ev('probes', 'fail', [CORS, HSTS]), ev('scan', 'fail', [SECRET])],
    [ev('probes', 'fail', [CORS]), ev('scan', 'fail', [SECRET, XPB])],
    [ev('probes', 'fail', [CORS]), ev('scan', 'error', [])],
  ];
  try {
    for (const [i, evidence] of plans.entries()) {
      const day = `2026-11-${20 + i}`;
      await store.insertRun(
        {
          run: {
            id: runIds[i] as string,
            service: 'shop',
            release: 'v1.0.0',
            specHash: p.loaded.specHash,
            baseUrl: s.url,
            startedAt: `${day}T10:00:00.000Z`,
            endedAt: `${day}T10:05:00.000Z`,
            status: 'complete',
          },
          specJson: p.loaded.spec,
          evidence,
          findings: evidence.flatMap((e) => e.findings),
        },
        p.loaded.spec.thresholds,
      );
    }
  } finally {
    await store.close();
  }
  return { dir, runIds };
}

async function json(dir: string, ...args: string[]): Promise<TriagedFinding[]> {
  const r = await golive(['findings', '--json', ...args], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { findings: TriagedFinding[] }).findings;
}

describe('golive findings', () => {
  it('lists every finding with status, first and last seen; fixed only when the collector that found it ran again', async () => {
    const { dir, runIds } = await project();
    const [r1, r2, r3] = runIds as [string, string, string];

    const table = await golive(['findings'], { cwd: dir });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`findings as of run ${r3}`);
    expect(table.stdout).toContain('3 open · 0 waived · 0 accepted · 1 fixed');
    expect(table.stdout).toContain(
      'Counted in findings.* (open, not waived or accepted): 1 critical · 1 high · 1 medium',
    );
    const lines = table.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('SEVERITY'));
    expect(lines[header]).toMatch(
      /^SEVERITY\s+STATUS\s+RULE\s+LOCATION\s+FIRST SEEN\s+LAST SEEN\s+FINGERPRINT\s+NOTE$/,
    );
    expect(lines[header + 1]).toMatch(
      new RegExp(
        `^critical\\s+open\\s+secret\\.aws-access-key\\s+src/config\\.ts:12\\s+2026-11-20 10:00\\s+2026-11-21 10:00\\s+aa11c0ffee00\\s+not looked for again since run ${r2}$`,
      ),
    );
    expect(lines[header + 2]).toMatch(
      /^high\s+open\s+cors-credentials-reflect\s+GET http:\S+\s+2026-11-20 10:00\s+2026-11-22 10:00\s+aa22c0ffee00$/,
    );
    expect(lines[header + 3]).toMatch(/^medium\s+open\s+x-powered-by/);
    expect(lines[header + 4]).toMatch(new RegExp(`^low\\s+fixed\\s+header-hsts-missing.*fixed in run ${r2}$`));

    const all = await json(dir);
    const by = (fp: string) => all.find((x) => x.fingerprint === fp);
    expect(by(SECRET.fingerprint)).toMatchObject({
      status: 'open',
      collector: 'scan',
      firstSeen: { runId: r1, at: '2026-11-20T10:00:00.000Z' },
      lastSeen: { runId: r2 },
    });
    expect(by(CORS.fingerprint)).toMatchObject({ status: 'open', firstSeen: { runId: r1 }, lastSeen: { runId: r3 } });
    expect(by(HSTS.fingerprint)).toMatchObject({ status: 'fixed', lastSeen: { runId: r1 }, fixedIn: { runId: r2 } });
    expect(by(XPB.fingerprint)).toMatchObject({ status: 'open', firstSeen: { runId: r2 }, lastSeen: { runId: r2 } });

    // --severity is "at or above"; --status takes one or more statuses.
    expect((await json(dir, '--severity', 'high')).map((x) => x.fingerprint)).toEqual([
      SECRET.fingerprint,
      CORS.fingerprint,
    ]);
    expect((await json(dir, '--status', 'fixed')).map((x) => x.fingerprint)).toEqual([HSTS.fingerprint]);
    expect((await json(dir, '--status', 'fixed,open', '--severity', 'low')).length).toBe(4);
    const none = await golive(['findings', '--status', 'waived'], { cwd: dir });
    expect(none.stdout).toContain('No findings match the filters.');
  });

  it('refuses a bad --severity or --status, naming the flag and the allowed values (exit 2)', async () => {
    const { dir } = await project();
    const sev = await golive(['findings', '--severity', 'urgent'], { cwd: dir });
    expect(sev.code).toBe(2);
    expect(sev.stderr).toContain('--severity must be one of critical, high, medium, low, info, not "urgent"');
    expect(sev.stderr).toMatch(/hint: .*at or above/);
    const st = await golive(['findings', '--status', 'open,closed'], { cwd: dir });
    expect(st.code).toBe(2);
    expect(st.stderr).toContain('--status must be one of open, waived, accepted, fixed, not "closed"');
    const noRun = await golive(['findings'], { cwd: tree({ 'golive.yaml': SPEC('http://127.0.0.1:9') }) });
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/GL_STORE_NO_RUN.*has no run yet/);
  });

  it('waives and accepts findings by fingerprint prefix; the gate counts only open, uncovered findings; all audited', async () => {
    const { dir } = await project();
    // The carried-over critical secret still counts: the scanner errored in the latest run.
    const before = await golive(['report', '--format', 'md,json,sarif'], { cwd: dir });
    expect(before.code, before.stderr).toBe(0);
    const md0 = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md0).toContain(
      'Counted in `findings.*` (open, not waived or accepted): Critical **1** · High **1** · Medium **1**',
    );
    expect(md0).toMatch(/\| critical \| \*\*open\*\* — not looked for again since run 20261121T100000Z-bbbbbb \|/);
    expect(md0).toMatch(/\| low \| fixed in run 20261121T100000Z-bbbbbb \|/);

    const short = await golive(['waive', 'aa', '--reason', 'x', '--by', 'lee', '--expires', '2099-12-31'], {
      cwd: dir,
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('"aa" is too short to name a finding: give at least 6 characters');
    const unknown = await golive(['accept', 'ffffff', '--reason', 'x', '--by', 'lee'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[GL_STATE_UNKNOWN_FINDING] no finding "ffffff" in shop v1.0.0');
    const criterion = await golive(['accept', 'AC-2', '--reason', 'x', '--by', 'lee'], { cwd: dir });
    expect(criterion.code).toBe(2);
    expect(criterion.stderr).toContain('hint: AC-2 is a criterion: golive waive AC-2');
    const noReason = await golive(['accept', 'aa11c0', '--by', 'lee'], { cwd: dir });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');

    const waived = await golive(
      ['waive', 'aa22c0', '--reason', 'origin allow-list ships in 1.0.1', '--by', 'lee', '--expires', '2099-12-31'],
      { cwd: dir },
    );
    expect(waived.code, waived.stderr).toBe(0);
    expect(waived.stdout).toContain(`waived finding ${CORS.fingerprint} until 2099-12-31T23:59:59.000Z`);
    const accepted = await golive(['accept', 'aa11c0', '--reason', 'test key, no access to anything', '--by', 'sec'], {
      cwd: dir,
    });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain(
      `accepted risk: critical secret.aws-access-key at src/config.ts:12 (${SECRET.fingerprint}) for this release`,
    );
    // A finding of an earlier run only (fixed here) can still be named.
    expect(
      (await golive(['accept', 'bb33c0', '--reason', 'n/a', '--by', 'sec', '--expires', '2099-01-01'], { cwd: dir }))
        .code,
    ).toBe(0);

    const after = await json(dir);
    expect(after.find((x) => x.fingerprint === CORS.fingerprint)).toMatchObject({
      status: 'waived',
      waiver: { by: 'lee', reason: 'origin allow-list ships in 1.0.1' },
    });
    expect(after.find((x) => x.fingerprint === SECRET.fingerprint)).toMatchObject({
      status: 'accepted',
      waiver: { kind: 'accepted-risk', by: 'sec' },
    });
    expect(after.find((x) => x.fingerprint === HSTS.fingerprint)?.status).toBe('fixed');

    const report = await golive(['report', '--format', 'md,json,sarif'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    const out = join(dir, 'golive-report');
    const model = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(model.evaluation.findings).toEqual({ critical: 0, high: 0, medium: 1, low: 0, info: 0 });
    const thresholds = Object.fromEntries(
      model.evaluation.thresholds.map((t: { name: string; outcome: string }) => [t.name, t.outcome]),
    );
    expect(thresholds).toEqual({ 'findings.critical': 'pass', 'findings.high': 'pass' });
    expect(model.evaluation.residualRisks).toEqual(
      expect.arrayContaining([
        'finding critical secret.aws-access-key at src/config.ts:12 accepted as a risk by sec for this release: test key, no access to anything',
        'finding high cors-credentials-reflect at GET http://127.0.0.1:8080/orders waived by lee until 2099-12-31: origin allow-list ships in 1.0.1',
      ]),
    );
    expect(model.findingsTriage.map((x: TriagedFinding) => x.status)).toEqual(['open', 'waived', 'accepted', 'fixed']);

    const sarif = JSON.parse(readFileSync(join(out, 'golive.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    expect(results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'x-powered-by',
      'cors-credentials-reflect',
      'secret.aws-access-key',
    ]);
    expect(results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/server.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 5 },
    });
    expect(results[1].locations[0].physicalLocation.artifactLocation.uri).toBe('golive.yaml');
    expect(results[1].suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(results[2].suppressions[0].justification).toMatch(/^accepted risk by sec for this release/);
    expect(sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'secret.aws-access-key')).toMatchObject(
      { properties: { 'security-severity': '9.5' }, help: { text: expect.stringMatching(/^Fix: Rotate the key/) } },
    );

    // Every waiver and accepted risk is in the audit chain, and the chain verifies.
    const p = loadProject({ cwd: dir, env: {} });
    const store = await openStore(p.storePath);
    try {
      const audited = (await store.listAudit()).filter((e) => e.kind === 'waiver').map((e) => e.payload);
      expect(audited).toEqual([
        expect.objectContaining({ subjectId: CORS.fingerprint, reason: 'origin allow-list ships in 1.0.1' }),
        expect.objectContaining({ subjectId: SECRET.fingerprint, kind: 'accepted-risk', by: 'sec' }),
        expect.objectContaining({ subjectId: HSTS.fingerprint, kind: 'accepted-risk' }),
      ]);
    } finally {
      await store.close();
    }
    const verify = await golive(['audit', 'verify'], { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('accept and waive refuse a fingerprint prefix under 6 hex characters, and list the candidates of an ambiguous one', async () => {
    const s = await serve(opsHandler());
    cleanups.push(s.close);
    const dir = tree({ 'golive.yaml': SPEC(s.url) });
    const p = loadProject({ cwd: dir, env: {} });
    const twinA = f('0abcde0000000001', { rule: 'rule-a', severity: 'high', location: 'a.ts:1' });
    const twinB = f('0abcde0000000002', { rule: 'rule-b', severity: 'low', location: 'b.ts:2' });
    const lone = f('0123450000000003', { rule: 'rule-c', severity: 'critical', location: 'c.ts:3' });
    const store = await openStore(p.storePath);
    try {
      await store.insertRun(
        {
          run: {
            id: '20261120T100000Z-dddddd',
            service: 'shop',
            release: 'v1.0.0',
            specHash: p.loaded.specHash,
            baseUrl: s.url,
            startedAt: '2026-11-20T10:00:00.000Z',
            endedAt: '2026-11-20T10:05:00.000Z',
            status: 'complete',
          },
          specJson: p.loaded.spec,
          evidence: [ev('scan', 'fail', [twinA, twinB, lone])],
          findings: [twinA, twinB, lone],
        },
        p.loaded.spec.thresholds,
      );
    } finally {
      await store.close();
    }
    const w = (...args: string[]) => golive(args, { cwd: dir });
    // "0" is a prefix of every fingerprint here, and "01" of exactly one: both are refused all the same.
    for (const prefix of ['0', '01', '01234']) {
      const r = await w('accept', prefix, '--reason', 'x', '--by', 'lee');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        `[GL_ARG_INVALID] "${prefix}" is too short to name a finding: give at least 6 characters of its fingerprint`,
      );
      const wv = await w('waive', prefix, '--reason', 'x', '--by', 'lee', '--expires', '2099-12-31');
      expect(wv.code, wv.stderr).toBe(2);
      expect(wv.stderr).toContain(`"${prefix}" is too short to name a finding`);
    }
    const ambiguous = await w('accept', '0abcde', '--reason', 'x', '--by', 'lee');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('"0abcde" matches 2 findings');
    expect(ambiguous.stderr).toContain(
      '0abcde0000000001 (high rule-a at a.ts:1), 0abcde0000000002 (low rule-b at b.ts:2)',
    );
    const ambiguousWaive = await w('waive', '0ABCDE', '--reason', 'x', '--by', 'lee', '--expires', '2099-12-31');
    expect(ambiguousWaive.code).toBe(2);
    expect(ambiguousWaive.stderr).toContain('"0ABCDE" matches 2 findings');
    // Nothing was recorded by the refusals.
    expect((await json(dir, '--status', 'accepted,waived')).length).toBe(0);
    const ok = await w('accept', '012345', '--reason', 'internal tool', '--by', 'lee');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('(0123450000000003)');
    const okWaive = await w('waive', '0abcde0000000002', '--reason', 'y', '--by', 'lee', '--expires', '2099-12-31');
    expect(okWaive.code, okWaive.stderr).toBe(0);
  });

  it('a second waiver or acceptance of the same subject replaces the first: one residual risk, both audited', async () => {
    const { dir } = await project();
    const w = (...args: string[]) => golive(args, { cwd: dir });
    const first = await w(
      'waive',
      'aa22c0',
      '--reason',
      'allow-list in 1.0.1',
      '--by',
      'lee',
      '--expires',
      '2099-12-31',
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toContain('replaces');
    const second = await w(
      'waive',
      'aa22c0',
      '--reason',
      'allow-list in 1.0.2',
      '--by',
      'kim',
      '--expires',
      '2099-06-30',
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/replaces the waiver of \d{4}-\d{2}-\d{2} by lee/);
    // Criteria too.
    expect((await w('waive', 'AC-2', '--reason', 'r1', '--by', 'lee', '--expires', '2099-12-31')).code).toBe(0);
    const againCriterion = await w('waive', 'AC-2', '--reason', 'r2', '--by', 'pat', '--expires', '2099-12-31');
    expect(againCriterion.stdout).toMatch(/replaces the waiver of \d{4}-\d{2}-\d{2} by lee/);
    // And golive accept: accepting twice, the second replaces the first.
    expect((await w('accept', 'aa11c0', '--reason', 'test key', '--by', 'sec')).code).toBe(0);
    const reaccepted = await w('accept', 'aa11c0', '--reason', 'test key, revoked', '--by', 'ciso');
    expect(reaccepted.stdout).toMatch(/replaces the accepted risk of \d{4}-\d{2}-\d{2} by sec/);

    const report = await w('report', '--format', 'json');
    expect(report.code, report.stderr).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const risks: string[] = model.evaluation.residualRisks;
    const about = (text: string) => risks.filter((r) => r.includes(text));
    expect(about('cors-credentials-reflect')).toEqual([
      'finding high cors-credentials-reflect at GET http://127.0.0.1:8080/orders waived by kim until 2099-06-30: allow-list in 1.0.2',
    ]);
    expect(about('secret.aws-access-key')).toHaveLength(1);
    expect(about('secret.aws-access-key')[0]).toContain('by ciso');
    expect(about('AC-2')).toHaveLength(1);
    expect(about('AC-2')[0]).toContain('r2');
    expect(model.waivers).toHaveLength(3);
    const listed = await json(dir);
    expect(listed.find((x) => x.fingerprint === CORS.fingerprint)).toMatchObject({ waiver: { by: 'kim' } });

    const p = loadProject({ cwd: dir, env: {} });
    const store = await openStore(p.storePath);
    try {
      const audited = (await store.listAudit()).filter((e) => e.kind === 'waiver').map((e) => e.payload);
      expect(audited).toHaveLength(6);
      expect(audited[1]).toMatchObject({ by: 'kim', supersedes: (audited[0] as { id: string }).id });
    } finally {
      await store.close();
    }
  });

  it('writes golive.sarif beside the other reports on golive check', async () => {
    const s = await serve(opsHandler());
    cleanups.push(s.close);
    const dir = tree({
      'golive.yaml': `version: 1
service: shop
release: v1.0.0
target: { baseUrl: ${s.url} }
roles: { PM: pat@example.com }
thresholds: { ops.endpoints.failing: "== 0" }
probes: { ops: {} }
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, thresholds: [ops.endpoints.failing] }
`,
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, 'golive-report', 'golive.sarif'), 'utf8'));
    expect(sarif).toMatchObject({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'golive', rules: [] } }, results: [] }],
    });
  });
});

describe('waiver expiry (the CLI in-process, with its clock injected)', () => {
  function io(dir: string, now: string): CliIo & { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    return {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env: {},
      cwd: dir,
      isTTY: false,
      now: () => new Date(now),
      signal: new AbortController().signal,
      out: () => out,
      err: () => err,
    };
  }

  it('a waived finding counts again once its waiver expires, and the findings list and the report say so', async () => {
    const { dir } = await project();
    const t0 = io(dir, '2026-11-23T12:00:00Z');
    const code = await main({
      argv: ['waive', 'cc44c0', '--reason', 'framework upgrade next sprint', '--by', 'lee', '--expires', '2026-11-30'],
      io: t0,
    });
    expect(code, t0.err()).toBe(0);

    const before = io(dir, '2026-11-30T23:59:58Z');
    expect(await main({ argv: ['findings', '--json'], io: before })).toBe(0);
    const xpb0 = (JSON.parse(before.out()).findings as TriagedFinding[]).find((x) => x.fingerprint === XPB.fingerprint);
    expect(xpb0).toMatchObject({ status: 'waived' });

    const later = io(dir, '2026-12-01T09:00:00Z');
    expect(await main({ argv: ['findings'], io: later })).toBe(0);
    expect(later.out()).toMatch(/medium\s+open\s+x-powered-by.*waiver by lee expired 2026-11-30, counts again/);

    const report = io(dir, '2026-12-01T09:00:00Z');
    // --format md without --out prints the Markdown on stdout.
    expect(await main({ argv: ['report', '--format', 'md'], io: report }), report.err()).toBe(0);
    const md = report.out();
    expect(md).toContain('Medium **1**');
    expect(md).toContain('waiver by lee expired 2026-11-30, counts again');
    expect(md).toContain(
      `| finding ${XPB.fingerprint} | lee | 2026-11-30 | framework upgrade next sprint | no — expired, no longer counts |`,
    );
    expect(md).toContain(
      `waiver for finding ${XPB.fingerprint} (medium x-powered-by at src/server.ts:3:5) expired on 2026-11-30 and no longer counts`,
    );
  });
});
