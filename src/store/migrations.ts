import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
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

function isRaceWithAnotherOpen(error: unknown): boolean {
  const message = String((error as Error)?.message ?? error);
  const code = String((error as { code?: unknown })?.code ?? '');
  return /already exists|database is locked/i.test(message) || code.startsWith('SQLITE_BUSY');
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
  // SQLite gives Kysely no migration lock: two golive processes opening a new store at once
  // both see no migration done, and the second fails on a table the first just made (or on
  // its stale snapshot). The first one's migrations commit as one transaction, so running
  // again sees them done; a few tries settle any such race.
  let outcome = await migrator.migrateToLatest();
  for (let attempt = 1; outcome.error && isRaceWithAnotherOpen(outcome.error) && attempt < 5; attempt++) {
    await new Promise((r) => setTimeout(r, 20 * attempt));
    outcome = await migrator.migrateToLatest();
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
