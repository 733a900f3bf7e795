import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, tree } from '../helpers.js';

/*
 * Slow (npm pack and npm install, ~10-60 s): the package a team installs into
 * its own repository. `npm pack` of the built tree, installed into a temporary
 * prefix from the npm cache (--prefer-offline: the network only for what the
 * cache lacks), then the installed bin is run from another folder. Install
 * scripts are skipped (no native build of better-sqlite3, which --version,
 * init and validate never open), so the test measures the packaging, not a compiler.
 */

const run = promisify(execFile);
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('npm pack → npm install → golive (slow)', () => {
  it('produces a tarball that installs and runs from another folder', { timeout: 240_000 }, async () => {
    const work = tree();
    const pkgDir = join(work, 'pkg');
    const prefix = join(work, 'prefix');
    mkdirSync(pkgDir);
    mkdirSync(prefix);
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', pkgDir], {
      cwd: ROOT,
      env,
    });
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = (info?.files ?? []).map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['bin/golive.js', 'dist/cli/main.js', 'dist/index.js', 'schema/golive.schema.json']),
    );
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/'))).toEqual([]);
    const tgz = readdirSync(pkgDir).find((f) => /^golive-.*\.tgz$/.test(f)) as string;
    expect(tgz).toBe(`golive-${version}.tgz`);

    await run(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        join(pkgDir, tgz),
      ],
      { cwd: work, env, timeout: 200_000 },
    );
    const bin = join(prefix, 'node_modules', '.bin', 'golive');
    expect(existsSync(bin)).toBe(true);

    const elsewhere = tree({
      'golive.yaml': `version: 1
service: billing
release: v2.0.0
target: { baseUrl: "http://127.0.0.1:1" }
thresholds: { ops.endpoints.failing: "== 0" }
probes: { ops: {} }
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, thresholds: [ops.endpoints.failing] }
`,
    });
    const v = await run(bin, ['--version'], { cwd: elsewhere, env });
    expect(v.stdout.trim()).toBe(version);
    const valid = await run(bin, ['validate'], { cwd: elsewhere, env });
    expect(valid.stdout).toMatch(/^valid golive\.yaml: billing v2\.0\.0/);

    // golive init in the project that installed it: the $schema line points at the installed package's schema.
    const service = join(prefix, 'service');
    mkdirSync(service);
    await run(bin, ['init'], { cwd: service, env });
    const first = readFileSync(join(service, 'golive.yaml'), 'utf8').split('\n')[0] as string;
    const ref = /\$schema=(\S+)$/.exec(first)?.[1] as string;
    const schema = resolve(dirname(join(service, 'golive.yaml')), ref);
    expect(schema).toBe(join(prefix, 'node_modules', 'golive', 'schema', 'golive.schema.json'));
    expect(JSON.parse(readFileSync(schema, 'utf8')).title).toBe('golive.yaml');
  });
});
