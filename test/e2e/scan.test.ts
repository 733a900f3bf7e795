import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, gitRepo, golive, opsHandler, ROOT, serve, specYaml, tree } from '../helpers.js';
import { fakeSecrets } from '../secret-corpus.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const tidy = (): Record<string, string> => ({
  'README.md': '# shop\n',
  'CHANGELOG.md': '# Changelog\n\n## [1.0.0] - 2026-01-01\n- first release\n',
  'docs/runbooks/README.md': '- [Rollback](rollback.md)\n- [Restore](restore.md)\n',
  'docs/runbooks/rollback.md': '# Rollback\n',
  'docs/runbooks/restore.md': '# Restore\n',
  '.github/workflows/ci.yml': 'on: push\n',
  'src/server.js': 'export const port = 8080;\n',
  '.gitignore': 'coverage/\n',
});

describe('golive scan', () => {
  it('finds secrets, shows them only redacted, exits 1, and gives the same fingerprints every run', async () => {
    const token = fakeSecrets.awsKeyId('e2e');
    const password = fakeSecrets.password('e2e');
    const dir = tree({
      ...tidy(),
      'src/aws.js': `export const keyId = '${token}';\n`,
      'config/app.yaml': `db:\n  password: ${password}\n`,
      'src/log.js': 'console.log("starting");\n',
    });
    // Ignored by .gitignore, inside node_modules, a lockfile, or binary: none is reported, none crashes the scan.
    const ignoredToken = fakeSecrets.githubToken('ignored');
    writeFileSync(join(dir, '.gitignore'), 'coverage/\nlocal-notes.txt\n');
    writeFileSync(join(dir, 'local-notes.txt'), `token ${ignoredToken}\n`);
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), `export const t = "${ignoredToken}";\n`);
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ token: ignoredToken }));
    writeFileSync(join(dir, 'app.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(ignoredToken)]));
    const r = await golive(['scan'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toContain('github-token');
    expect(r.stdout).toMatch(/scan\.files\.skipped\s+1\b/);
    expect(r.stdout).toContain('✖ scan.secrets  2 secrets found (1 critical, 1 high)');
    expect(r.stdout).toMatch(/critical\s+secret\/aws-access-key-id .* src\/aws\.js:1/);
    expect(r.stdout).toMatch(/low\s+forbidden\/console-log/);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stdout + r.stderr).not.toContain(password);

    const a = await golive(['scan', '--json', '--out', 'out'], { cwd: dir });
    const b = await golive(['scan', dir, '--json'], { cwd: tree() });
    const evA = JSON.parse(a.stdout);
    const evB = JSON.parse(b.stdout);
    expect(evA.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(
      evB.findings.map((f: { fingerprint: string }) => f.fingerprint),
    );
    expect(evA.findings.find((f: { rule: string }) => f.rule === 'secret/aws-access-key-id').evidence).toBe(
      `${token.slice(0, 4)}… (20 chars)`,
    );
    const written = readFileSync(join(dir, 'out', 'evidence.json'), 'utf8');
    expect(JSON.parse(written).collector).toBe('scan');
    expect(written).not.toContain(token);
  });

  it('uses the spec: release for CHANGELOG and tag, coverage minimum, baseline written and honoured', async () => {
    const dir = tree({
      ...tidy(),
      'golive.yaml': `${specYaml('http://127.0.0.1:9')}scan:\n  path: .\n  coverage: { file: coverage/coverage-summary.json, min: 80 }\n`,
      'coverage/coverage-summary.json': JSON.stringify({ total: { lines: { total: 50, covered: 43 } } }),
      'src/debug.js': 'debugger;\n',
    });
    gitRepo(dir, 'v1.0.0');
    const first = await golive(['scan', '-c', 'golive.yaml'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('✔ scan.changelog  CHANGELOG.md has an entry for v1.0.0');
    expect(first.stdout).toContain('✔ scan.tag  git tag v1.0.0 exists');
    expect(first.stdout).toContain('✔ scan.coverage  line coverage 86.00 % (43/50) >= 80 %');
    expect(first.stdout).toMatch(/scan\.coverage\.lines\s+86\.00 %/);
    expect(first.stdout).toContain('✖ scan.forbidden  1 forbidden line found (1 medium)');

    const write = await golive(['scan', '-c', 'golive.yaml', '--write-baseline', 'baseline.json'], { cwd: dir });
    expect(write.code, write.stdout).toBe(0);
    expect(write.stderr).toContain('baseline: 1 finding accepted → baseline.json');
    const again = await golive(['scan', '-c', 'golive.yaml', '--baseline', 'baseline.json'], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('1 baselined');
  });

  it('feeds golive check: findings.* thresholds and a criterion on scan.runbooks', async () => {
    const s = await serve(opsHandler());
    cleanups.push(s.close);
    const spec = specYaml(s.url)
      .replace('thresholds:\n', 'thresholds:\n  findings.critical: "== 0"\n  scan.coverage.lines: ">= 80%"\n')
      .replace(
        'criteria:\n',
        'criteria:\n  - { id: AC-3, type: AC, title: Runbooks exist, evidence: [scan.runbooks], thresholds: [findings.critical, scan.coverage.lines] }\n',
      );
    const dir = tree({
      ...tidy(),
      'golive.yaml': `${spec}scan:\n  coverage: { file: lcov.info }\n`,
      'lcov.info': 'TN:\nSF:src/server.js\nLF:10\nLH:9\nend_of_record\n',
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.stderr).toMatch(/scan: \d+ files · no findings/);
    expect(r.stdout).toMatch(/✔ Met\s+AC-3/);
    const report = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    expect(report.evaluation.findings).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
    const cov = report.evaluation.thresholds.find((t: { name: string }) => t.name === 'scan.coverage.lines');
    expect(cov).toMatchObject({ outcome: 'pass', value: 0.9 });

    writeFileSync(join(dir, 'src/key.pem'), `${fakeSecrets.privateKey('check')}\n`);
    const blocked = await golive(['check'], { cwd: dir });
    expect(blocked.code).toBe(1);
    const after = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    expect(after.evaluation.findings.critical).toBe(1);
    expect(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')).not.toContain(
      fakeSecrets.privateKey('check').split('\n')[1],
    );
  });

  it('exits 2 for a missing folder or a malformed imported file, naming the file and what is wrong', async () => {
    const dir = tree({
      ...tidy(),
      'golive.yaml': `${specYaml('http://127.0.0.1:9')}scan:\n  sarif: [reports/zap.sarif]\n`,
      'reports/zap.sarif':
        '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ZAP"}}, "results": [{"ruleId": "1", "level": "fatal", "message": {"text": "x"}}]}]}',
    });
    const missing = await golive(['scan', 'no-such-dir'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[GL_SCAN_DIR_NOT_FOUND]');
    expect(missing.stderr).toContain('no-such-dir: no such folder');

    const bad = await golive(['scan', '-c', 'golive.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[GL_SCAN_IMPORT_INVALID]');
    expect(bad.stderr).toContain(
      'zap.sarif: not a valid SARIF file: runs[0].results[0].level: expected one of none, note, warning, error, found "fatal"',
    );
    expect(bad.stderr).toContain('hint:');

    // golive check refuses it too, before the target is contacted.
    const check = await golive(['check'], { cwd: dir });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('[GL_SCAN_IMPORT_INVALID]');

    writeFileSync(join(dir, 'cov.yaml'), `${specYaml('http://127.0.0.1:9')}scan:\n  coverage: { file: broken.json }\n`);
    writeFileSync(join(dir, 'broken.json'), '{"total": ');
    const cov = await golive(['scan', '-c', 'cov.yaml'], { cwd: dir });
    expect(cov.code).toBe(2);
    expect(cov.stderr).toMatch(/broken\.json: not a valid coverage file: invalid JSON at line 1, column 11/);
    expect(cov.stderr).toMatch(/broken\.json:1:11: invalid JSON: Unexpected end of JSON input/);
  });

  it('scans files git tracks even when .gitignore lists them (a .env committed, ignored later)', async () => {
    const stripe = fakeSecrets.stripeKey('tracked');
    const password = fakeSecrets.password('tracked');
    const dir = tree({
      ...tidy(),
      '.env': `STRIPE_KEY=${stripe}\n`,
      'config/app.yml': `db:\n  password: ${password}\n`,
    });
    gitRepo(dir);
    // Added to .gitignore afterwards, without git rm --cached: git still tracks (and ships) both files.
    writeFileSync(join(dir, '.gitignore'), 'coverage/\n.env\nconfig/\nnotes.txt\n');
    // Untracked and ignored: not part of the repository, not reported.
    writeFileSync(join(dir, 'notes.txt'), `token ${fakeSecrets.githubToken('untracked')}\n`);
    const r = await golive(['scan', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const ev = JSON.parse(r.stdout);
    expect(ev.findings.map((f: { rule: string; location: string }) => `${f.rule} ${f.location}`).sort()).toEqual([
      'env-file .env',
      'secret/generic-secret config/app.yml:2',
      'secret/stripe-secret-key .env:1',
    ]);
    expect(ev.checks.find((c: { id: string }) => c.id === 'scan.env-files').status).toBe('fail');
    expect(r.stdout).not.toContain(stripe);
    expect(r.stdout).not.toContain(password);
  });

  it('never shows part of a secret that a long forbidden line would have cut in two', async () => {
    const key = fakeSecrets.awsKeyId('long-line');
    const dir = tree({ ...tidy(), 'src/log.js': `console.log("${'a'.repeat(98)} ${key}");\n` });
    const r = await golive(['scan', '--json', '--out', 'out'], { cwd: dir });
    const forbidden = JSON.parse(r.stdout).findings.find((f: { rule: string }) => f.rule === 'forbidden/console-log');
    expect(forbidden.evidence).toBe(`console.log("${'a'.repeat(98)} ${key.slice(0, 4)}… (20 chars)`);
    const written = readFileSync(join(dir, 'out', 'evidence.json'), 'utf8');
    for (const text of [r.stdout, written]) expect(text).not.toContain(key.slice(0, 8));
  });

  it('counts one result in the singular', async () => {
    const dir = tree({
      ...tidy(),
      'golive.yaml': `${specYaml('http://127.0.0.1:9')}scan:\n  sarif: [gl.sarif]\n`,
      'gl.sarif': JSON.stringify({
        version: '2.1.0',
        runs: [
          { tool: { driver: { name: 'gitleaks' } }, results: [{ ruleId: 'x', level: 'note', message: { text: 'm' } }] },
        ],
      }),
    });
    const r = await golive(['scan', '-c', 'golive.yaml'], { cwd: dir });
    expect(r.stdout).toContain('scan.sarif  1 result from gitleaks: 1 low');
    expect(r.stdout).not.toMatch(/\b1 (results|files|findings|runbooks|lines)\b/);
  });

  it('stops on Ctrl-C while reading files, keeps the partial result and exits 3', async () => {
    // 10 000 files: long enough to read that the interrupt lands while the walk is still going.
    const dir = tree({ 'README.md': '# big\n' });
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(dir, `d${d}`));
      for (let f = 0; f < 250; f++) {
        writeFileSync(join(dir, `d${d}`, `f${f}.ts`), 'export const password = process.env.X;\n'.repeat(50));
      }
    }
    // With --write-baseline too: a baseline of a partial scan must not be written.
    const child = spawn(process.execPath, [BIN, 'scan', '--json', '--write-baseline', 'baseline.json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // Interrupt once the scan reports its first 1000 files read (not after a fixed delay).
    const reading = new Promise<void>((resolveReading) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/scan: 1000 files read/.test(stderr)) resolveReading();
      }),
    );
    const closed = new Promise<number | null>((r) => child.on('close', r));
    await Promise.race([reading, closed]);
    child.kill('SIGINT');
    const code = await closed;
    expect(code, stderr).toBe(3);
    expect(stderr).toContain('interrupted: stopping, keeping partial results');
    const ev = JSON.parse(stdout);
    expect(ev.summary).toMatch(/^interrupted: partial results · \d+ files/);
    const files = ev.metrics.find((m: { name: string }) => m.name === 'scan.files').value;
    expect(files).toBeGreaterThanOrEqual(1000);
    expect(files).toBeLessThan(10_001);
    expect(stderr).toContain('baseline: not written (scan interrupted)');
    expect(existsSync(join(dir, 'baseline.json'))).toBe(false);
  });

  it('finds no secrets in golive itself: test values carry golive:allow, fakes are built at runtime', async () => {
    const r = await golive(['scan', ROOT, '--json'], { cwd: tree() });
    const ev = JSON.parse(r.stdout);
    const secrets = ev.findings.filter((f: { rule: string }) => f.rule.startsWith('secret/'));
    expect(secrets.map((f: { location: string }) => f.location)).toEqual([]);
    expect(ev.checks.find((c: { id: string }) => c.id === 'scan.secrets').status).toBe('pass');
  });
});
