import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagTable } from '../../src/cli/args.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fakeSecrets } from '../secret-corpus.js';
import { gitRepo, golive, opsHandler, serve, specYaml, tree } from '../helpers.js';

/* The CLI shell end to end: help from the flag tables, did-you-mean, --json, --quiet, colour per stream, config discovery. */

let url = '';
let close: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  const srv = await serve(opsHandler());
  url = srv.url;
  close = srv.close;
});
afterAll(() => close());

const COMMANDS = [
  'init',
  'validate',
  'schema',
  'check',
  'load',
  'report',
  'history',
  'attest',
  'waive',
  'findings',
  'accept',
  'amend',
  'signoff',
  'decide',
  'audit',
  'drill',
  'scan',
  'verify',
  'probe',
];

/** An in-process io with captured streams; `tty` says which streams are terminals. */
function memoryIo(cwd: string, tty: { stdout: boolean; stderr: boolean }, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    cwd,
    isTTY: tty.stdout,
    stderrIsTTY: tty.stderr,
    now: () => new Date(),
    signal: new AbortController().signal,
  };
  return { io, out: () => out, err: () => err };
}

describe('per-command help, from the one flag table', () => {
  it('lists every flag of every command with its description and default; golive help CMD says the same', async () => {
    for (const name of COMMANDS) {
      const mod = (await import(`../../src/cli/${name}.ts`)) as { flags: FlagTable };
      const m = memoryIo('/', { stdout: false, stderr: false });
      expect(await main({ argv: [name, '--help'], io: m.io })).toBe(0);
      const help = m.out();
      for (const [flag, spec] of Object.entries({
        ...mod.flags,
        config: { description: 'the spec to read' },
        quiet: { description: 'for CI' },
      })) {
        const row = new RegExp(`^  (-\\w, | {4})--${flag}(?= )`);
        const line = help.split('\n').find((l) => row.test(l));
        expect(line, `golive ${name} --help lists --${flag}`).toBeDefined();
        expect(line).toContain(spec.description);
        if ('default' in spec && spec.default !== undefined) expect(line).toContain(`(default: ${spec.default})`);
      }
      const viaHelp = memoryIo('/', { stdout: false, stderr: false });
      expect(await main({ argv: ['help', name], io: viaHelp.io })).toBe(0);
      expect(viaHelp.out()).toBe(help);
    }
  });

  it('through the real bin: golive help check and golive check --help', async () => {
    const dir = tree();
    const a = await golive(['help', 'check'], { cwd: dir });
    const b = await golive(['check', '--help'], { cwd: dir });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/--out DIR\s+folder for the reports \(default: golive-report\/ beside golive\.yaml\)/);
    expect(a.stdout).toMatch(/--format LIST\s+report formats.*\(default: all\)/);
    expect(a.stdout).toMatch(/-q, --quiet/);
    const load = await golive(['help', 'load'], { cwd: dir });
    expect(load.stdout).toMatch(/-c, --connections N\s+connections to open \(default: 10/);
    expect(load.stdout).toMatch(/ {4}--config FILE/); // -c is connections for load
  });
});

