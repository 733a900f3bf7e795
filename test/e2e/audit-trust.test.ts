import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { golive, opsHandler, serve, specYaml, tree, type OpsServerOptions } from '../helpers.js';

// One loopback service for the file; tests that need a broken endpoint flip `ops.health`.
const ops: OpsServerOptions = {};
let url = '';
let close: () => Promise<void> = async () => {};
beforeAll(async () => {
  const s = await serve(opsHandler(ops));
  url = s.url;
  close = s.close;
});
afterAll(() => close());

/** The CLI in-process, with its clock set: how a machine whose clock is wrong runs golive. */
async function at(dir: string, iso: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    cwd: dir,
    isTTY: false,
    now: () => new Date(iso),
    signal: new AbortController().signal,
  };
  const code = await main({ argv, io });
  return { code, out, err };
}

const attest = ['attest', 'AC-2', '--by', 'alex', '--role', 'DevOps', '--evidence', 'runbooks.md'];
const sign = (role: string, decision: 'go' | 'no-go', ...more: string[]) => [
  'signoff',
  '--role',
  role,
  '--by',
  role.toLowerCase(),
  '--decision',
  decision,
  ...more,
];
const project = () => tree({ 'golive.yaml': specYaml(url), 'runbooks.md': '# runbooks\n' });
const sql = (dir: string, text: string) => {
  const db = new Database(join(dir, '.golive', 'golive.db'));
  try {
    db.exec(text);
  } finally {
    db.close();
  }
};

