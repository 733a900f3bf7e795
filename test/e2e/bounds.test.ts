import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, specYaml, tree } from '../helpers.js';

/*
 * Issue 10, P1.8–P1.10: every number a user gives is range-checked where it is
 * read (exit 2 with the range), report folders that cannot be created fail at
 * once naming the path, and commands that only read, or fail before doing their
 * work, leave no .golive/ or golive-report/ behind.
 */

let server: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  server = await serve(opsHandler());
});
afterAll(async () => {
  await server.close();
});

/** Hang guard only: a command that spins (recursive mkdir on /proc) is killed and fails the test. */
const GUARD = { timeoutMs: 30_000 };

describe('numbers and durations from the user are range-checked (exit 2, with the range)', () => {
  it('history --limit 1e99 is refused before the store is opened, and nothing is created', async () => {
    const dir = tree({ 'golive.yaml': specYaml(server.url) });
    for (const limit of ['1e99', '0', '1.5', '0x10', '10001']) {
      const r = await golive(['history', '--limit', limit], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`[GL_ARG_INVALID] --limit must be a whole number from 1 to 10000, not "${limit}"`);
    }
    expect(readdirSync(dir)).toEqual(['golive.yaml']);
  });

  it('validate refuses a 1000h probe timeout, a 0s start timeout and an unbounded drill deadline, with file:line:column', async () => {
    const dir = tree({
      'golive.yaml': specYaml(
        server.url,
        'drills:\n  alarm: { generic: { trigger: "true", verify: "true" }, within: 1000h, poll: 0s }\n',
      ).replace(
        `  baseUrl: ${server.url}\n`,
        `  baseUrl: ${server.url}\n  timeout: 1000h\n  start: { command: "true", ready: /health, timeout: 0s }\n`,
      ),
    });
    const r = await golive(['validate'], { cwd: dir });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain('golive.yaml:6:12: 1000h is too long: expected a duration above 0, at most 10m');
    expect(r.stderr).toContain('golive.yaml:7:54: 0s means nothing here: expected a duration above 0, at most 1h');
    expect(r.stderr).toMatch(/golive\.yaml:\d+:\d+: 1000h is too long: expected a duration above 0, at most 24h/);
    expect(r.stderr).toMatch(/golive\.yaml:\d+:\d+: 0s means nothing here: expected a duration above 0, at most 1h/);
  });

  it('validate refuses a bound whose unit does not fit its metric, and a bound too large to be a number', async () => {
    const dir = tree({
      'golive.yaml': specYaml(server.url).replace(
        'thresholds:\n',
        `thresholds:\n  load.error_rate: "< 0.1"\n  load.latency.p95: "< 5%"\n  load.latency.p99: "< 1${'0'.repeat(400)}ms"\n`,
      ),
    });
    const r = await golive(['validate'], { cwd: dir });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain(
      'golive.yaml:10:26: threshold load.error_rate is measured in a ratio, but "< 0.1" is a plain number',
    );
    expect(r.stderr).toContain('hint: ratios need %, so 0.1 and 0.1% cannot be confused');
    expect(r.stderr).toContain(
      'golive.yaml:11:25: threshold load.latency.p95 is measured in milliseconds, but "< 5%" is a percentage',
    );
    expect(r.stderr).toContain('golive.yaml:12:24: threshold load.latency.p99: the bound is too large to be a number');
  });

  it('probe --timeout 0s or 1000h is refused before any request', async () => {
    const dir = tree();
    for (const t of ['0s', '1000h']) {
      const r = await golive(['probe', 'http://127.0.0.1:9', '--timeout', t], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`golive probe: --timeout "${t}": `);
      expect(r.stderr).toContain('expected a duration above 0, at most 10m');
    }
  });

  it('--expires must be a date on the calendar', async () => {
    const dir = tree({ 'golive.yaml': specYaml(server.url) });
    const r = await golive(['waive', 'AC-2', '--reason', 'x', '--by', 'lee', '--expires', '2099-02-30'], { cwd: dir });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain('--expires: "2099-02-30" is not a date');
    expect(readdirSync(dir)).toEqual(['golive.yaml']);
  });
});

