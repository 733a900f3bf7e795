import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, tree } from '../helpers.js';

// Issue 10 review: paths to a wrong GO. A count of 0 when nothing was examined,
// and one person signing every required role, must never end in GO.

let url = '';
const writes: string[] = [];
let close: () => Promise<void> = async () => {};
beforeAll(async () => {
  const ops = opsHandler();
  const s = await serve((req, res) => {
    if (req.method !== 'GET') writes.push(`${req.method} ${req.url}`);
    ops(req, res);
  });
  url = s.url;
  close = s.close;
});
afterAll(() => close());

interface Json {
  evaluation: { thresholds: Array<{ name: string; outcome: string }> };
  evidence: Array<{ metrics: Array<{ name: string }> }>;
}
const json = (dir: string): Json => JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')) as Json;
const metricNames = (j: Json): string[] => j.evidence.flatMap((e) => e.metrics.map((m) => m.name));

describe('a count metric is left out when nothing was checked', () => {
  it('ops: every endpoint false → no ops.endpoints.failing, the "== 0" threshold has no data, NOT READY, decide NO-GO', async () => {
    const dir = tree({
      'golive.yaml': `version: 1
service: s
release: v1
roles: { PM: a@b.c }
target: { baseUrl: "${url}" }
thresholds:
  ops.endpoints.failing: "== 0"
probes:
  ops: { health: false, version: false, metrics: false, status: false }
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, thresholds: [ops.endpoints.failing] }
signoff:
  required: [PM]
`,
    });
    const r = await golive(['check', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/NOT READY/);
    const j = json(dir);
    expect(metricNames(j)).not.toContain('ops.endpoints.failing');
    expect(j.evaluation.thresholds.find((t) => t.name === 'ops.endpoints.failing')?.outcome).toBe('no-data');
    expect((await golive(['signoff', '--role', 'PM', '--by', 'a@b.c', '--decision', 'go'], { cwd: dir })).code).toBe(2);
    const d = await golive(['decide', '--by', 'a@b.c'], { cwd: dir });
    expect(d.stdout).toMatch(/NO-GO/);
  });

  it('ratelimit: every public route a skipped write → no security.ratelimit.missing, NOT READY, and no request sent', async () => {
    writes.length = 0;
    const dir = tree({
      'golive.yaml': `version: 1
service: s
release: v1
target: { baseUrl: "${url}" }
thresholds:
  security.ratelimit.missing: "== 0"
probes:
  security:
    run: [ratelimit]
    public: [POST /login, PUT /signup]
criteria:
  - { id: AC-1, type: AC, title: Public routes are rate limited, thresholds: [security.ratelimit.missing] }
`,
    });
    const r = await golive(['check', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/NOT READY/);
    const j = json(dir);
    expect(metricNames(j)).not.toContain('security.ratelimit.missing');
    expect(j.evaluation.thresholds.find((t) => t.name === 'security.ratelimit.missing')?.outcome).toBe('no-data');
    expect(writes).toEqual([]);
  });
});

const signSpec = (extra = '') => `version: 1
service: shop
release: v1.0.0
target: { baseUrl: "${url}" }
roles:
  PM: pat@example.com
  DevOps: alex@example.com
  Sponsor: lee@example.com
thresholds:
  ops.endpoints.failing: "== 0"
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, thresholds: [ops.endpoints.failing] }
signoff:
  required: [PM, DevOps]
  final: Sponsor
${extra}`;

const sign = (dir: string, role: string, by: string) =>
  golive(['signoff', '--role', role, '--by', by, '--decision', 'go'], { cwd: dir });

describe('one person does not sign two required roles', () => {
  it('golive signoff refuses the same person (trimmed, any case) in a second required role or the final role', async () => {
    const dir = tree({ 'golive.yaml': signSpec() });
    expect((await golive(['check'], { cwd: dir })).code).toBe(0);
    expect((await sign(dir, 'PM', 'pat@example.com')).code).toBe(0);
    for (const role of ['DevOps', 'Sponsor']) {
      const r = await sign(dir, role, ' Pat@Example.COM ');
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(/GL_STATE_SAME_PERSON/);
      expect(r.stderr).toMatch(/Pat@Example\.COM already holds the current sign-off of PM on this run/);
      expect(r.stderr).toMatch(/hint: .*signoff\.allowSamePerson: true/);
    }
    // The same person may sign the same role again (a no-go after a go, say).
    expect(
      (await golive(['signoff', '--role', 'PM', '--by', 'pat@example.com', '--decision', 'no-go'], { cwd: dir })).code,
    ).toBe(0);
    const d = await golive(['decide', '--by', 'pat@example.com'], { cwd: dir });
    expect(d.stdout).toMatch(/NO-GO/);
  });

  it('with signoff.allowSamePerson: true one person may sign every role, and the decision is GO', async () => {
    const dir = tree({ 'golive.yaml': signSpec('  allowSamePerson: true\n') });
    expect((await golive(['check'], { cwd: dir })).code).toBe(0);
    for (const role of ['PM', 'DevOps', 'Sponsor']) expect((await sign(dir, role, 'mallory')).code).toBe(0);
    const ok = await golive(['decide', '--by', 'mallory'], { cwd: dir });
    expect(ok.stdout).toMatch(/^GO/m);
  });

  it('a signer who is not the role owner is warned, recorded, and shown as "signed by X for owner Y"', async () => {
    const dir = tree({ 'golive.yaml': signSpec() });
    expect((await golive(['check'], { cwd: dir })).code).toBe(0);
    const r = await sign(dir, 'PM', 'sam');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: sam is not the owner of PM in golive.yaml roles \(pat@example\.com\)/);
    const rep = await golive(['report', '--format', 'md,html'], { cwd: dir });
    expect(rep.stdout).toMatch(/PM: signed by sam for owner pat@example\.com/);
    const out = join(dir, 'golive-report');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
      /\| PM \| pat@example\.com \| sam \(signed by sam for owner pat@example\.com\) \| go/,
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/signed by sam for owner pat@example\.com/);
  });
});

describe('an attestation is bound to one form of its criterion: as written', () => {
  const attSpec = `version: 1
service: shop
release: v1.0.0
target: { baseUrl: "${'${BASE}'}" }
roles: { DevOps: alex@example.com }
criteria:
  - { id: AC-2, type: AC, title: "Pen test by \${PENTEST_VENDOR} passed", attest: DevOps }
`;
  const attest = (dir: string, env: Record<string, string>) =>
    golive(['attest', 'AC-2', '--by', 'alex', '--role', 'DevOps', '--evidence', 'https://example.com/pentest'], {
      cwd: dir,
      env,
    });

  it('a title with ${VAR}: attested, then Met in the check (collector and gate), and still Met when the value changes', async () => {
    const dir = tree({ 'golive.yaml': attSpec });
    const env = { BASE: url, PENTEST_VENDOR: 'acme-sec' };
    expect((await attest(dir, env)).code).toBe(0);
    const r = await golive(['check', '--format', 'json'], { cwd: dir, env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Met\s+AC-2/);
    const j = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')) as {
      evidence: Array<{ collector: string; checks: Array<{ id: string; status: string }> }>;
    };
    const att = j.evidence.find((e) => e.collector === 'attest');
    expect(att?.checks.find((c) => c.id === 'attest.AC-2')?.status).toBe('pass');
    // Another vendor value in the environment is not another criterion: the spec as written is the same.
    const again = await golive(['check'], { cwd: dir, env: { ...env, PENTEST_VENDOR: 'other-sec' } });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/Met\s+AC-2/);
  });
});
