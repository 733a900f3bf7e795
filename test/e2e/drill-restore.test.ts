import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary } from '../servers/binary.js';
import { alive, golive, specYaml, tree } from '../helpers.js';
import { fakeSecrets } from '../secret-corpus.js';

// The real PostgreSQL on loopback (user postgres, trust auth), with the real pg_dump / pg_restore.
const PG = process.env.GOLIVE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
const pgDump = findBinary('pg_dump');
const pgRestore = findBinary('pg_restore');

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: `${PG}/postgres`, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.end();
    return true;
  } catch (e) {
    if (process.env.CI === 'true') throw e;
    return false;
  }
}
const canRun = pgDump !== undefined && pgRestore !== undefined && (await reachable());

const created: string[] = [];
async function admin<T>(fn: (c: pg.Client) => Promise<T>, db = 'postgres'): Promise<T> {
  const c = new pg.Client({ connectionString: `${PG}/${db}` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
/** A scratch database with a unique name, dropped after the tests. */
async function scratch(prefix: string): Promise<string> {
  const name = `golive_${prefix}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  created.push(name);
  return name;
}

let source = '';
beforeAll(async () => {
  if (!canRun) return;
  source = await scratch('src');
  await admin(async (c) => {
    await c.query(`create table customers (id int primary key, email text not null)`);
    await c.query(
      `create table orders (id int primary key, customer_id int references customers, total numeric(10,2), note text)`,
    );
    await c.query(`insert into customers values (1, 'a@example.com'), (2, 'b@example.com')`);
    await c.query(`insert into orders values (1, 1, 19.90, null), (2, 1, 5.00, 'gift'), (3, 2, 120.50, 'x,y')`);
  }, source);
});
afterAll(async () => {
  for (const db of created)
    await admin((c) => c.query(`drop database if exists ${db} with (force)`)).catch(() => undefined);
});

const restoreSpec = (body: string) => specYaml('http://127.0.0.1:9', `drills:\n  restore:\n${body}`);
const readEvidence = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'golive-report', 'drill.restore', 'evidence.json'), 'utf8'));
const metric = (ev: { metrics: Array<{ name: string; value: number }> }, name: string) =>
  ev.metrics.find((m) => m.name === name)?.value;
const check = (ev: { checks: Array<{ id: string; status: string; summary: string }> }, id: string) =>
  ev.checks.find((c) => c.id === id);

describe.skipIf(!canRun)('golive drill restore (real PostgreSQL)', () => {
  it('backs up with pg_dump, restores with pg_restore into a scratch database, tables match; RTO and RPO measured', async () => {
    const target = await scratch('rst');
    const spec = restoreSpec(`    backup: pg_dump -h 127.0.0.1 -U postgres -Fc -f backups/shop.dump ${source}
    restore: pg_restore -h 127.0.0.1 -U postgres -d ${target} backups/shop.dump
    tables: [orders, public.customers]
    source: ${PG}/${source}
    restored: postgres://postgres:\${PGSECRET}@127.0.0.1:5432/${target}
    backups: "backups/*.dump"
    env: { PGPASSWORD: "\${PGSECRET}" }
    verify: echo "password $PGPASSWORD" && test "$(psql -h 127.0.0.1 -U postgres -d ${target} -tAc 'select count(*) from orders')" = 3
    timeout: 60s
`);
    const d = tree({ 'golive.yaml': spec, 'backups/nightly.dump': 'older backup', 'backups/notes.txt': 'not a dump' });
    // The schedule's newest backup is 30 minutes old when the drill starts: that is the RPO, not the drill's own dump.
    const thirtyMinutesAgo = new Date(Date.now() - 30 * 60_000);
    utimesSync(join(d, 'backups', 'nightly.dump'), thirtyMinutesAgo, thirtyMinutesAgo);
    const r = await golive(['drill', 'restore'], {
      cwd: d,
      env: { PGSECRET: 's3cr3t-pw-4711' }, // golive:allow (test value)
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/restore verified \(2 tables match\); RTO .*, RPO/);
    const ev = readEvidence(d);
    expect(ev.status).toBe('pass');
    for (const id of ['backup', 'restore', 'tables', 'verify'])
      expect(check(ev, `drill.restore.${id}`)?.status).toBe('pass');
    expect(metric(ev, 'drill.restore.rto')).toBeGreaterThan(0);
    expect(metric(ev, 'drill.restore.rpo')).toBeGreaterThanOrEqual(30 * 60_000);
    expect(metric(ev, 'drill.restore.rpo')).toBeLessThan(40 * 60_000);
    expect(metric(ev, 'drill.restore.mismatches')).toBe(0);
    expect(metric(ev, 'drill.restore.tables')).toBe(2);
    expect(ev.data.rpo.newest).toMatch(/backups\/nightly\.dump$/);
    expect(ev.data.rpo.files).toBe(1);
    expect(ev.data.rpo.measuredAfterBackup).toBe(false);
    expect(ev.data.tables.map((t: { sourceRows: number }) => t.sourceRows)).toEqual([3, 2]);
    // The password came from the environment: redacted in the evidence and in the verify command's output.
    expect(JSON.stringify(ev)).not.toContain('s3cr3t-pw-4711');
    const verifyLog = readFileSync(join(d, 'golive-report', 'drill.restore', 'restore-verify.log'), 'utf8');
    expect(verifyLog).toMatch(/password \S+/);
    expect(verifyLog).not.toContain('s3cr3t-pw-4711');
    expect(statSync(join(d, 'backups', 'shop.dump')).size).toBeGreaterThan(0);
  });

  it('keeps literal secrets in the commands (URL password, password=, AWS key, GitHub token) out of stdout, evidence and logs', async () => {
    const target = await scratch('lit');
    const aws = fakeSecrets.awsKeyId('drill-restore');
    const gh = fakeSecrets.githubToken('drill-restore');
    const url = (db: string) => `postgres://postgres:UrlPw9xQ7zz@127.0.0.1:5432/${db}`;
    const d = tree({
      'golive.yaml': restoreSpec(`    backup: pg_dump -Fc -f shop.dump ${url(source)}
    restore: PGPASSWORD=Sh3llPw8vK2q pg_restore -d ${url(target)} shop.dump && echo "restored into ${url(target)} password=Sh3llPw8vK2q"
    verify: AWS_ACCESS_KEY_ID=${aws} GITHUB_TOKEN=${gh} sh -c 'echo "key $AWS_ACCESS_KEY_ID token $GITHUB_TOKEN"' && exit 3
    timeout: 60s
`),
    });
    const r = await golive(['drill', 'restore'], { cwd: d });
    // The verify command fails on purpose, so its line is also in the failure summary.
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const written = listFiles(join(d, 'golive-report')).map((f) => readFileSync(f, 'utf8'));
    expect(written.length).toBeGreaterThanOrEqual(4);
    for (const text of [r.stdout, r.stderr, ...written]) {
      for (const leak of ['UrlPw9xQ7zz', 'Sh3llPw8vK2q', aws, gh]) expect(text).not.toContain(leak);
    }
    const ev = readEvidence(d);
    expect(check(ev, 'drill.restore.restore')?.summary).toMatch(
      /PGPASSWORD=\*\*\* pg_restore -d postgres:\/\/postgres:\*\*\*@127/,
    );
    expect(readFileSync(join(d, 'golive-report', 'drill.restore', 'restore-restore.log'), 'utf8')).toMatch(
      /restored into postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/\w+ password=\*\*\*/,
    );
  });

  it('fails when the restored data differs from the source (a tampered restore), naming the table', async () => {
    const target = await scratch('tmp');
    const dump = join(tree(), 'shop.dump');
    const d = tree({
      'golive.yaml': restoreSpec(`    backup: pg_dump -h 127.0.0.1 -U postgres -Fc -f ${dump} ${source}
    restore: pg_restore -h 127.0.0.1 -U postgres -d ${target} ${dump} && psql -h 127.0.0.1 -U postgres -d ${target} -c "update orders set total = total + 1 where id = 2; delete from customers where id = 2 and false"
    tables: [customers, orders]
    source: ${PG}/${source}
    restored: ${PG}/${target}
`),
    });
    const r = await golive(['drill', 'restore'], { cwd: d });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = readEvidence(d);
    expect(ev.status).toBe('fail');
    expect(metric(ev, 'drill.restore.mismatches')).toBe(1);
    expect(check(ev, 'drill.restore.tables')?.summary).toMatch(
      /1 of 2 tables differ: orders: 3 rows on both sides but the data differs/,
    );
    expect(r.stdout).toMatch(/restore drill failed/);
  });

  it('fails on a row-count difference and a table missing from the restore', async () => {
    const target = await scratch('cnt');
    await admin(async (c) => {
      await c.query(`create table customers (id int primary key, email text not null)`);
      await c.query(`insert into customers values (1, 'a@example.com')`);
    }, target);
    const d = tree({
      'golive.yaml': restoreSpec(`    restore: "true"
    tables: [customers, orders]
    source: ${PG}/${source}
    restored: ${PG}/${target}
`),
    });
    const r = await golive(['drill', 'restore'], { cwd: d });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = readEvidence(d);
    expect(metric(ev, 'drill.restore.mismatches')).toBe(2);
    expect(check(ev, 'drill.restore.tables')?.summary).toMatch(/customers: 1 rows restored, 2 in the source/);
    expect(check(ev, 'drill.restore.tables')?.summary).toMatch(
      /orders: cannot read the restore: relation "orders" does not exist/,
    );
  });
});

