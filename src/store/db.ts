import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { GoliveError } from '../errors.js';

/**
 * Row types of every table. JSON is kept as TEXT; times are ISO strings.
 * This file and migrations.ts are the only SQLite-specific code of the store:
 * everything else goes through Kysely's query builder, so a PostgreSQL dialect
 * can drive the same queries.
 */
export interface Tables {
  meta: { key: string; value: string };
  runs: {
    id: string;
    service: string;
    release: string;
    spec_hash: string;
    target_version: string | null;
    base_url: string;
    started_at: string;
    ended_at: string;
    status: string;
    spec_json: string;
    /** Insertion order, which is the audit order: "latest run" means highest seq. Covered by the run's audit entry. */
    seq: Generated<number>;
    /** Readiness when checked, canonical JSON `{ ready, blocking }` (migration 0003); null for older runs. */
    readiness: string | null;
  };
  evidence: { run_id: string; position: number; collector: string; status: string; json: string };
  metrics: { run_id: string; collector: string; name: string; value: number; unit: string };
  findings: {
    run_id: string;
    position: number;
    fingerprint: string;
    rule: string;
    severity: string;
    location: string;
    json: string;
  };
  frozen_thresholds: { service: string; release: string; run_id: string; json: string; frozen_at: string };
  attestations: RecordRow & { criterion_id: string };
  waivers: RecordRow & { subject_id: string };
  amendments: RecordRow & { threshold: string };
  signoffs: RecordRow & { run_id: string };
  decisions: { id: string; run_id: string; json: string; created_at: string; audit_seq: number | null };
  audit_log: {
    seq: number;
    at: string;
    kind: string;
    entity_id: string;
    payload: string;
    prev_hash: string;
    hash: string;
  };
}

/** Columns shared by attestations, waivers, amendments and sign-offs. */
interface RecordRow {
  id: string;
  service: string;
  release: string;
  json: string;
  created_at: string;
  /** seq of the audit entry written with the row (migration 0002); orders rows written in the same millisecond. */
  audit_seq: number | null;
}

export type Db = Kysely<Tables>;

const SQLITE_HEADER = 'SQLite format 3\0';
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (or creates) the SQLite store with WAL, foreign keys and a busy
 * timeout, behind Kysely. A file that exists but is not a healthy golive
 * database (wrong header, failed `quick_check`, truncated, another program's
 * SQLite file) is refused with GL_STORE_CORRUPT before anything is written to it:
 * the file is left byte-for-byte as it was and no -wal / -shm file is left behind.
 */
export function openSqlite(path: string): Db {
  if (existsSync(path)) {
    inspect(path);
  } else {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw notWritable(path, e);
    }
  }
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (e) {
    sqlite?.close();
    throw isCorruption(e) ? corrupt(path, reasonOf(e)) : notWritable(path, e);
  }
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/**
 * Read-only look at an existing file. An empty file is a new database; anything
 * else must be an SQLite file that passes `quick_check` and is either empty or
 * already a golive store (has the migration table).
 */
function inspect(path: string): void {
  let header: Buffer;
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    header = Buffer.alloc(SQLITE_HEADER.length);
    const fd = openSync(path, 'r');
    let read: number;
    try {
      read = readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
    if (read === 0) return; // an empty file: SQLite treats it as a new database
    header = header.subarray(0, read);
  } catch (e) {
    throw notWritable(path, e);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) throw corrupt(path, 'not an SQLite database (wrong file header)');

  // A read-only connection to a WAL database creates -wal and -shm files; remove
  // the ones this check created, so a refused file is left exactly as found.
  const sidecars = [`${path}-wal`, `${path}-shm`].filter((f) => !existsSync(f));
  let check: Database.Database | undefined;
  let failure: GoliveError | undefined;
  try {
    check = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const rows = check.pragma('quick_check') as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length) {
      failure = corrupt(path, `integrity check failed: ${problems.slice(0, 3).join('; ')}`);
    } else {
      const tables = (
        check
          .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
          .all() as Array<{
          name: string;
        }>
      ).map((t) => t.name);
      if (tables.length && !tables.includes('golive_migration')) {
        const listed = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
        failure = corrupt(path, `it is an SQLite database of another program (tables: ${listed})`);
      }
    }
  } catch (e) {
    failure = isCorruption(e) ? corrupt(path, reasonOf(e)) : notWritable(path, e);
  } finally {
    check?.close();
  }
  if (failure) {
    for (const f of sidecars) rmSync(f, { force: true });
    throw failure;
  }
}

/** SQLITE_NOTADB / SQLITE_CORRUPT (and their extended codes): the file is not a usable database. */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)/.test(code);
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function corrupt(path: string, reason: string, cause?: unknown): GoliveError {
  return new GoliveError('GL_STORE_CORRUPT', `cannot open the evidence store ${path}: ${reason}`, {
    hint: 'the file is not a golive database or is damaged; restore it from a backup or point store.path at a new file. golive did not modify it.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function notWritable(path: string, e: unknown): GoliveError {
  return new GoliveError('GL_FILE_NOT_WRITABLE', `cannot open the evidence store ${path}: ${reasonOf(e)}`, {
    hint: 'check that store.path names a file in a folder golive can create and write to',
    cause: e,
  });
}
