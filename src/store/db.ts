import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { GoliveError } from '../errors.js';

/** Row types of every table. JSON is kept as TEXT; times are ISO strings. */
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
    seq: Generated<number>;
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
  attestations: {
    id: string;
    service: string;
    release: string;
    criterion_id: string;
    json: string;
    created_at: string;
  };
  waivers: { id: string; service: string; release: string; subject_id: string; json: string; created_at: string };
  amendments: { id: string; service: string; release: string; threshold: string; json: string; created_at: string };
  signoffs: { id: string; service: string; release: string; run_id: string; json: string; created_at: string };
  decisions: { id: string; run_id: string; json: string; created_at: string };
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

export type Db = Kysely<Tables>;

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Opens (or creates) the SQLite store with WAL and foreign keys, behind Kysely.
 * A file that exists but is not a healthy SQLite database is refused before
 * anything is written to it: GL_STORE_CORRUPT, the file left byte-for-byte as it was.
 */
export function openSqlite(path: string): Db {
  if (existsSync(path)) assertHealthy(path);
  else mkdirSync(dirname(path), { recursive: true });
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (e) {
    throw corrupt(path, (e as Error).message);
  }
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function assertHealthy(path: string): void {
  const header = Buffer.alloc(16);
  let read = 0;
  const fd = openSync(path, 'r');
  try {
    read = readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return; // an empty file is a new database
  if (header.toString('latin1') !== SQLITE_HEADER) throw corrupt(path, 'not an SQLite database');
  let check: Database.Database | undefined;
  try {
    check = new Database(path, { readonly: true, fileMustExist: true });
    const rows = check.pragma('quick_check') as Array<{ quick_check: string }>;
    const first = rows[0]?.quick_check;
    if (first !== 'ok') throw new Error(first ?? 'integrity check failed');
  } catch (e) {
    throw corrupt(path, (e as Error).message);
  } finally {
    check?.close();
  }
}

function corrupt(path: string, reason: string): GoliveError {
  return new GoliveError('GL_STORE_CORRUPT', `cannot open the evidence store ${path}: ${reason}`, {
    hint: 'the file is not a golive database or is damaged; restore it from a backup or point store.path at a new file. golive did not modify it.',
  });
}
