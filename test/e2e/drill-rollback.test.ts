import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/model.js';
import { golive, tree } from '../helpers.js';
import { nginxBinary } from '../servers/nginx.js';
import { alive, startBlueGreen, SWITCH, type BlueGreen } from './drill-rollback-stack.js';

interface Phase {
  name: string;
  ok: boolean;
  versions: string[];
  detail: string;
}
interface Bucket {
  t: number;
  requests: number;
  errors: number;
  p95: number | null;
  version?: string;
}

const spec = (port: number, drill: string) => `version: 1
service: checkout-api
release: v1.4.0
target:
  baseUrl: http://127.0.0.1:${port}
thresholds:
  drill.rollback.duration: "< 5m"
  drill.rollback.errors: "== 0"
drills:
  rollback:
    expectVersion: v1.3.2
    settle: 1s
    env: { PORT: "${port}" }
${drill}
`;

const evidenceOf = (dir: string): Evidence =>
  JSON.parse(readFileSync(join(dir, 'golive-report', 'drill.rollback', 'evidence.json'), 'utf8')) as Evidence;
const metric = (ev: Evidence, name: string) => ev.metrics.find((m) => m.name === name)?.value;
const check = (ev: Evidence, id: string) => ev.checks.find((c) => c.id === `drill.rollback.${id}`);
const phases = (ev: Evidence) => ev.data?.phases as Phase[];
const timeline = (ev: Evidence) => ev.data?.timeline as Bucket[];

