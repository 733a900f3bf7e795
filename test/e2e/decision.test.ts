import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, specYaml, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A project whose latest run is ready: ops pass and AC-2 is attested. */
async function readyProject(): Promise<{ dir: string; url: string }> {
  const s = await serve(opsHandler());
  cleanups.push(s.close);
  const dir = tree({ 'golive.yaml': specYaml(s.url), 'runbooks.md': '# runbooks\n' });
  expect(
    (await golive(['attest', 'AC-2', '--by', 'alex', '--role', 'DevOps', '--evidence', 'runbooks.md'], { cwd: dir }))
      .code,
  ).toBe(0);
  const r = await golive(['check'], { cwd: dir });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return { dir, url: s.url };
}

describe('sign-offs and the decision', () => {
  it('refuses an unknown role and a go on a run that is not ready', async () => {
    const s = await serve(opsHandler());
    cleanups.push(s.close);
    const dir = tree({ 'golive.yaml': specYaml(s.url) });
    expect((await golive(['check'], { cwd: dir })).code).toBe(1);

    const unknown = await golive(['signoff', '--role', 'CEO', '--by', 'x', '--decision', 'go'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/CEO/);
    expect(unknown.stderr).toMatch(/PM, DevOps/);

    const notReady = await golive(['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'go'], { cwd: dir });
    expect(notReady.code).toBe(2);
    expect(notReady.stderr).toMatch(/AC-2/);

    const noGo = await golive(
      ['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'no-go', '--comment', 'runbooks missing'],
      { cwd: dir },
    );
    expect(noGo.code).toBe(0);

    const badFlag = await golive(['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'maybe'], { cwd: dir });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--decision must be one of go, no-go/);
  });

  it('decides NO-GO with every reason while sign-offs are missing, and GO once all required roles signed go', async () => {
    const { dir } = await readyProject();
    const early = await golive(['decide', '--by', 'lee'], { cwd: dir });
    expect(early.code).toBe(1);
    expect(early.stdout).toMatch(/NO-GO/);
    expect(early.stdout).toMatch(/PM/);
    expect(early.stdout).toMatch(/DevOps/);

    expect((await golive(['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'go'], { cwd: dir })).code).toBe(0);
    const one = await golive(['decide', '--by', 'lee'], { cwd: dir });
    expect(one.code).toBe(1);
    expect(one.stdout).not.toMatch(/PM/);
    expect(one.stdout).toMatch(/DevOps/);

    expect((await golive(['signoff', '--role', 'DevOps', '--by', 'alex', '--decision', 'go'], { cwd: dir })).code).toBe(
      0,
    );
    const go = await golive(['decide', '--by', 'lee'], { cwd: dir });
    expect(go.code, go.stdout + go.stderr).toBe(0);
    expect(go.stdout).toMatch(/^.*GO — shop v1\.0\.0/m);
    const head = /audit head ([0-9a-f]{64})/.exec(go.stdout)?.[1];
    expect(head).toBeDefined();

    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md).toMatch(/GO/);
    const verify = await golive(['audit', 'verify', '--head', head as string], { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/OK \d+ audit entries verified/);
  });

  it('makes earlier sign-offs stale when the spec changes, and freezes thresholds once there is evidence', async () => {
    const { dir } = await readyProject();
    expect((await golive(['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'go'], { cwd: dir })).code).toBe(0);
    expect((await golive(['signoff', '--role', 'DevOps', '--by', 'alex', '--decision', 'go'], { cwd: dir })).code).toBe(
      0,
    );

    const spec = readFileSync(join(dir, 'golive.yaml'), 'utf8');
    writeFileSync(join(dir, 'golive.yaml'), spec.replace('ops.health.latency: "< 2s"', 'ops.health.latency: "< 5s"'));
    const frozen = await golive(['check'], { cwd: dir });
    expect(frozen.code).toBe(2);
    expect(frozen.stderr).toMatch(/GL_THRESHOLD_FROZEN/);
    expect(frozen.stderr).toMatch(/ops\.health\.latency changed from "< 2s" to "< 5s"/);
    expect(frozen.stderr).toMatch(/golive amend threshold ops\.health\.latency "< 5s" --reason TEXT --by NAME/);

    const amend = await golive(
      ['amend', 'threshold', 'ops.health.latency', '< 5s', '--reason', 'staging is slower', '--by', 'sam'],
      { cwd: dir },
    );
    expect(amend.code, amend.stderr).toBe(0);
    const again = await golive(['check'], { cwd: dir });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/amended .*staging is slower/);
    expect(readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8')).toMatch(/staging is slower/);

    const stale = await golive(['decide', '--by', 'lee'], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/earlier run or spec/);
  });

  it('audit verify exits 1 naming the first broken entry when a stored row is edited or removed', async () => {
    const { dir } = await readyProject();
    expect((await golive(['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'no-go'], { cwd: dir })).code).toBe(
      0,
    );
    expect((await golive(['audit', 'verify'], { cwd: dir })).code).toBe(0);

    const db = new Database(join(dir, '.golive', 'golive.db'));
    db.prepare(`UPDATE signoffs SET json = replace(json, '"decision":"no-go"', '"decision":"go"')`).run();
    db.close();
    const edited = await golive(['audit', 'verify'], { cwd: dir });
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/BROKEN .*entry #\d+ \(signoff/);

    const db2 = new Database(join(dir, '.golive', 'golive.db'));
    db2.prepare(`UPDATE signoffs SET json = replace(json, '"decision":"go"', '"decision":"no-go"')`).run();
    db2.prepare('DELETE FROM audit_log WHERE seq = 1').run();
    db2.close();
    const removed = await golive(['audit', 'verify'], { cwd: dir });
    expect(removed.code).toBe(1);
    expect(removed.stdout).toMatch(/BROKEN .*entry #1/);
  });

  it('exits 2 on a corrupted database and leaves the file as it was', async () => {
    const { dir } = await readyProject();
    const path = join(dir, '.golive', 'golive.db');
    writeFileSync(path, Buffer.from('this is not a database at all'.repeat(200)));
    const before = readFileSync(path);
    const r = await golive(['history'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GL_STORE_CORRUPT/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('lists runs with golive history', async () => {
    const { dir } = await readyProject();
    const r = await golive(['history'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/RUN\s+STARTED/);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stdout).toMatch(/ready/);
    const json = JSON.parse((await golive(['history', '--json'], { cwd: dir })).stdout);
    expect(json[0].targetVersion).toBe('v1.0.0');
  });
});