describe('a clock running behind (P1.2): latest means latest in the audit sequence', () => {
  it('a no-go signed with the clock an hour behind still counts: decide writes NO-GO, and the entry is flagged', async () => {
    const dir = project();
    expect((await at(dir, '2026-12-01T10:00:00Z', attest)).code).toBe(0);
    expect((await at(dir, '2026-12-01T10:01:00Z', ['check'])).code).toBe(0);
    expect((await at(dir, '2026-12-01T10:02:00Z', sign('PM', 'go'))).code).toBe(0);
    expect((await at(dir, '2026-12-01T10:03:00Z', sign('DevOps', 'go'))).code).toBe(0);
    // PM changes their mind on a laptop whose clock is an hour behind.
    const late = await at(dir, '2026-12-01T09:04:00Z', sign('PM', 'no-go', '--comment', 'support not staffed'));
    expect(late.code, late.err).toBe(0);

    const d = await at(dir, '2026-12-01T10:05:00Z', ['decide', '--by', 'lee']);
    expect(d.code, d.out + d.err).toBe(1);
    expect(d.out).toMatch(/NO-GO/);
    expect(d.out).toMatch(/PM \(pm\) signed no-go: support not staffed/);
    expect(d.out).toMatch(/clock went back/);

    const v = await at(dir, '2026-12-01T10:06:00Z', ['audit', 'verify']);
    expect(v.code, v.out + v.err).toBe(0);
    expect(v.out).toMatch(
      /entry #\d+ \(signoff [^)]+\) is dated 2026-12-01T09:04:00\.000Z, before #\d+ .*clock went back/,
    );

    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    expect(json.clockNotes).toHaveLength(1);
    expect(json.clockNotes[0]).toMatchObject({ kind: 'signoff', at: '2026-12-01T09:04:00.000Z' });
    expect(readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8')).toMatch(/clock went back/);
    expect(readFileSync(join(dir, 'golive-report', 'report.html'), 'utf8')).toMatch(/clock went back/);
  });

  it('a NOT READY run recorded with the clock a day behind is the latest run: decide does not fall back to an older READY run', async () => {
    const dir = project();
    expect((await at(dir, '2026-12-02T10:00:00Z', attest)).code).toBe(0);
    expect((await at(dir, '2026-12-02T10:01:00Z', ['check'])).code).toBe(0);
    expect((await at(dir, '2026-12-02T10:02:00Z', sign('PM', 'go'))).code).toBe(0);
    expect((await at(dir, '2026-12-02T10:03:00Z', sign('DevOps', 'go'))).code).toBe(0);
    ops.health = 500;
    try {
      const c = await at(dir, '2026-12-01T10:04:00Z', ['check']);
      expect(c.code, c.out + c.err).toBe(1);
    } finally {
      delete ops.health;
    }
    const d = await at(dir, '2026-12-02T10:05:00Z', ['decide', '--by', 'lee']);
    expect(d.code, d.out + d.err).toBe(1);
    expect(d.out).toMatch(/NO-GO/);
    expect(d.out).toMatch(/not ready: /);
    const runs = JSON.parse((await at(dir, '2026-12-02T10:06:00Z', ['history', '--json'])).out);
    expect(runs).toHaveLength(2);
    expect(runs[0].startedAt).toMatch(/^2026-12-01/); // the latest recorded, listed first
    expect(runs[0].decision).toBe('NO-GO');
  });
});

describe('decide and signoff verify the audit chain first (P1.3)', () => {
  async function signedProject(): Promise<string> {
    const dir = project();
    expect((await golive(attest, { cwd: dir })).code).toBe(0);
    expect((await golive(['check'], { cwd: dir })).code).toBe(0);
    expect((await golive(sign('PM', 'no-go'), { cwd: dir })).code).toBe(0);
    expect((await golive(sign('DevOps', 'go'), { cwd: dir })).code).toBe(0);
    return dir;
  }

  it('refuses to decide (exit 1, naming the entry) after a stored no-go was edited to go, and writes no decision', async () => {
    const dir = await signedProject();
    sql(dir, `UPDATE signoffs SET json = replace(json, '"decision":"no-go"', '"decision":"go"')`);
    const d = await golive(['decide', '--by', 'lee'], { cwd: dir });
    expect(d.code, d.stdout + d.stderr).toBe(1);
    expect(d.stdout).not.toMatch(/GO —/);
    expect(d.stderr).toMatch(/GL_AUDIT_BROKEN/);
    expect(d.stderr).toMatch(/entry #\d+ \(signoff [^)]+\): the stored signoff no longer matches/);
    expect(d.stderr).toMatch(/golive audit verify/);

    const s = await golive(sign('PM', 'go'), { cwd: dir });
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/GL_AUDIT_BROKEN.*entry #\d+ \(signoff/);

    const db = new Database(join(dir, '.golive', 'golive.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM decisions').get()).toEqual({ n: 0 });
    db.close();
  });

  it('audit verify (and so decide) catches an edited runs.seq and an edited frozen_thresholds.frozen_at', async () => {
    const seqDir = await signedProject();
    expect((await golive(['audit', 'verify'], { cwd: seqDir })).code).toBe(0);
    sql(seqDir, 'UPDATE runs SET seq = seq + 41');
    const seq = await golive(['audit', 'verify'], { cwd: seqDir });
    expect(seq.code, seq.stdout).toBe(1);
    expect(seq.stdout).toMatch(/BROKEN .*entry #\d+ \(run [^)]+\): .*seq/);
    expect((await golive(['decide', '--by', 'lee'], { cwd: seqDir })).code).toBe(1);

    const frozenDir = await signedProject();
    sql(frozenDir, `UPDATE frozen_thresholds SET frozen_at = '2020-01-01T00:00:00.000Z'`);
    const frozen = await golive(['audit', 'verify'], { cwd: frozenDir });
    expect(frozen.code, frozen.stdout).toBe(1);
    expect(frozen.stdout).toMatch(/BROKEN .*entry #\d+ \(freeze shop@v1\.0\.0\): .*frozen_at/);
    const d = await golive(['decide', '--by', 'lee'], { cwd: frozenDir });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/GL_AUDIT_BROKEN/);
  });
});

describe('golive history keeps the readiness each run had when it was checked (P2.2)', () => {
  it('lists a run checked NOT READY as not ready, with today\u2019s re-evaluation beside it', async () => {
    const dir = project();
    const c = await golive(['check'], { cwd: dir });
    expect(c.code).toBe(1);
    expect((await golive(attest, { cwd: dir })).code).toBe(0);

    const h = await golive(['history'], { cwd: dir });
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/not ready \(now: ready\)/);
    const [run] = JSON.parse((await golive(['history', '--json'], { cwd: dir })).stdout);
    expect(run.ready).toBe(false);
    expect(run.readyNow).toBe(true);
    expect(run.readinessWhenChecked.ready).toBe(false);
    expect(run.readinessWhenChecked.blocking.join('\n')).toMatch(/AC-2/);
    expect(run.blockingNow).toEqual([]);

    // The recorded readiness is covered by the audit chain.
    sql(dir, `UPDATE runs SET readiness = replace(readiness, '"ready":false', '"ready":true')`);
    const v = await golive(['audit', 'verify'], { cwd: dir });
    expect(v.code, v.stdout).toBe(1);
    expect(v.stdout).toMatch(/BROKEN .*\(run /);
  });
});

describe('a clock running ahead: the outlier is named, the honest entries after it are not', () => {
  it('one entry recorded with the clock a day ahead gives one "clock was ahead" note, not one per later entry', async () => {
    const dir = project();
    // The attestation is recorded on a machine whose clock is a day ahead; everything after is honest.
    expect((await at(dir, '2026-12-02T10:00:00Z', attest)).code).toBe(0);
    expect((await at(dir, '2026-12-01T10:01:00Z', ['check'])).code).toBe(0);
    expect((await at(dir, '2026-12-01T10:02:00Z', sign('PM', 'go'))).code).toBe(0);
    expect((await at(dir, '2026-12-01T10:03:00Z', sign('DevOps', 'go'))).code).toBe(0);
    const d = await at(dir, '2026-12-01T10:05:00Z', ['decide', '--by', 'lee']);
    expect(d.code, d.out + d.err).toBe(0);
    expect(d.out).toMatch(/^GO/);
    expect(d.out.match(/^note: /gm)).toHaveLength(1);
    expect(d.out).toMatch(
      /note: entry #1 \(attestation [^)]+\) is dated 2026-12-02T10:00:00\.000Z, after #2 .*clock was ahead/,
    );
    expect(d.out).not.toMatch(/clock went back/);

    const v = await at(dir, '2026-12-01T10:06:00Z', ['audit', 'verify']);
    expect(v.code, v.out + v.err).toBe(0);
    expect(v.out.match(/^note /gm)).toHaveLength(1);
    expect(v.out).toMatch(/clock was ahead/);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    expect(json.clockNotes).toHaveLength(1);
    expect(json.clockNotes[0]).toMatchObject({ seq: 1, kind: 'attestation', direction: 'ahead', before: { seq: 2 } });
  });
});

describe('audit heads (P2.3)', () => {
  it('decide prints the head audit verify checks, and verify accepts a unique prefix of 12+ hex digits', async () => {
    const dir = project();
    expect((await golive(attest, { cwd: dir })).code).toBe(0);
    expect((await golive(['check'], { cwd: dir })).code).toBe(0);
    const d = await golive(['decide', '--by', 'lee'], { cwd: dir });
    expect(d.code).toBe(1);
    const head = /audit head ([0-9a-f]{64})/.exec(d.stdout)?.[1] as string;
    expect(head).toBeDefined();

    const v = await golive(['audit', 'verify'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain(`head ${head}`);

    const short = await golive(['audit', 'verify', '--head', head.slice(0, 12)], { cwd: dir });
    expect(short.code, short.stdout + short.stderr).toBe(0);
    expect(short.stdout).toMatch(/OK/);
    expect(short.stdout).toContain(head);

    const tooShort = await golive(['audit', 'verify', '--head', head.slice(0, 8)], { cwd: dir });
    expect(tooShort.code).toBe(2);
    expect(tooShort.stderr).toMatch(/--head.*at least 12 hex digits/);
    expect(tooShort.stdout).not.toMatch(/MISSING/);

    // An empty value is no "no --head": refused like a short prefix, never a silent OK.
    for (const empty of ['', '   ']) {
      const none = await golive(['audit', 'verify', '--head', empty], { cwd: dir });
      expect(none.code, none.stdout + none.stderr).toBe(2);
      expect(none.stderr).toMatch(/--head .*is empty/);
      expect(none.stdout).not.toMatch(/OK/);
    }
    const equals = await golive(['audit', 'verify', '--head='], { cwd: dir });
    expect(equals.code, equals.stdout + equals.stderr).toBe(2);

    const notHex = await golive(['audit', 'verify', '--head', 'zzzzzzzzzzzzzz'], { cwd: dir });
    expect(notHex.code).toBe(2);
    expect(notHex.stderr).toMatch(/--head/);

    const gone = await golive(['audit', 'verify', '--head', 'f'.repeat(16)], { cwd: dir });
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(/MISSING/);
  });
});