describe('golive drill restore (no database needed)', () => {
  it('kills a hanging restore with its process group at its timeout; verify is not run', async () => {
    const d = tree({
      'golive.yaml': restoreSpec(`    restore: "sh -c 'sleep 300 & echo $! > child.pid; wait'"
    verify: "true"
    timeout: 1s
`),
    });
    const r = await golive(['drill', 'restore'], { cwd: d });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const ev = readEvidence(d);
    expect(check(ev, 'drill.restore.restore')?.summary).toMatch(/killed after its 1 s timeout/);
    expect(check(ev, 'drill.restore.verify')?.status).toBe('skipped');
    expect(metric(ev, 'drill.restore.rto')).toBeUndefined();
    const pid = Number(readFileSync(join(d, 'child.pid'), 'utf8').trim());
    expect(alive(pid)).toBe(false);
    expect(readFileSync(join(d, 'golive-report', 'drill.restore', 'restore-restore.log'), 'utf8')).toMatch(/^\$ sh -c/);
  });

  it('could not complete (exit 3) when the database to compare cannot be reached', async () => {
    const d = tree({
      'golive.yaml': restoreSpec(`    restore: "true"
    tables: [orders]
    source: postgres://postgres@127.0.0.1:1/none
    restored: postgres://postgres@127.0.0.1:1/none
`),
    });
    const r = await golive(['drill', 'restore'], { cwd: d });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(/cannot connect to compare tables/);
  });

  it('refuses tables without connection strings (exit 2, with the place)', async () => {
    const d = tree({ 'golive.yaml': restoreSpec(`    restore: "true"\n    tables: [orders]\n`) });
    const r = await golive(['drill', 'restore'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/golive\.yaml:\d+:\d+.*`tables` needs both `source` and `restored`/);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}
