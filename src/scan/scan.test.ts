import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo, tree } from '../../test/helpers.js';
import { fakeSecrets } from '../../test/secret-corpus.js';
import { isGoliveError } from '../errors.js';
import type { Evidence } from '../model.js';
import { writeBaseline } from './baseline.js';
import { scanRepository, type ScanOptions } from './scan.js';
import { gitFiles, walkRepository } from './walk.js';

const clock = () => new Date('2026-01-01T00:00:00Z');
const scan = (opts: Omit<ScanOptions, 'now'>) => scanRepository({ now: clock, ...opts });
const check = (ev: Evidence, id: string) => ev.checks.find((c) => c.id === id);
const metric = (ev: Evidence, name: string) => ev.metrics.find((m) => m.name === name)?.value;

/** A tidy repository: every hygiene check passes. */
const healthy = (): Record<string, string> => ({
  'README.md': '# shop\n',
  'CHANGELOG.md': '# Changelog\n\n## [1.4.0] - 2026-01-01\n- first\n',
  'docs/runbooks/README.md': '- [Rollback](rollback.md)\n',
  'docs/runbooks/rollback.md': '# Rollback\n',
  '.github/workflows/ci.yml': 'on: push\n',
  'src/server.ts': 'export const port = 8080;\n',
  '.env.example': 'DB_PASSWORD=\n',
});

describe('walkRepository', () => {
  it('honours .gitignore (nested too), skips node_modules, .git, lockfiles, binaries and big files', async () => {
    const dir = tree({
      '.gitignore': 'secret-notes.txt\nbuild/\n',
      'src/.gitignore': '*.gen.ts\n',
      'src/a.ts': 'a',
      'src/b.gen.ts': 'b',
      'secret-notes.txt': 'x',
      'build/out.js': 'x',
      'node_modules/dep/index.js': 'x',
      'package-lock.json': '{}',
      'big.txt': 'y'.repeat(2000),
    });
    writeFileSync(join(dir, 'logo.dat'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    writeFileSync(join(dir, 'icon.png'), 'not really a png');
    const read: string[] = [];
    const w = await walkRepository(dir, 1000, (f) => read.push(`${f.path}=${f.text}`));
    expect(w.files).toEqual(['.gitignore', 'src/.gitignore', 'src/a.ts']);
    expect(read).toContain('src/a.ts=a');
    expect(w.skipped).toEqual(
      expect.arrayContaining([
        { path: 'big.txt', reason: 'too large', detail: '2000 bytes' },
        { path: 'logo.dat', reason: 'binary' },
        { path: 'icon.png', reason: 'binary' },
      ]),
    );
    expect(w.passedOver).toBe(1);
  });

  it.skipIf(process.getuid?.() === 0)('lists unreadable files as skipped instead of failing', async () => {
    const dir = tree({ 'a.txt': 'a', 'locked.txt': 'b' });
    chmodSync(join(dir, 'locked.txt'), 0o000);
    expect((await walkRepository(dir, 1000, () => undefined)).skipped).toEqual([
      { path: 'locked.txt', reason: 'unreadable', detail: 'EACCES' },
    ]);
  });
  it('in a git repository reads tracked files even when .gitignore lists them, and untracked ones it does not', async () => {
    const dir = tree({
      '.env': 'STRIPE_KEY=x\n',
      'config/app.yml': 'password: y\n',
      'src/a.ts': 'a',
      'node_modules/dep/index.js': 'vendored',
      'package-lock.json': '{}',
    });
    gitRepo(dir);
    // Ignored after the fact, without git rm --cached: still committed, still to be scanned.
    writeFileSync(join(dir, '.gitignore'), '.env\nconfig/\nscratch.txt\nnode_modules/\n');
    writeFileSync(join(dir, 'scratch.txt'), 'untracked and ignored');
    writeFileSync(join(dir, 'new.ts'), 'untracked, not ignored');
    rmSync(join(dir, 'src', 'a.ts')); // tracked, deleted in the working tree: nothing to read, not an error
    const w = await walkRepository(dir, 1000, () => undefined);
    expect(w.files).toEqual(['.env', '.gitignore', 'config/app.yml', 'new.ts']);
    expect(w.skipped).toEqual([]);
    expect(w.passedOver).toBe(1);
  });

  it('falls back to reading the folder when git is not on PATH', async () => {
    const dir = tree({ '.gitignore': 'ignored.txt\n', 'ignored.txt': 'x', 'a.ts': 'a' });
    gitRepo(dir);
    const path = process.env.PATH;
    process.env.PATH = tree();
    try {
      expect(await gitFiles(dir)).toBeUndefined();
      expect((await walkRepository(dir, 1000, () => undefined)).files).toEqual(['.gitignore', 'a.ts']);
    } finally {
      process.env.PATH = path;
    }
  });

  it('reads a folder that an enclosing repository ignores as a whole', async () => {
    const dir = tree({
      '.gitignore': 'scratch/\n',
      'a.ts': 'a',
      'scratch/.gitignore': 'x.txt\n',
      'scratch/b.ts': 'b',
      'scratch/x.txt': 'x',
    });
    gitRepo(dir);
    expect((await walkRepository(join(dir, 'scratch'), 1000, () => undefined)).files).toEqual(['.gitignore', 'b.ts']);
  });

  it('stops when the signal is aborted while it reads, keeping what was read', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 500; i++) files[`f${String(i).padStart(3, '0')}.txt`] = 'x';
    const dir = tree(files);
    const controller = new AbortController();
    let read = 0;
    const w = await walkRepository(
      dir,
      1000,
      () => {
        // Aborted from outside the walk, as SIGINT would: the walk must give the event loop a turn to see it.
        if (++read === 100) setImmediate(() => controller.abort());
      },
      controller.signal,
    );
    expect(w.files.length).toBeGreaterThanOrEqual(100);
    expect(w.files.length).toBeLessThan(500);
  });
});