describe('did you mean', () => {
  it('suggests the flag for a mistyped one, and the command for a mistyped command or help topic', async () => {
    const dir = tree();
    const flag = await golive(['report', '--fromat', 'md'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--fromat'; did you mean --format\?/);
    expect(flag.stderr).toMatch(/usage: golive report/);
    const cmd = await golive(['sigoff'], { cwd: dir });
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/did you mean "golive signoff"\?/);
    const prefix = await golive(['sign'], { cwd: dir });
    expect(prefix.stderr).toMatch(/did you mean "golive signoff"\?/);
    const topic = await golive(['help', 'histroy'], { cwd: dir });
    expect(topic.code).toBe(2);
    expect(topic.stderr).toMatch(/did you mean "golive history"\?/);
    const far = await golive(['check', '--zzzzzz'], { cwd: dir });
    expect(far.stderr).not.toMatch(/did you mean/);
  });
});

describe('golive check and validate --json, --quiet', () => {
  it('check --json prints one machine summary: readiness, counts, run id, report paths', async () => {
    const dir = tree({ 'golive.yaml': specYaml(url) });
    const r = await golive(['check', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      ok: true,
      exitCode: 1,
      service: 'shop',
      release: 'v1.0.0',
      status: 'complete',
      ready: false,
      counts: {
        criteria: { Met: 1, Unverified: 1, Unmet: 0, Partial: 0, Waived: 0 },
        thresholds: { pass: 2, fail: 0 },
        signoffs: { required: 2, signedGo: 0 },
      },
    });
    expect(j.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(j.blocking.join('\n')).toMatch(/AC-2/);
    expect(j.reports).toEqual(expect.arrayContaining(['golive-report/report.json', 'golive-report/golive.sarif']));
    for (const f of j.reports) expect(existsSync(join(dir, f))).toBe(true);
  });

  it('check --quiet prints only the verdict line; errors still reach stderr', async () => {
    const dir = tree({ 'golive.yaml': specYaml(url) });
    const r = await golive(['check', '--quiet'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NOT READY — shop v1\.0\.0 run \S+: 1 blocking item\n$/);
    expect(r.stderr).toBe('');
    const bad = await golive(['check', '-q', '-c', 'nope.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/GL_SPEC_NOT_FOUND.*nope\.yaml/);
  });

  it('--quiet is read from the parsed flags: in a group of short flags yes, after -- no', async () => {
    const dir = tree({ 'golive.yaml': specYaml(url), '-q/README.md': '# x\n', '-q/index.js': 'export {};\n' });
    const grouped = await golive(['check', '-qc', 'golive.yaml'], { cwd: dir });
    expect(grouped.code, grouped.stderr).toBe(1);
    expect(grouped.stdout).toMatch(/^NOT READY — shop v1\.0\.0 run \S+: 1 blocking item\n$/);
    expect(grouped.stderr).toBe('');
    // A folder named "-q" after --: an argument, not the flag.
    const scan = await golive(['scan', '--', '-q'], { cwd: dir });
    expect([0, 1]).toContain(scan.code);
    expect(scan.stdout.split('\n').length, scan.stdout).toBeGreaterThan(3);
  });

  it('scan --quiet prints the one verdict line, nothing on stderr', async () => {
    const dir = tree({ 'README.md': '# x\n', 'index.js': 'export {};\n' });
    const r = await golive(['scan', '--quiet'], { cwd: dir });
    expect(r.stdout).toMatch(/^(✔|✖) scan: [^\n]+\n$/);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
  });

  it('validate --json: valid with counts, or every problem with file:line:column (exit 2)', async () => {
    const dir = tree({
      'golive.yaml': specYaml(url),
      'bad.yaml': `version: 1\nservice: shop\nrelease: v1\ntarget:\n  baseUrl: ${url}\nthreshold:\n  a: "< 1ms"\n`,
    });
    const ok = await golive(['validate', '--json'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      valid: true,
      file: 'golive.yaml',
      service: 'shop',
      counts: { thresholds: 2, criteria: 2 },
      problems: [],
    });
    const bad = await golive(['validate', '--json', '-c', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    const j = JSON.parse(bad.stdout);
    expect(j).toMatchObject({ valid: false, ok: false, exitCode: 2, error: { code: 'GL_SPEC_INVALID' } });
    const at = j.problems.find((p: { at: string }) => p.at.startsWith('bad.yaml:6:1'));
    expect(at, bad.stdout).toMatchObject({ file: 'bad.yaml', line: 6, column: 1 });
    expect(at.hint).toMatch(/thresholds/);
    expect(bad.stderr).toMatch(/bad\.yaml:6:1/); // the human message still goes to stderr
  });
});

describe('colour and progress follow the stream they are written to', () => {
  it('stderr a terminal, stdout a pipe: the progress line is redrawn on stderr, stdout has no colour', async () => {
    const dir = tree({ 'golive.yaml': specYaml(url) });
    const m = memoryIo(dir, { stdout: false, stderr: true });
    expect(await main({ argv: ['check'], io: m.io })).toBe(1);
    expect(m.err()).toContain('\r\x1b[2K');
    expect(m.out()).not.toContain('\x1b[');
    expect(m.out()).toMatch(/NOT READY/);
  });

  it('stdout a terminal, stderr a pipe: plain progress lines, coloured summary; NO_COLOR and FORCE_COLOR honoured', async () => {
    const dir = tree({ 'golive.yaml': specYaml(url) });
    const m = memoryIo(dir, { stdout: true, stderr: false });
    expect(await main({ argv: ['check'], io: m.io })).toBe(1);
    expect(m.err()).not.toContain('\r');
    expect(m.err()).not.toContain('\x1b[');
    expect(m.out()).toContain('\x1b[31m');
    const plain = memoryIo(dir, { stdout: true, stderr: true }, { NO_COLOR: '1' });
    await main({ argv: ['validate'], io: plain.io });
    expect(plain.out()).not.toContain('\x1b[');
    const forced = await golive(['validate'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[32mvalid\x1b[39m');
    expect((await golive(['validate'], { cwd: dir })).stdout).not.toContain('\x1b[');
  });
});

describe('golive report --format md without --out', () => {
  it('prints the Markdown itself to stdout and writes no file', async () => {
    const dir = tree({ 'golive.yaml': specYaml(url) });
    expect((await golive(['check', '--out', 'first'], { cwd: dir })).code).toBe(1);
    const r = await golive(['report', '--format', 'md'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# /);
    expect(r.stdout).toContain('shop');
    expect(r.stdout).toContain('AC-2');
    expect(r.stdout).not.toMatch(/Reports:/);
    expect(existsSync(join(dir, 'golive-report'))).toBe(false);
    const written = await golive(['report', '--format', 'md', '--out', 'md-out'], { cwd: dir });
    expect(written.code).toBe(0);
    expect(readFileSync(join(dir, 'md-out', 'report.md'), 'utf8')).toBe(r.stdout);
  });
});

describe('golive findings when piped', () => {
  it('prints the full rule and location, not clipped to a terminal width', async () => {
    const deep = 'services/payments/adapters/legacy-provider/configuration/credentials.js';
    const dir = tree({
      'golive.yaml': specYaml(url, 'scan:\n  path: .\n'),
      [deep]: `module.exports = { key: '${fakeSecrets.awsKeyId('cli-shell')}' };\n`,
    });
    const c = await golive(['check'], { cwd: dir });
    expect(c.code, c.stdout + c.stderr).toBe(1);
    const r = await golive(['findings'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${deep}:1`);
    expect(r.stdout).not.toContain('…');
  });
});

describe('config discovery', () => {
  it('from a subfolder, finds golive.yaml in the nearest parent, says so, and keeps the store and reports beside it', async () => {
    const dir = tree({ 'golive.yaml': specYaml(url), 'src/api/handlers/.keep': '' });
    const sub = join(dir, 'src', 'api', 'handlers');
    const v = await golive(['validate'], { cwd: sub });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toContain(`using ${join(dir, 'golive.yaml')}`);
    expect(v.stdout).toMatch(/valid \.\.\/\.\.\/\.\.\/golive\.yaml/);
    const c = await golive(['check'], { cwd: sub });
    expect(c.code, c.stderr).toBe(1);
    expect(c.stderr).toContain(`using ${join(dir, 'golive.yaml')}`);
    expect(existsSync(join(dir, 'golive-report', 'report.json'))).toBe(true);
    expect(existsSync(join(dir, '.golive'))).toBe(true);
    expect(existsSync(join(sub, 'golive-report'))).toBe(false);
    expect(existsSync(join(sub, '.golive'))).toBe(false);
    // Every command reading the spec finds the same one: history sees the run.
    const h = await golive(['history', '--json'], { cwd: sub });
    expect(JSON.parse(h.stdout)).toHaveLength(1);
    const quiet = await golive(['validate', '--quiet'], { cwd: sub });
    expect(quiet.stderr).toBe('');
    // In the spec's own folder nothing is said.
    expect((await golive(['validate'], { cwd: dir })).stderr).toBe('');
  });

  it('stops at the git root: a golive.yaml above the repository is not used', async () => {
    const outer = tree({ 'golive.yaml': specYaml(url), 'repo/src/index.js': 'export {};\n' });
    gitRepo(join(outer, 'repo'));
    const r = await golive(['validate'], { cwd: join(outer, 'repo', 'src') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GL_SPEC_NOT_FOUND/);
    expect(r.stderr).toContain(join(outer, 'repo', 'src', 'golive.yaml'));
    // At the repository root itself, its golive.yaml is found from below.
    writeFileSync(join(outer, 'repo', 'golive.yaml'), specYaml(url));
    expect((await golive(['validate'], { cwd: join(outer, 'repo', 'src') })).code).toBe(0);
  });
});

describe('golive init writes a $schema reference that resolves', () => {
  const schemaRef = (file: string): string => {
    const m = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8').split('\n')[0] as string);
    expect(m, 'first line is a yaml-language-server $schema comment').not.toBeNull();
    return resolve(dirname(file), (m as RegExpExecArray)[1] as string);
  };

  it('writes golive.schema.json beside the spec when golive is not installed in the project', async () => {
    const dir = tree();
    const r = await golive(['init'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const target = schemaRef(join(dir, 'golive.yaml'));
    expect(target).toBe(join(dir, 'golive.schema.json'));
    const printed = await golive(['schema'], { cwd: dir });
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual(JSON.parse(printed.stdout));
  });

  it('points at the installed package’s schema when golive is a dependency (nearest node_modules up the tree)', async () => {
    const dir = tree({ 'node_modules/golive/schema/golive.schema.json': '{}', 'services/api/.keep': '' });
    const r = await golive(['init', '-c', 'services/api/golive.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(schemaRef(join(dir, 'services', 'api', 'golive.yaml'))).toBe(
      join(dir, 'node_modules', 'golive', 'schema', 'golive.schema.json'),
    );
    expect(existsSync(join(dir, 'services', 'api', 'golive.schema.json'))).toBe(false);
  });

  it('creates the folder of -c when it does not exist yet, and a file that cannot be written is named', async () => {
    const dir = tree({ blocked: 'a file where a folder should be' });
    const r = await golive(['init', '-c', 'svc/golive.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(schemaRef(join(dir, 'svc', 'golive.yaml'))).toBe(join(dir, 'svc', 'golive.schema.json'));
    expect(existsSync(join(dir, 'svc', 'golive.schema.json'))).toBe(true);
    const bad = await golive(['init', '-c', 'blocked/golive.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/GL_FILE_NOT_WRITABLE\] cannot write \S*blocked:/);
  });
});

describe('golive verify off a terminal', () => {
  it('prints at most one progress line per 5 s', async () => {
    const srv = await serve((req, res) => {
      res.writeHead(req.url === '/version' ? 200 : 201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: 'v1.0.0' }));
    });
    try {
      const dir = tree({
        'golive.yaml': `version: 1\nservice: shop\nrelease: v1.0.0\ntarget: { baseUrl: "${srv.url}" }\ndrills:\n  smoke:\n    requests: [GET /a]\n    rate: 5/s\n    duration: 3s\n`,
      });
      const t0 = Date.now();
      const r = await golive(['verify'], { cwd: dir });
      const elapsed = Date.now() - t0;
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('verify:'));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(Math.floor(elapsed / 5000) + 1);
      const quiet = await golive(['verify', '--quiet'], { cwd: dir });
      expect(quiet.code).toBe(0);
      expect(quiet.stdout).toMatch(/^✔ drill\.smoke: .*\n$/);
      expect(quiet.stderr).toBe('');
    } finally {
      await srv.close();
    }
  });
});
