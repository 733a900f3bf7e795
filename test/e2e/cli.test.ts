import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golive, ROOT, tree } from '../helpers.js';

describe('golive init / validate / schema', () => {
  it('writes a web-service spec that validates, and refuses to overwrite it without --force', async () => {
    const dir = tree();
    const init = await golive(['init'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(join(dir, 'golive.yaml'), 'utf8');
    for (const needle of [
      'load.latency.p95',
      'findings.critical',
      'ops.health',
      'drill.rollback.duration',
      'attest: PM',
      'final: Sponsor',
    ]) {
      expect(text).toContain(needle);
    }
    const validate = await golive(['validate'], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/valid golive\.yaml/);

    const again = await golive(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(again.stderr).toMatch(/--force/);
    expect(readFileSync(join(dir, 'golive.yaml'), 'utf8')).toBe(text);
    expect((await golive(['init', '--force', '--template', 'minimal'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'golive.yaml'), 'utf8')).not.toBe(text);
    expect((await golive(['validate'], { cwd: dir })).code).toBe(0);
  });

  it('reports every problem at once with file:line:column and hints', async () => {
    const dir = tree({
      'golive.yaml': `version: 1
service: shop
release: v1
target:
  baseUrl: http://127.0.0.1:1
  start: { command: x, ready: /health, timeout: 30 }
threshold:
  a: "< 1ms"
thresholds:
  load.latency.p95: "< 200 parsecs"
criteria:
  - { id: AC-1, type: AC, title: t, attest: Ops }
`,
    });
    const r = await golive(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/golive\.yaml:6:\d+: .*duration/);
    expect(r.stderr).toMatch(/golive\.yaml:7:1: .*threshold/);
    expect(r.stderr).toMatch(/did you mean `thresholds`\?/);
    expect(r.stderr).toMatch(/golive\.yaml:10:\d+: /);
    expect(r.stderr).toMatch(/golive\.yaml:12:\d+: .*Ops/);
  });

  it('exits 2 on an empty file, a YAML syntax error and a missing file', async () => {
    const dir = tree({ 'empty.yaml': '', 'broken.yaml': 'version: 1\nservice: [unclosed\n' });
    const empty = await golive(['validate', '-c', 'empty.yaml'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty/);
    const broken = await golive(['validate', '-c', 'broken.yaml'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+/);
    const missing = await golive(['check', '-c', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml/);
    expect(missing.stderr).toMatch(/golive init/);
  });

  it('prints the JSON Schema, equal to the committed copy', async () => {
    const r = await golive(['schema'], { cwd: ROOT });
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed).toEqual(JSON.parse(readFileSync(join(ROOT, 'schema', 'golive.schema.json'), 'utf8')));
    expect(Object.keys(printed.properties)).toEqual(
      expect.arrayContaining(['thresholds', 'criteria', 'signoff', 'target']),
    );
  });

  it('names the flag at fault, the unknown command, and exits 2', async () => {
    const dir = tree();
    const flag = await golive(['check', '--outt', 'x'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--outt/);
    expect(flag.stderr).toMatch(/usage: golive check/);
    const cmd = await golive(['chek'], { cwd: dir });
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/did you mean "golive check"/);
    const help = await golive(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/signoff/);
  });

  it('names a missing positional argument as the usage line does, not as a flag', async () => {
    const dir = tree();
    const waive = await golive(['waive', '--reason', 'r', '--by', 'lee', '--expires', '2099-12-31'], { cwd: dir });
    expect(waive.code).toBe(2);
    expect(waive.stderr).toContain('golive waive: the CRITERION-or-FINDING argument is required');
    expect(waive.stderr).toMatch(/usage: golive waive CRITERION-or-FINDING/);
    const accept = await golive(['accept'], { cwd: dir });
    expect(accept.stderr).toContain('golive accept: the FINDING argument is required');
    for (const r of [waive, accept]) expect(r.stderr).not.toMatch(/--(CRITERION|FINDING)/);
  });
});

describe('the bundled example', () => {
  it('runs golive check end to end: starts the service, gathers ops evidence, lists the unattested items', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const dir = tree();
    const spec = join(ROOT, 'examples', 'checkout-api', 'golive.yaml');
    const storeDir = join(dir, 'store.db');
    writeFileSync(
      join(dir, 'golive.yaml'),
      readFileSync(spec, 'utf8')
        .replace('command: node server.js', `command: node ${join(ROOT, 'examples', 'checkout-api', 'server.js')}`)
        .replace('files: [alerts.yml]', `files: [${join(ROOT, 'examples', 'checkout-api', 'alerts.yml')}]`)
        // The blue-green staging and its switch script, from the example's folder.
        .replaceAll('node bluegreen/', `node ${join(ROOT, 'examples', 'checkout-api', 'bluegreen')}/`)
        // The repository scan looks at the example's folder.
        .replace('scan:\n  path: .\n', `scan:\n  path: ${join(ROOT, 'examples', 'checkout-api')}\n`) +
        `store: { path: ${storeDir} }\n`,
    );
    const r = await golive(['check'], { cwd: dir, env: { CHECKOUT_PORT: String(port) } });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/checkout-api v1\.4\.0/);
    expect(r.stdout).toMatch(/✔ Met\s+AC-1/);
    expect(r.stdout).toMatch(/✔ Met\s+AC-2\s+Load test/);
    expect(r.stdout).toMatch(/AC-3 All runbooks created and reviewed: Unverified/);
    // Security probes and the repository scan feed findings.*: medium and low findings, none critical or high.
    expect(r.stdout).toMatch(/✔ Met\s+AC-5\s+Security review/);
    expect(r.stdout).toMatch(/✔ Met\s+DoD-6\s+Alerts/);
    expect(r.stdout).toMatch(/Findings \(open, not waived or accepted\): 0 critical · 0 high · [1-9]\d* medium/);
    expect(r.stdout).toMatch(/golive-report\/report\.html/);
    expect(r.stdout).not.toContain('demo-staging-token');
  });
});