describe('scanRepository', () => {
  it('passes a tidy, tagged repository with the release in its CHANGELOG', async () => {
    const dir = tree(healthy());
    gitRepo(dir, 'v1.4.0');
    const { evidence } = await scan({ baseDir: dir, release: 'v1.4.0' });
    expect(evidence.checks.map((c) => [c.id, c.status])).toEqual([
      ['scan.secrets', 'pass'],
      ['scan.forbidden', 'pass'],
      ['scan.readme', 'pass'],
      ['scan.changelog', 'pass'],
      ['scan.runbooks', 'pass'],
      ['scan.ci', 'pass'],
      ['scan.tag', 'pass'],
      ['scan.env-files', 'pass'],
    ]);
    expect(evidence).toMatchObject({ collector: 'scan', status: 'pass', scansForFindings: true, findings: [] });
  });

  it('reports secrets only redacted, with fingerprints that survive moved lines and new runs', async () => {
    const token = fakeSecrets.githubToken('repo');
    const key = fakeSecrets.privateKey('repo');
    const dir = tree({
      ...healthy(),
      'src/config.ts': `export const gh = "${token}";\n`,
      'deploy/id_rsa': `${key}\n`,
      '.env': `DB_PASSWORD=${fakeSecrets.password('dotenv')}\n`,
      'src/debug.ts': 'console.log("here");\ndebugger;\n',
      'src/debug.test.ts': 'console.log("tests may log");\n',
    });
    const first = (await scan({ baseDir: dir })).evidence;
    const json = JSON.stringify(first);
    expect(json).not.toContain(token);
    expect(json).not.toContain(key.split('\n')[1]);
    expect(first.status).toBe('fail');
    expect(first.findings.map((f) => [f.severity, f.rule, f.location])).toEqual([
      ['critical', 'secret/private-key', 'deploy/id_rsa:1'],
      ['high', 'env-file', '.env'],
      ['high', 'secret/generic-secret', '.env:1'],
      ['high', 'secret/github-token', 'src/config.ts:1'],
      ['medium', 'forbidden/debugger', 'src/debug.ts:2'],
      ['low', 'forbidden/console-log', 'src/debug.ts:1'],
    ]);
    expect(first.findings.find((f) => f.rule === 'secret/github-token')?.evidence).toBe('ghp_… (40 chars)');
    expect(metric(first, 'scan.secrets')).toBe(3);
    expect(check(first, 'scan.env-files')).toMatchObject({ status: 'fail', summary: 'committed .env files: .env' });

    writeFileSync(join(dir, 'src/config.ts'), `// moved down\n\nexport const gh = "${token}";\n`);
    const second = (await scan({ baseDir: dir })).evidence;
    const prints = (ev: Evidence) => ev.findings.map((f) => f.fingerprint).sort();
    expect(prints(second)).toEqual(prints(first));
    expect(second.findings.find((f) => f.rule === 'secret/github-token')?.location).toBe('src/config.ts:3');
  });

  it('gives the same secret twice in one file two fingerprints, both stable when lines move', async () => {
    const key = fakeSecrets.stripeKey('twice');
    const other = fakeSecrets.stripeKey('other');
    const dir = tree({
      ...healthy(),
      'src/keys.ts': `const a = "${key}";\nconst b = "${other}";\nconst c = "${key}";\n`,
    });
    const first = (await scan({ baseDir: dir })).evidence;
    const prints = (ev: Evidence) => ev.findings.filter((f) => f.rule.startsWith('secret/')).map((f) => f.fingerprint);
    expect(prints(first)).toHaveLength(3);
    expect(new Set(prints(first)).size).toBe(3);
    // Lines inserted above and between: the same three fingerprints.
    writeFileSync(
      join(dir, 'src/keys.ts'),
      `// keys\nconst a = "${key}";\n\nconst b = "${other}";\nconst c = "${key}";\n`,
    );
    expect(prints((await scan({ baseDir: dir })).evidence).sort()).toEqual([...prints(first)].sort());
    // Baselining the file's findings then adding a third copy of the key: only the new copy is reported.
    writeBaseline(join(dir, 'baseline.json'), (await scan({ baseDir: dir })).allFindings);
    writeFileSync(
      join(dir, 'src/keys.ts'),
      `const a = "${key}";\nconst b = "${other}";\nconst c = "${key}";\nconst d = "${key}";\n`,
    );
    const next = (await scan({ baseDir: dir, baseline: 'baseline.json' })).evidence;
    expect(next.findings.map((f) => f.location)).toEqual(['src/keys.ts:4']);
  });

  it('accepts baselined findings, and reports only new ones', async () => {
    const dir = tree({ ...healthy(), 'src/a.ts': `const k = "${fakeSecrets.stripeKey('a')}";\n` });
    const before = await scan({ baseDir: dir });
    writeBaseline(join(dir, 'baseline.json'), before.allFindings);
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
    expect(baseline.findings).toEqual([
      { fingerprint: before.allFindings[0]?.fingerprint, rule: 'secret/stripe-secret-key', location: 'src/a.ts' },
    ]);
    const accepted = (await scan({ baseDir: dir, baseline: 'baseline.json' })).evidence;
    expect(accepted.status).toBe('pass');
    expect(accepted.findings).toEqual([]);
    expect(metric(accepted, 'scan.baselined')).toBe(1);

    writeFileSync(join(dir, 'src/b.ts'), `const k = "${fakeSecrets.stripeKey('b')}";\n`);
    const next = (await scan({ baseDir: dir, baseline: 'baseline.json' })).evidence;
    expect(next.findings.map((f) => f.location)).toEqual(['src/b.ts:1']);
    expect(check(next, 'scan.secrets')?.status).toBe('fail');
  });

  it('applies allowlists: paths, regexes and golive:allow', async () => {
    const dir = tree({
      ...healthy(),
      'fixtures/keys.ts': `x = "${fakeSecrets.githubToken('f')}";\n`,
      'src/a.ts': `y = "${fakeSecrets.gitlabToken('g')}";\nz = "${fakeSecrets.npmToken('n')}"; // golive:allow rotated, kept for docs\n`,
    });
    const { evidence } = await scan({
      baseDir: dir,
      config: { secrets: { allowPaths: ['fixtures/**'], allowRegexes: ['^glpat-'] } },
    });
    expect(evidence.findings).toEqual([]);
  });

  it('imports coverage, npm audit and SARIF into metrics, checks and findings', async () => {
    const dir = tree({
      ...healthy(),
      'coverage/coverage-summary.json': JSON.stringify({ total: { lines: { total: 100, covered: 72 } } }),
      'audit.json': JSON.stringify({
        vulnerabilities: {
          lodash: {
            name: 'lodash',
            severity: 'high',
            via: [{ title: 'Prototype Pollution', url: 'https://github.com/advisories/GHSA-p6mc-m468-83gw' }],
            range: '<4.17.19',
            fixAvailable: true,
          },
        },
      }),
      'zap.sarif': JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'ZAP' } },
            results: [
              {
                ruleId: '10038',
                level: 'warning',
                message: { text: 'CSP header not set' },
                locations: [{ physicalLocation: { artifactLocation: { uri: 'http://127.0.0.1:8080/' } } }],
              },
            ],
          },
        ],
      }),
    });
    const { evidence } = await scan({
      baseDir: dir,
      config: {
        coverage: { file: 'coverage/coverage-summary.json', min: 80 },
        audit: 'audit.json',
        sarif: ['zap.sarif'],
      },
    });
    expect(metric(evidence, 'scan.coverage.lines')).toBe(0.72);
    expect(check(evidence, 'scan.coverage')).toMatchObject({ status: 'fail' });
    expect(check(evidence, 'scan.coverage')?.summary).toContain('72.00 % (72/100) < 80 %');
    expect(check(evidence, 'scan.audit')?.status).toBe('fail');
    expect(metric(evidence, 'scan.audit.high')).toBe(1);
    expect(check(evidence, 'scan.sarif')).toMatchObject({ status: 'pass', summary: '1 result from ZAP: 1 medium' });
    expect(evidence.findings.map((f) => f.rule)).toEqual(['npm-audit', 'zap/10038']);
  });

  it('fails the hygiene checks of an untidy folder without crashing on a missing git', async () => {
    const { evidence } = await scan({ baseDir: tree({ 'src/a.ts': 'x' }), release: 'v2.0.0' });
    expect(evidence.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'scan.readme',
      'scan.changelog',
      'scan.runbooks',
      'scan.ci',
      'scan.tag',
    ]);
    expect(check(evidence, 'scan.tag')?.summary).toBe('cannot list git tags: not a git repository');
  });

  it('refuses a missing folder and malformed imports before scanning', async () => {
    const dir = tree({ 'cov.json': '{"total": 3}' });
    const err = await scan({ baseDir: dir, path: 'nope' }).catch((e: unknown) => e);
    expect(isGoliveError(err) && err.code).toBe('GL_SCAN_DIR_NOT_FOUND');
    const bad = await scan({ baseDir: dir, config: { coverage: { file: 'cov.json' } } }).catch((e: unknown) => e);
    expect(isGoliveError(bad) && bad.message).toContain('cov.json: not a valid coverage file: no "total" object');
    const missing = await scan({ baseDir: dir, config: { audit: 'audit.json' } }).catch((e: unknown) => e);
    expect(isGoliveError(missing) && missing.code).toBe('GL_FILE_NOT_FOUND');
  });
});
