import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, specYaml, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function service(opts: Parameters<typeof opsHandler>[0] = {}) {
  const s = await serve(opsHandler(opts));
  cleanups.push(s.close);
  return s;
}

describe('golive check', () => {
  it('gathers ops evidence, lists blocking items, and becomes ready once the manual item is attested', async () => {
    const requests: string[] = [];
    const { url } = await service({ requests });
    const dir = tree({ 'golive.yaml': specYaml(url), 'runbooks.md': '# runbooks\n' });

    const first = await golive(['check'], { cwd: dir });
    expect(first.stderr).toMatch(/ops: all 4 ops endpoints answer/);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/NOT READY/);
    expect(first.stdout).toMatch(/AC-2 Runbooks reviewed: Unverified/);
    expect(first.stdout).toMatch(/✔ Met\s+AC-1/);
    expect(first.stdout).toMatch(/reports v1\.0\.0/);
    expect(requests.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual([
      'GET /health',
      'GET /version',
      'GET /metrics',
      'GET /status',
    ]);

    const att = await golive(['attest', 'AC-2', '--by', 'alex', '--role', 'DevOps', '--evidence', 'runbooks.md'], {
      cwd: dir,
    });
    expect(att.code, att.stderr).toBe(0);

    const second = await golive(['check'], { cwd: dir });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/READY/);
    for (const f of ['report.md', 'report.html', 'report.json', 'junit.xml']) {
      expect(existsSync(join(dir, 'golive-report', f)), f).toBe(true);
    }
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    expect(json.schemaVersion).toBe(1);
    expect(json.run.targetVersion).toBe('v1.0.0');
    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md).toMatch(/\| Item \| Type \| Status \| Evidence \| Notes \|/);
    expect(md).toMatch(/attested by alex/);
  });

  it('fails ops.version when /version reports another release, and ops.metrics when /metrics is not exposition format', async () => {
    const { url } = await service({ version: 'v0.9.9', metrics: '<html>metrics</html>' });
    const dir = tree({ 'golive.yaml': specYaml(url) });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 of 4 ops endpoints fail/);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const checks = json.evidence.find((e: { collector: string }) => e.collector === 'ops').checks;
    expect(checks.find((c: { id: string }) => c.id === 'ops.version').summary).toMatch(
      /reports v0\.9\.9, expected v1\.0\.0/,
    );
    expect(checks.find((c: { id: string }) => c.id === 'ops.metrics').summary).toMatch(/line 1/);
    expect(r.stdout).toMatch(/threshold ops\.endpoints\.failing/);
  });

  it('does not check an ops endpoint the spec turns off (false): not passed, not failed, and never requested', async () => {
    const requests: string[] = [];
    const { url } = await service({ requests });
    const spec = specYaml(url)
      .replace('  ops: {}\n', '  ops: { version: false, metrics: false }\n')
      .replace('evidence: [ops.health, ops.version, ops.metrics, ops.status]', 'evidence: [ops.health, ops.status]');
    const dir = tree({ 'golive.yaml': spec });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1); // AC-2 still wants its attestation
    expect(requests.map((x) => x.split(' ')[1])).toEqual(['/health', '/status']);
    expect(r.stderr).toMatch(/ops: 2 ops endpoints answer as expected; not checked: \/version, \/metrics/);
    expect(r.stdout).toMatch(/✔ Met\s+AC-1/);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const ops = json.evidence.find((e: { collector: string }) => e.collector === 'ops');
    expect(ops.status).toBe('pass');
    const byId = Object.fromEntries(ops.checks.map((c: { id: string }) => [c.id, c]));
    expect(byId['ops.version']).toEqual({
      id: 'ops.version',
      status: 'skipped',
      summary: 'not checked (probes.ops.version: false)',
    });
    expect(byId['ops.metrics'].status).toBe('skipped');
    expect(byId['ops.health'].status).toBe('pass');
    expect(ops.metrics.find((m: { name: string }) => m.name === 'ops.endpoints.failing').value).toBe(0);
    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md).toMatch(/ops\.version.*not checked \(probes\.ops\.version: false\)/);
  });

  it('exits 3 naming host:port when the target is unreachable, and writes nothing', async () => {
    const s = await serve(opsHandler());
    const url = s.url;
    await s.close();
    const dir = tree({ 'golive.yaml': specYaml(url) });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`target ${new URL(url).host} is unreachable (connection refused)`);
    expect(existsSync(join(dir, 'golive-report', 'report.html'))).toBe(false);
  });

  it('exits 2 when the output folder cannot be written, before any traffic', async () => {
    const requests: string[] = [];
    const { url } = await service({ requests });
    const dir = tree({ 'golive.yaml': specYaml(url), afile: 'x' });
    const r = await golive(['check', '--out', 'afile/reports'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GL_FILE_NOT_WRITABLE.*afile\/reports/);
    expect(requests).toEqual([]);
  });

  it('never lets an environment value reach the output, the reports or the store', async () => {
    const requests: string[] = [];
    const { url } = await service({ requests });
    const secret = 'tok-3f9a8b7c6d5e4f'; // golive:allow (test value)
    const spec = specYaml(url).replace(
      `  baseUrl: ${url}\n`,
      `  baseUrl: ${url}\n  headers: { Authorization: "Bearer \${STAGING_TOKEN}" }\n`,
    );
    const dir = tree({ 'golive.yaml': spec });
    const r = await golive(['check'], { cwd: dir, env: { STAGING_TOKEN: secret } });
    expect(r.code).toBe(1);
    expect(requests[0]).toContain(`Bearer ${secret}`);
    expect(r.stdout + r.stderr).not.toContain(secret);
    for (const f of ['report.md', 'report.html', 'report.json', 'junit.xml']) {
      expect(readFileSync(join(dir, 'golive-report', f), 'utf8')).not.toContain(secret);
    }
    for (const f of ['golive.db', 'golive.db-wal']) {
      const p = join(dir, '.golive', f);
      if (existsSync(p)) expect(readFileSync(p).includes(secret)).toBe(false);
    }
  });

  it('exits 2 naming the variable when an environment variable is unset', async () => {
    const spec = specYaml('http://127.0.0.1:${SHOP_PORT}');
    const dir = tree({ 'golive.yaml': spec });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/golive\.yaml:5:\d+.*SHOP_PORT/);
  });

  it('appends the Markdown report to $GITHUB_STEP_SUMMARY', async () => {
    const { url } = await service();
    const dir = tree({ 'golive.yaml': specYaml(url), 'summary.md': '# before\n' });
    await golive(['check'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
    const text = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(text.startsWith('# before\n')).toBe(true);
    expect(text).toMatch(/\| Item \| Type \| Status \| Evidence \| Notes \|/);
  });

  it('prints an internal error redacted, and with --json as a GL_INTERNAL object on stdout (exit 4)', async () => {
    const { url } = await service();
    const token = 'tok-Zr81Kq2w'; // golive:allow (test value)
    const spec = specYaml(url).replace(
      'target:\n',
      'target:\n  headers: { Authorization: "Bearer ${STAGING_TOKEN}" }\n',
    );
    // A folder where the job summary file should be: appending to it fails with a plain error naming the path.
    const dir = tree({ 'golive.yaml': spec, [`${token}/keep`]: '' });
    const env = { STAGING_TOKEN: token, GITHUB_STEP_SUMMARY: join(dir, token) };
    const r = await golive(['check', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stderr).toMatch(/internal error.*GL_INTERNAL.*\[redacted\]/);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, exitCode: 4, error: { code: 'GL_INTERNAL' }, problems: [] });
    expect(out.error.message).toContain('[redacted]');
  });

  it('re-renders the reports of a stored run with golive report', async () => {
    const { url } = await service();
    const dir = tree({ 'golive.yaml': specYaml(url) });
    await golive(['check', '--format', 'json'], { cwd: dir });
    const runId = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')).run.id;
    writeFileSync(join(dir, 'golive-report', 'report.json'), '');
    const r = await golive(['report', '--run', runId, '--format', 'md,json', '--out', 'again'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'again', 'report.json'), 'utf8')).run.id).toBe(runId);
    expect(existsSync(join(dir, 'again', 'report.html'))).toBe(false);
    const bad = await golive(['report', '--format', 'pdf'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown report format "pdf"/);
  });

  it('runs load scenarios through the engine and gates on load thresholds', async () => {
    const { url } = await service();
    const spec = specYaml(url)
      .replace(
        'thresholds:\n',
        'thresholds:\n  load.error_rate: "< 1%"\n  load.browse.latency.p99: "< 2s"\n  load.rps: ">= 1000000"\n',
      )
      .replace(
        'probes:\n  ops: {}\n',
        'probes:\n  ops: {}\nload:\n  scenarios:\n    browse:\n      executor: constant-arrival-rate\n      rate: 100/s\n      duration: 2s\n      requests: [GET /health, { method: GET, path: /nope, expect: 404, name: missing }]\n',
      );
    const dir = tree({ 'golive.yaml': spec });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(1);
    // An iteration is both requests: 100 arrivals a second for 2 s is 200 iterations, none dropped. A timer
    // firing late still admits the arrivals already due, and the end of the run lets a started iteration
    // finish, so on a loaded machine too every iteration ran both of its requests.
    expect(r.stderr).toMatch(/load: 400 requests in 1 scenario/);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const browse = json.evidence.find((e: { collector: string }) => e.collector === 'load').data.scenarios.browse;
    const perRequest = Object.values(browse.perRequest).map((p) => (p as { requests: number }).requests);
    expect(perRequest).toEqual([200, 200]);
    const metrics = Object.fromEntries(
      json.evidence
        .find((e: { collector: string }) => e.collector === 'load')
        .metrics.map((m: { name: string; value: number }) => [m.name, m.value]),
    );
    expect(metrics['load.requests']).toBe(400);
    expect(metrics['load.error_rate']).toBe(0);
    expect(metrics['load.browse.dropped']).toBe(0);
    expect(metrics['load.browse.missing.error_rate']).toBe(0);
    expect(metrics['load.browse.get_health.latency.p95']).toBeGreaterThan(0);
    const outcomes = Object.fromEntries(
      json.evaluation.thresholds.map((t: { name: string; outcome: string }) => [t.name, t.outcome]),
    );
    expect(outcomes).toMatchObject({
      'load.error_rate': 'pass',
      'load.browse.latency.p99': 'pass',
      'load.rps': 'fail',
    });
    expect(r.stdout).toMatch(/threshold load.rps >= 1000000: 200 rps is not >= 1000000/);
  });

  it('redacts environment values without breaking numbers: a value equal to a metric is not a crash', async () => {
    const { url } = await service();
    const spec = specYaml(url)
      .replace(`  baseUrl: ${url}\n`, `  baseUrl: ${url}\n  headers: { X-Count: "\${X_COUNT}" }\n`)
      .replace(
        'probes:\n  ops: {}\n',
        'probes:\n  ops: {}\nload:\n  scenarios:\n    s:\n      executor: constant-connections\n      connections: 2\n      maxRequests: 250\n      requests: [GET /health]\n',
      );
    const dir = tree({ 'golive.yaml': spec });
    const r = await golive(['check'], { cwd: dir, env: { X_COUNT: '250' } });
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const load = json.evidence.find((e: { collector: string }) => e.collector === 'load');
    expect(load.metrics.find((m: { name: string }) => m.name === 'load.requests').value).toBe(250);
  });
});
