import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoliveError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import { openStore } from './sqlite-store.js';
import { storedRun, tempDbPath } from './test-helpers.js';

async function openError(path: string): Promise<GoliveError> {
  const err = await openStore(path).then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GoliveError);
  return err as GoliveError;
}

/** Writes a real store with one run, checkpointed into the main file, and closes it. */
async function realDb(path: string): Promise<Buffer> {
  const store = await openStore(path);
  await store.insertRun(storedRun('r1', '2026-11-22T10:00:00.000Z'), { 'ops.health.latency': '< 200ms' });
  await store.close();
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return readFileSync(path);
}

describe('opening the SQLite store', () => {
  it('several opens of a new store at once all succeed (two checks starting together)', async () => {
    const path = tempDbPath();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(path)));
    for (const s of stores) await s.close();
    const again = await openStore(path);
    expect(await again.verifyAudit()).toMatchObject({ ok: true });
    await again.close();
  });

  it('creates the folder and the file, runs every migration, in WAL mode with foreign keys', async () => {
    const path = tempDbPath();
    expect(existsSync(dirname(path))).toBe(false);
    const store = await openStore(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    const tables = (db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[])
      .map((t) => t.name)
      .sort();
    expect(tables).toEqual(
      expect.arrayContaining([
        'amendments',
        'attestations',
        'audit_log',
        'decisions',
        'evidence',
        'findings',
        'frozen_thresholds',
        'meta',
        'metrics',
        'runs',
        'signoffs',
        'waivers',
        'golive_migration',
      ]),
    );
    const applied = (db.prepare('select name from golive_migration order by name').all() as { name: string }[]).map(
      (m) => m.name,
    );
    expect(applied).toEqual([...MIGRATIONS]);
    expect(applied[0]).toBe('0001_init');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // Reopening an up-to-date store is a no-op; the data survives.
    const again = await openStore(path);
    expect(await again.listRuns()).toEqual([]);
    await again.close();
  });

  it('turns on foreign keys: a decision for an unknown run is refused with GL_STORE_NO_RUN', async () => {
    const store = await openStore(tempDbPath());
    await expect(
      store.insertDecision({
        id: 'd',
        runId: 'nope',
        specHash: 'x',
        decision: 'GO',
        by: 'lee',
        reasons: [],
        residualRisks: [],
        createdAt: '2026-11-22T12:00:00.000Z',
      }),
    ).rejects.toMatchObject({ code: 'GL_STORE_NO_RUN' });
    expect(await store.listAudit()).toEqual([]);
    await store.close();
  });

  it('accepts an existing empty file as a new store', async () => {
    const path = tempDbPath();
    const store = await openStore(path);
    await store.close();
    const empty = `${path}.empty`;
    writeFileSync(empty, '');
    const s2 = await openStore(empty);
    expect(await s2.verifyAudit()).toEqual({ ok: true, entries: 0, head: '' });
    await s2.close();
  });
});

describe('a damaged or foreign file is refused with GL_STORE_CORRUPT and left untouched', () => {
  const siblings = (path: string) => readdirSync(dirname(path)).sort();

  it('garbage bytes', async () => {
    const path = tempDbPath();
    await realDb(path);
    writeFileSync(path, Buffer.from('garbage, not a database\n'.repeat(500)));
    const before = readFileSync(path);
    const listed = siblings(path);
    const err = await openError(path);
    expect(err.code).toBe('GL_STORE_CORRUPT');
    expect(err.message).toBe(`cannot open the evidence store ${path}: not an SQLite database (wrong file header)`);
    expect(err.hint).toMatch(/golive did not modify it/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(siblings(path)).toEqual(listed);
  });

  it('a truncated database', async () => {
    const path = tempDbPath();
    const bytes = await realDb(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = readFileSync(path);
    const listed = siblings(path);
    const err = await openError(path);
    expect(err.code).toBe('GL_STORE_CORRUPT');
    expect(err.message).toMatch(/malformed|integrity|not a database/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(siblings(path)).toEqual(listed); // no -wal / -shm left behind
  });

  it('a database with a damaged page', async () => {
    const path = tempDbPath();
    const bytes = Buffer.from(await realDb(path));
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xa5, pageSize * 2, pageSize * 3); // scribble over the third page
    writeFileSync(path, bytes);
    const err = await openError(path);
    expect(err.code).toBe('GL_STORE_CORRUPT');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it("another program's SQLite database", async () => {
    const path = tempDbPath();
    await realDb(path); // creates the folder
    const other = `${dirname(path)}/other.db`;
    const db = new Database(other);
    db.exec('create table customers (id integer primary key, name text)');
    db.close();
    const before = readFileSync(other);
    const err = await openError(other);
    expect(err.code).toBe('GL_STORE_CORRUPT');
    expect(err.message).toMatch(/another program \(tables: customers\)/);
    expect(readFileSync(other).equals(before)).toBe(true);
  });

  it('a folder where the file should be', async () => {
    const path = tempDbPath();
    await realDb(path);
    const err = await openError(dirname(path));
    expect(err.code).toBe('GL_FILE_NOT_WRITABLE');
  });
});