describe.skipIf(!nginxBinary())('golive drill rollback (blue-green behind real nginx)', () => {
  let stack: BlueGreen | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('deploys, confirms the new version, rolls back and times it, with zero failed probe requests', async () => {
    stack = await startBlueGreen();
    // Start from the previous release, so the deploy really switches blue → green.
    stack.switchTo('blue');
    const dir = tree({
      'golive.yaml': spec(
        stack.port,
        `    deploy: node ${SWITCH} green\n    rollback: { command: node ${SWITCH} blue, timeout: 30s }\n    rate: 20/s`,
      ),
    });
    const r = await golive(['drill', 'rollback'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /✔ drill\.rollback: v1\.4\.0 deployed and rolled back to v1\.3\.2 in \d+\.\d s \(within 5m\)/,
    );
    const ev = evidenceOf(dir);
    expect(ev.status).toBe('pass');
    expect(ev.checks.map((c) => `${c.id} ${c.status}`)).toEqual([
      'drill.rollback.deploy pass',
      'drill.rollback.new-version pass',
      'drill.rollback.rollback pass',
      'drill.rollback.previous-version pass',
      'drill.rollback.zero-downtime pass',
    ]);
    for (const name of ['drill.deploy.duration', 'drill.rollback.duration', 'drill.rollback.latency.p95']) {
      expect(metric(ev, name), name).toBeGreaterThan(0);
    }
    expect(metric(ev, 'drill.rollback.errors')).toBe(0);
    expect(metric(ev, 'drill.rollback.error_rate')).toBe(0);
    // The timeline accounts for every probe request and ends on the previous version.
    const buckets = timeline(ev);
    expect(buckets.reduce((n, b) => n + b.requests, 0)).toBe(metric(ev, 'drill.rollback.requests'));
    expect(buckets.every((b, i) => b.t === i * 1000 && b.errors === 0)).toBe(true);
    expect(buckets.at(-1)?.version).toBe('v1.3.2');
    const ph = phases(ev);
    expect(ph.map((p) => `${p.name} ${p.ok}`)).toEqual([
      'deploy true',
      'verify-new true',
      'rollback true',
      'settle true',
    ]);
    expect(ph.find((p) => p.name === 'settle')?.versions).toEqual(['v1.3.2']);
    // Command output is kept as artifacts.
    const out = join(dir, 'golive-report', 'drill.rollback');
    expect(readFileSync(join(out, 'drill-rollback-deploy.log'), 'utf8')).toMatch(/live: green v1\.4\.0/);
    expect(readFileSync(join(out, 'drill-rollback-rollback.log'), 'utf8')).toMatch(/live: blue v1\.3\.2/);
    // The rollback left the previous release live, through nginx.
    expect(await stack.version()).toBe('v1.3.2');
  });

  it('a failing deploy command is a failed drill with its timeline, and no rollback is run', async () => {
    stack = await startBlueGreen();
    const dir = tree({
      // The deploy quotes a secret from the environment: it must reach neither the evidence nor the log.
      'golive.yaml': spec(
        stack.port,
        `    deploy: "echo deploy-broke token=\${DEPLOY_TOKEN} >&2; exit 4"\n    rollback: node ${SWITCH} blue`,
      ),
    });
    const r = await golive(['drill', 'rollback'], { cwd: dir, env: { DEPLOY_TOKEN: 'tok-9f8e7d6c5b4a' } }); // golive:allow (test value)
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /✖ drill\.rollback: rollback drill failed: deploy command "echo deploy-broke token=\[redacted\] >&2; exit 4" exited 4 after \d+ ms: deploy-broke token=\[redacted\]/,
    );
    const ev = evidenceOf(dir);
    expect(ev.status).toBe('fail');
    expect(check(ev, 'deploy')?.status).toBe('fail');
    expect(check(ev, 'rollback')?.status).toBe('skipped');
    expect(metric(ev, 'drill.rollback.duration')).toBeUndefined();
    expect(phases(ev).map((p) => `${p.name} ${p.ok}`)).toEqual(['deploy false']);
    expect(timeline(ev).length).toBeGreaterThan(0);
    const log = readFileSync(join(dir, 'golive-report', 'drill.rollback', 'drill-rollback-deploy.log'), 'utf8');
    expect(log).toContain('deploy-broke token=[redacted]');
    expect(r.stdout + r.stderr + log + JSON.stringify(ev)).not.toContain('tok-9f8e7d6c5b4a');
    // Not rolled back: still on the release under test.
    expect(await stack.version()).toBe('v1.4.0');
  });

  it('a rollback that never brings back the previous version fails after `within`, naming what it saw', async () => {
    stack = await startBlueGreen();
    const dir = tree({
      'golive.yaml': spec(
        stack.port,
        `    deploy: node ${SWITCH} green\n    rollback: echo pretending to roll back\n    within: 2s`,
      ),
    });
    const r = await golive(['drill', 'rollback'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = evidenceOf(dir);
    expect(check(ev, 'rollback')?.status).toBe('pass');
    expect(check(ev, 'previous-version')).toMatchObject({
      status: 'fail',
      summary: 'the rollback never brought back v1.3.2 healthy within 2s (last: health HTTP 200, version v1.4.0)',
    });
    expect(metric(ev, 'drill.rollback.duration')).toBeUndefined();
    expect(phases(ev).map((p) => `${p.name} ${p.ok}`)).toEqual(['deploy true', 'verify-new true', 'rollback false']);
    expect(timeline(ev).at(-1)?.version).toBe('v1.4.0');
  });

  it('a hanging rollback is killed at its timeout with its whole process group: a failed drill, not a crash', async () => {
    stack = await startBlueGreen();
    const dir = tree({
      'golive.yaml': spec(
        stack.port,
        `    deploy: node ${SWITCH} green\n    rollback: { command: "sleep 60 & echo $! > sleeper.pid; wait", timeout: 1s }`,
      ),
    });
    const r = await golive(['drill', 'rollback'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = evidenceOf(dir);
    expect(check(ev, 'rollback')).toMatchObject({
      status: 'fail',
      summary: 'rollback command "sleep 60 & echo $! > sleeper.pid; wait" killed after its 1 s timeout',
    });
    expect(ev.summary).toMatch(/killed after its 1 s timeout/);
    expect(phases(ev).at(-1)).toMatchObject({ name: 'rollback', ok: false });
    const sleeper = Number(readFileSync(join(dir, 'sleeper.pid'), 'utf8'));
    expect(sleeper).toBeGreaterThan(0);
    expect(alive(sleeper)).toBe(false);
  });
});

describe.skipIf(!nginxBinary())('golive check with the rollback drill', () => {
  it('starts the blue-green staging, rehearses the rollback, reports the evidence, and stops everything', async () => {
    const { freePort } = await import('../servers/free-port.js');
    const { portFree, START } = await import('./drill-rollback-stack.js');
    const port = await freePort();
    const dir = tree({
      'golive.yaml': `${spec(port, `    deploy: node ${SWITCH} green\n    rollback: node ${SWITCH} blue`)}
  smoke:
    requests: [GET /products, GET /products/sku-1]
    duration: 1s
criteria:
  - { id: DoD-4, type: DoD, title: Rollback test evidence attached, evidence: [drill.rollback], thresholds: [drill.rollback.duration, drill.rollback.errors] }
  - { id: AC-5, type: AC, title: Post-deployment smoke test passes, evidence: [drill.smoke] }
`.replace(
        `target:\n  baseUrl: http://127.0.0.1:${port}\n`,
        `target:\n  baseUrl: http://127.0.0.1:${port}\n  start: { command: "exec node ${START}", ready: /health, timeout: 15s, env: { PORT: "${port}", BLUEGREEN_PROXY: nginx } }\n`,
      ),
    });
    const r = await golive(['check'], { cwd: dir, timeoutMs: 90_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/✔ drill\.smoke: .* post-deployment targets met/);
    expect(r.stderr).toMatch(/✔ drill\.rollback: v1\.4\.0 deployed and rolled back to v1\.3\.2/);
    expect(r.stdout).toMatch(/Met\s+DoD-4/);
    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md).toMatch(
      /## Rollback test evidence\n\n✅ \*\*Rollback rehearsed\*\* at .*v1\.3\.2 back healthy in \*\*\d+\.\d s\*\* \(allowed 5m\)/,
    );
    expect(md).toContain('| settle |');
    const report = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')) as {
      evidence: Evidence[];
    };
    const rollback = report.evidence.find((e) => e.collector === 'drill.rollback');
    expect(rollback?.artifacts.map((a) => a.path)).toEqual([
      'drill-rollback-deploy.log',
      'drill-rollback-rollback.log',
    ]);
    // The staging was stopped with the check: nginx, both colours, the state folder.
    await portFree(port);
    expect(existsSync(`/tmp/checkout-api-bluegreen-${port}`)).toBe(false);
  });
});

describe('drills.rollback input', () => {
  it('refuses an expectVersion equal to the release with exit 2 and a hint', async () => {
    const dir = tree({
      'golive.yaml': spec(9, '    deploy: "true"\n    rollback: "true"').replace('v1.3.2', 'v1.4.0'),
    });
    const r = await golive(['drill', 'rollback'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GL_SPEC_INVALID.*expectVersion is v1\.4\.0, the same as the version deployed/);
    expect(r.stderr).toMatch(/hint: set expectVersion to the previous release/);
  });
});
