import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { GoliveError } from '../errors.js';

/**
 * Schema migrations, in code so the package carries them, named `NNNN_what`
 * and run in name order. Written with Kysely's schema builder and standard SQL;
 * the one SQLite-flavoured bit is `runs.seq` (`integer primary key
 * autoincrement`, which a PostgreSQL migration set would write as `serial`).
 * JSON is stored as TEXT, times as ISO strings. Never edit a migration that has
 * shipped; add the next one.
 */
const migrations: Record<string, Migration> = {
  '0001_init': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('runs')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('release', 'text', (c) => c.notNull())
        .addColumn('spec_hash', 'text', (c) => c.notNull())
        .addColumn('target_version', 'text')
        .addColumn('base_url', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('spec_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('runs_release').on('runs').columns(['service', 'release', 'started_at']).execute();
      await db.schema
        .createTable('evidence')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('collector', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('evidence_pk', ['run_id', 'position'])
        .execute();
      await db.schema
        .createTable('metrics')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('collector', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('metrics_run').on('metrics').columns(['run_id', 'name']).execute();
      await db.schema
        .createTable('findings')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('findings_pk', ['run_id', 'position'])
        .execute();
      await db.schema.createIndex('findings_fingerprint').on('findings').column('fingerprint').execute();
      await db.schema
        .createTable('frozen_thresholds')
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('release', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('json', 'text', (c) => c.notNull())
        .addColumn('frozen_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('frozen_pk', ['service', 'release'])
        .execute();
      for (const [table, extra] of [
        ['attestations', 'criterion_id'],
        ['waivers', 'subject_id'],
        ['amendments', 'threshold'],
        ['signoffs', 'run_id'],
      ] as const) {
        await db.schema
          .createTable(table)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('release', 'text', (c) => c.notNull())
          .addColumn(extra, 'text', (c) => c.notNull())
          .addColumn('json', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex(`${table}_release`).on(table).columns(['service', 'release']).execute();
      }
      await db.schema
        .createTable('decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * Each audited record row points at the audit entry written with it: lists
   * order rows written in the same millisecond by it (instead of SQLite's rowid),
   * and `verifyAudit` checks the pointer.
   */
  '0002_record_audit_seq': {
    async up(db: Kysely<unknown>) {
      for (const [table, kind] of [
        ['attestations', 'attestation'],
        ['waivers', 'waiver'],
        ['amendments', 'amendment'],
        ['signoffs', 'signoff'],
        ['decisions', 'decision'],
      ] as const) {
        await db.schema.alterTable(table).addColumn('audit_seq', 'integer').execute();
        // Standard SQL (runs on SQLite and PostgreSQL alike): backfill from the log.
        await sql`update ${sql.table(table)} set audit_seq = (select max(a.seq) from audit_log a where a.kind = ${sql.lit(kind)} and a.entity_id = ${sql.ref(`${table}.id`)})`.execute(
          db,
        );
      }
      await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['kind', 'entity_id']).execute();
    },
  },
  /**
   * The readiness a run had when `golive check` evaluated it (canonical JSON of
   * `{ ready, blocking }`), covered by the run's audit entry: `golive history`
   * shows it beside today's re-evaluation. NULL for runs recorded before.
   */
  '0003_run_readiness': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('runs').addColumn('readiness', 'text').execute();
    },
  },
};

class InCodeProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Names of the migrations this build knows, oldest first. */
export const MIGRATIONS: readonly string[] = Object.keys(migrations).sort();

/** Brings the schema up to date. Run on every open; a no-op when nothing is pending. */
export async function migrate(db: Kysely<unknown>, path: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeProvider(),
    migrationTableName: 'golive_migration',
    migrationLockTableName: 'golive_migration_lock',
  });
  // Most opens find nothing to do: look first, without the lock.
  if (!(await migrator.getMigrations()).some((m) => m.executedAt === undefined)) return;
  // SQLite gives Kysely no migration lock and its migrations are not transactional DDL, so two
  // golive processes opening a new store at once would both run 0001 (and leave a step half
  // done for each other). A lock file beside the store makes one of them migrate; the other
  // then finds nothing pending.
  const release = await migrationLock(path);
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = await migrator.migrateToLatest();
  } finally {
    release();
  }
  const { error, results } = outcome;
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new GoliveError(
      'GL_STORE_CORRUPT',
      `cannot migrate the evidence store ${path}${failed ? ` (${failed})` : ''}: ${(error as Error).message ?? String(error)}`,
      {
        hint: 'the file may come from a newer golive, or be damaged; keep it and point store.path at a new file',
      },
    );
  }
}

const LOCK_WAIT_MS = 30_000;
/** A lock file older than this is left over by a golive that died mid-migration. */
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Takes `<store>.migrating` (created exclusively, holding our pid); waits while another
 * live golive holds it, and takes over one whose holder is gone. Returns the release.
 */
async function migrationLock(path: string): Promise<() => void> {
  if (path === ':memory:') return () => undefined;
  const lock = `${path}.migrating`;
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (lockIsStale(lock)) {
      try {
        unlinkSync(lock);
      } catch {
        // Another waiter took it over first.
      }
      continue;
    }
    if (Date.now() > until) {
      throw new GoliveError(
        'GL_STORE_CONTENDED',
        `another golive has been migrating the evidence store ${path} for over 30 s`,
        {
          hint: `wait for the other golive command to finish; if none is running, remove ${lock}`,
        },
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function lockIsStale(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(lock, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written: not stale yet
    process.kill(pid, 0);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ESRCH: the holder is gone. ENOENT: released while we looked (retry at once).
    return code === 'ESRCH' || code === 'ENOENT';
  }
}