describe('report folders (P1.9)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tree({ 'golive.yaml': specYaml(server.url), 'notes.txt': 'a regular file' });
    const check = await golive(['check', '--out', 'first-report'], { cwd: dir, ...GUARD });
    // NO-GO (AC-2 waits for an attestation), but the run is recorded.
    expect(check.code, check.stderr).toBe(1);
  });

  it('report --out /proc/x fails at once naming the folder (exit 2), instead of spinning', async () => {
    const r = await golive(['report', '--out', '/proc/x/y'], { cwd: dir, ...GUARD });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('[GL_FILE_NOT_WRITABLE] cannot write reports to /proc/x/y');
  });

  it('report --out under a regular file fails naming it, and creates nothing', async () => {
    const r = await golive(['report', '--out', 'notes.txt/reports'], { cwd: dir, ...GUARD });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`cannot write reports to ${join(dir, 'notes.txt/reports')}`);
    expect(r.stderr).toContain('notes.txt is a file, not a folder');
  });

  it('decide --out /proc/x is refused before the decision is recorded', async () => {
    const r = await golive(['decide', '--by', 'lee', '--out', '/proc/x'], { cwd: dir, ...GUARD });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('cannot write reports to /proc/x');
    const history = await golive(['history', '--json'], { cwd: dir });
    expect(JSON.parse(history.stdout)).toEqual([expect.objectContaining({ decision: null })]);
  });

  it('amend threshold refuses a bound whose unit does not fit the metric', async () => {
    const r = await golive(['amend', 'threshold', 'ops.health.latency', '< 5%', '--reason', 'x', '--by', 'lee'], {
      cwd: dir,
      ...GUARD,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      '[GL_ARG_INVALID] threshold ops.health.latency is measured in milliseconds, but "< 5%" is a percentage',
    );
    expect(r.stderr).toContain('hint: write it with ms, s, m or h');
  });

  it('a writable nested --out is created and filled', async () => {
    const r = await golive(['report', '--out', 'a/b/c', '--format', 'md'], { cwd: dir, ...GUARD });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'a/b/c/report.md'))).toBe(true);
  });
});

describe('commands that only read, or fail first, leave nothing behind (P1.10)', () => {
  it('in a project with only golive.yaml, read commands and failing writes create no .golive/ or golive-report/', async () => {
    const dir = tree({ 'golive.yaml': specYaml(server.url) });
    const run = (...args: string[]) => golive(args, { cwd: dir, ...GUARD });

    const history = await run('history');
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain('no runs yet: run golive check');
    const audit = await run('audit', 'verify');
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toContain('is empty: no runs yet: run golive check');
    const head = await run('audit', 'verify', '--head', 'abcdefabcdef');
    expect(head.code, head.stderr).toBe(1);
    expect(head.stdout).toContain('is empty, so it has no entry abcdefabcdef: no runs yet: run golive check');
    for (const args of [
      ['report'],
      ['findings'],
      ['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'go'],
      ['decide', '--by', 'lee'],
    ]) {
      const r = await run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('has no run yet');
      expect(r.stderr).toContain('run golive check first');
    }
    const noBy = await run('decide');
    expect(noBy.code).toBe(2);
    expect(noBy.stderr).toContain('--by is required');
    const accept = await run('accept', 'abcdef', '--reason', 'x', '--by', 'lee');
    expect(accept.code).toBe(2);
    const waive = await run('waive', 'abcdef', '--reason', 'x', '--by', 'lee', '--expires', '2099-12-31');
    expect(waive.code).toBe(2);
    const amend = await run('amend', 'threshold', 'ops.health.latency', '< 1s', '--reason', 'x', '--by', 'lee');
    expect(amend.code).toBe(2);

    expect(readdirSync(dir)).toEqual(['golive.yaml']);
  });
});
