import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Amendment, Decision } from '../model.js';
import { canonicalJson } from './canonical.js';
import { entryHash, sha256 } from './audit.js';
import { openStore } from './sqlite-store.js';
import { attestation, key, rawSql, signoff, storedRun, tempDbPath, waiver } from './test-helpers.js';
import type { EvidenceStore } from './types.js';

const opened: EvidenceStore[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()?.close();
});

async function open(path = tempDbPath()): Promise<EvidenceStore> {
  const s = await openStore(path);
  opened.push(s);
  return s;
}

const T0 = '2026-11-22T10:00:00.000Z';
const decisionInput = (id: string, runId: string, createdAt: string): Omit<Decision, 'auditHead' | 'recordHash'> => ({
  id,
  runId,
  specHash: 'sha256:aa',
  decision: 'NO-GO',
  by: 'lee@example.com',
  reasons: ['AC-2 Unmet'],
  residualRisks: ['waived fp2'],
  createdAt,
});
const amendment = (id: string, threshold: string, from: string | null, to: string | null): Amendment => ({
  id,
  service: 'shop',
  release: 'v1',
  threshold,
  from,
  to,
  reason: 'agreed with PM',
  by: 'sam@example.com',
  createdAt: '2026-11-22T12:00:00.000Z', // same millisecond: insertion order decides
});

describe('round trips', () => {
  it('gives back a run with its spec, evidence and findings exactly as inserted', async () => {
    const store = await open();
    const run = storedRun('r1', T0);
    await store.insertRun(run, { a: '< 1s' });
    expect(await store.getRun('r1')).toEqual(run);
    expect(JSON.stringify((await store.getRun('r1'))?.specJson)).toBe(JSON.stringify(run.specJson)); // key order kept
    const bare = storedRun('r2', '2026-11-22T10:01:00.000Z');
    delete bare.run.targetVersion;
    bare.evidence = [];
    bare.findings = [];
    await store.insertRun(bare, {});
    expect(await store.getRun('r2')).toEqual(bare);
    expect(await store.getRun('nope')).toBeUndefined();
  });

  it('gives back attestations, waivers, amendments, sign-offs and decisions', async () => {
    const store = await open();
    await store.insertRun(storedRun('r1', T0), { a: '< 1s' });
    await store.insertRun(storedRun('other', T0, 'v2'), {});
    await store.insertAttestation(attestation);
    await store.insertWaiver(waiver);
    const noExpiry = { ...waiver, id: 'w2', subject: 'criterion' as const, subjectId: 'AC-2', expiresAt: undefined };
    await store.insertWaiver(noExpiry);
    await store.insertAmendment(amendment('m1', 'a', '< 1s', '< 2s'));
    const s1 = signoff('s1', 'r1', 'go', '2026-11-22T11:00:00.000Z');
    await store.insertSignoff({ ...s1, comment: 'fine' });
    await store.insertSignoff(signoff('s2', 'other', 'go', '2026-11-22T11:00:00.000Z'));

    expect(await store.listAttestations(key)).toEqual([attestation]);
    expect(await store.listWaivers(key)).toEqual([waiver, noExpiry]);
    expect(await store.listAmendments(key)).toEqual([amendment('m1', 'a', '< 1s', '< 2s')]);
    expect(await store.listSignoffs(key)).toEqual([{ ...s1, comment: 'fine' }]);
    expect(await store.listSignoffs({ service: 'shop', release: 'v2' })).toHaveLength(1);
    expect(await store.listAttestations({ service: 'shop', release: 'v9' })).toEqual([]);

    const { decision: d } = await store.insertDecision(decisionInput('d1', 'r1', '2026-11-22T12:00:00.000Z'));
    expect(await store.latestDecision('r1')).toEqual(d);
    expect(await store.latestDecision('other')).toBeUndefined();
  });

  it('refuses a sign-off for a run it does not have, writing nothing', async () => {
    const store = await open();
    await expect(store.insertSignoff(signoff('s1', 'ghost', 'go', T0))).rejects.toMatchObject({
      code: 'GL_STORE_NO_RUN',
    });
    expect(await store.listAudit()).toEqual([]);
  });
});

describe('decisions', () => {
  it('records the audit head before the decision and a hash of the record', async () => {
    const store = await open();
    await store.insertRun(storedRun('r1', T0), {});
    const before = (await store.listAudit()).at(-1)?.hash;
    const { decision: d, entryHash } = await store.insertDecision(
      decisionInput('d1', 'r1', '2026-11-22T12:00:00.000Z'),
    );
    expect(d.auditHead).toBe(before);
    const { recordHash, ...unsigned } = d;
    expect(recordHash).toBe(sha256(canonicalJson(unsigned)));
    const audit = await store.listAudit();
    expect(audit.at(-1)).toMatchObject({ kind: 'decision', entityId: 'd1', payload: d, prevHash: before });
    expect(entryHash).toBe(audit.at(-1)?.hash);
  });

  it('latestDecision is the last one recorded, whatever its time says', async () => {
    const store = await open();
    await store.insertRun(storedRun('r1', T0), {});
    await store.insertDecision(decisionInput('zz', 'r1', '2026-11-22T12:00:00.000Z'));
    const { decision: second } = await store.insertDecision({
      ...decisionInput('aa', 'r1', '2026-11-22T12:00:00.000Z'),
      decision: 'GO',
    });
    expect(await store.latestDecision('r1')).toEqual(second);
    // Decided on a machine whose clock was an hour behind: still the latest decision.
    await store.insertDecision(decisionInput('behind', 'r1', '2026-11-22T11:00:00.000Z'));
    expect((await store.latestDecision('r1'))?.id).toBe('behind');
  });
});

describe('frozen thresholds', () => {
  it('are undefined before the first run, frozen by it, and not changed by later runs', async () => {
    const store = await open();
    expect(await store.frozenThresholds(key)).toBeUndefined();
    await store.insertRun(storedRun('r1', T0), { a: '< 1s', b: '== 0' });
    await store.insertRun(storedRun('r2', '2026-11-22T10:01:00.000Z'), { a: '< 9s' });
    await store.insertRun(storedRun('r3', T0, 'v2'), { a: '< 5s' });
    expect(await store.frozenThresholds(key)).toEqual({ a: '< 1s', b: '== 0' });
    expect(await store.frozenThresholds({ service: 'shop', release: 'v2' })).toEqual({ a: '< 5s' });
    expect(await store.frozenThresholds({ service: 'other', release: 'v1' })).toBeUndefined();
  });

  it('apply amendments in the order written: change, remove, add, re-add', async () => {
    const store = await open();
    await store.insertRun(storedRun('r1', T0), { a: '< 1s', b: '== 0' });
    await store.insertAmendment(amendment('9', 'a', '< 1s', '< 2s'));
    await store.insertAmendment(amendment('8', 'b', '== 0', null));
    await store.insertAmendment(amendment('7', 'c', null, '> 5'));
    await store.insertAmendment(amendment('6', 'a', '< 2s', '< 3s'));
    expect(await store.frozenThresholds(key)).toEqual({ a: '< 3s', c: '> 5' });
    await store.insertAmendment(amendment('5', 'b', null, '<= 1'));
    expect(await store.frozenThresholds(key)).toEqual({ a: '< 3s', b: '<= 1', c: '> 5' });
  });
});

describe('ordering', () => {
  it('lists runs last recorded first, never by their times; latestRun is the last recorded', async () => {
    const store = await open();
    await store.insertRun(storedRun('r1', '2026-11-22T10:00:00.000Z'), {});
    await store.insertRun(storedRun('r2', '2026-11-22T10:05:00.000Z'), {});
    await store.insertRun(storedRun('r3', '2026-11-22T10:01:00.000Z', 'v2'), {});
    await store.insertRun(storedRun('r4', '2026-11-22T10:05:00.000Z'), {});
    await store.insertRun(storedRun('x1', '2026-11-22T09:00:00.000Z', 'v1', 'other'), {});
    // Checked with the clock a day behind: still the latest run of its release.
    await store.insertRun(storedRun('r5', '2026-11-21T10:06:00.000Z'), {});
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r5', 'x1', 'r4', 'r3', 'r2', 'r1']);
    expect((await store.listRuns({ service: 'shop', release: 'v1' })).map((r) => r.id)).toEqual([
      'r5',
      'r4',
      'r2',
      'r1',
    ]);
    expect((await store.listRuns({ release: 'v2' })).map((r) => r.id)).toEqual(['r3']);
    expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual(['r5', 'x1']);
    expect((await store.latestRun(key))?.run.id).toBe('r5');
    expect((await store.latestRun())?.run.id).toBe('r5');
    expect((await store.latestRun({ service: 'other', release: 'v1' }))?.run.id).toBe('x1');
    expect(await store.latestRun({ service: 'none', release: 'v1' })).toBeUndefined();
  });

  it('lists sign-offs in the order written, never by their times (a clock behind does not move one back)', async () => {
    const store = await open();
    await store.insertRun(storedRun('r1', T0), {});
    await store.insertSignoff(signoff('zz', 'r1', 'no-go', '2026-11-22T11:00:01.000Z'));
    await store.insertSignoff(signoff('yy', 'r1', 'go', '2026-11-22T11:00:01.000Z'));
    await store.insertSignoff(signoff('xx', 'r1', 'go', '2026-11-22T10:00:00.000Z'));
    expect((await store.listSignoffs(key)).map((s) => s.id)).toEqual(['zz', 'yy', 'xx']);
  });
});

describe('audit log', () => {
  it('chains every record and verifies a real sequence', async () => {
    const store = await open();
    await store.insertRun(storedRun('r1', T0), { a: '< 1s' });
    await store.insertAttestation(attestation);
    await store.insertWaiver(waiver);
    await store.insertAmendment(amendment('m1', 'a', '< 1s', '< 2s'));
    await store.insertSignoff(signoff('s1', 'r1', 'no-go', '2026-11-22T11:00:00.000Z'));
    await store.insertSignoff(signoff('s2', 'r1', 'go', '2026-11-22T11:00:01.000Z'));
    await store.insertRun(storedRun('r2', '2026-11-22T11:30:00.000Z'), { a: 'ignored' });
    const { decision: d } = await store.insertDecision(decisionInput('d1', 'r2', '2026-11-22T12:00:00.000Z'));
    const audit = await store.listAudit();
    expect(audit.map((e) => `${e.seq}:${e.kind}:${e.entityId}`)).toEqual([
      '1:run:r1',
      '2:freeze:shop@v1',
      '3:attestation:a1',
      '4:waiver:w1',
      '5:amendment:m1',
      '6:signoff:s1',
      '7:signoff:s2',
      '8:run:r2',
      '9:decision:d1',
    ]);
    expect(audit[0]?.prevHash).toBe('0'.repeat(64));
    expect(audit[2]?.payload).toEqual(attestation);
    expect(d.auditHead).toBe(audit[7]?.hash);
    expect(await store.verifyAudit()).toEqual({ ok: true, entries: 9, head: audit[8]?.hash });
  });
});

describe('audit verify catches tampering done with raw SQL', () => {
  /** r1 (1) freeze (2) attestation a1 (3) signoff s1 (4) signoff s2 (5) waiver w1 (6) decision d1 (7) */
  async function seeded(): Promise<string> {
    const path = tempDbPath();
    const store = await openStore(path);
    await store.insertRun(storedRun('r1', T0), { 'ops.health.latency': '< 200ms' });
    await store.insertAttestation(attestation);
    await store.insertSignoff(signoff('s1', 'r1', 'no-go', '2026-11-22T11:00:00.000Z'));
    await store.insertSignoff(signoff('s2', 'r1', 'no-go', '2026-11-22T11:00:01.000Z'));
    await store.insertWaiver(waiver);
    await store.insertDecision(decisionInput('d1', 'r1', '2026-11-22T12:00:00.000Z'));
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
    return path;
  }
  const verify = async (path: string) => (await open(path)).verifyAudit();

  it('an edited audit payload', async () => {
    const path = await seeded();
    rawSql(path, `UPDATE audit_log SET payload = replace(payload, 'alex@', 'mallory@') WHERE seq = 3`);
    expect((await verify(path)).broken).toEqual({
      seq: 3,
      kind: 'attestation',
      entityId: 'a1',
      reason: expect.stringMatching(/does not match its hash.*edited/),
    });
  });

  it('an audit payload edited into invalid JSON', async () => {
    const path = await seeded();
    rawSql(path, `UPDATE audit_log SET payload = '{oops' WHERE seq = 4`);
    expect((await verify(path)).broken).toMatchObject({ seq: 4, kind: 'signoff', entityId: 's1' });
  });

  it("an edited entity row: a sign-off's decision", async () => {
    const path = await seeded();
    rawSql(path, `UPDATE signoffs SET json = replace(json, '"no-go"', '"go"') WHERE id = 's2'`);
    expect((await verify(path)).broken).toEqual({
      seq: 5,
      kind: 'signoff',
      entityId: 's2',
      reason: expect.stringMatching(/no longer matches what entry #5 recorded \(the row was edited\)/),
    });
  });

  it("an edited index column: a waiver moved to another release, a sign-off's row pointer", async () => {
    const moved = await seeded();
    rawSql(moved, `UPDATE waivers SET release = 'v2' WHERE id = 'w1'`);
    expect((await verify(moved)).broken).toMatchObject({
      seq: 6,
      kind: 'waiver',
      reason: expect.stringMatching(/columns \(release\)/),
    });
    const pointer = await seeded();
    rawSql(pointer, `UPDATE signoffs SET audit_seq = 5 WHERE id = 's1'`);
    expect((await verify(pointer)).broken).toMatchObject({ seq: 4, entityId: 's1' });
  });

  it('an edited run: evidence JSON, a metric value, a finding column, the run row, frozen thresholds', async () => {
    const cases: Array<[string, number]> = [
      [`UPDATE evidence SET json = replace(json, '"pass"', '"fail"') WHERE position = 0`, 1],
      [`UPDATE metrics SET value = 999 WHERE name = 'ops.health.latency'`, 1],
      [`UPDATE findings SET severity = 'info' WHERE fingerprint = 'fp1'`, 1],
      [`UPDATE runs SET target_version = 'v9'`, 1],
      [`UPDATE runs SET spec_json = '{"thresholds":{}}'`, 1],
      [`DELETE FROM findings WHERE fingerprint = 'fp2'`, 1],
      [`UPDATE frozen_thresholds SET json = '{"ops.health.latency":"< 900ms"}'`, 2],
    ];
    for (const [sql, seq] of cases) {
      const path = await seeded();
      rawSql(path, sql);
      const r = await verify(path);
      expect(r.ok, sql).toBe(false);
      expect(r.broken, sql).toMatchObject({ seq, kind: seq === 1 ? 'run' : 'freeze' });
    }
  });

  it('an edited runs.seq (which orders "the latest run") and an edited frozen_thresholds.frozen_at', async () => {
    const seq = await seeded();
    rawSql(seq, 'UPDATE runs SET seq = 7');
    expect((await verify(seq)).broken).toMatchObject({
      seq: 1,
      kind: 'run',
      entityId: 'r1',
      reason: 'the stored run has seq 7, but its audit entry recorded seq 1 (the row was edited)',
    });
    const frozen = await seeded();
    rawSql(frozen, `UPDATE frozen_thresholds SET frozen_at = '2026-11-23T00:00:00.000Z'`);
    expect((await verify(frozen)).broken).toMatchObject({
      seq: 2,
      kind: 'freeze',
      reason: `the stored freeze has frozen_at 2026-11-23T00:00:00.000Z, but its audit entry is dated ${T0} (the row was edited)`,
    });
  });

  it('runs whose entries predate the covered seq: reordering them by runs.seq is caught', async () => {
    const path = tempDbPath();
    const store = await open(path);
    await store.insertRun(storedRun('r1', T0), {});
    await store.insertRun(storedRun('r2', '2026-11-22T10:05:00.000Z'), {});
    await store.close();
    // Rewrite the chain as an older golive wrote it: run payloads without `seq`, hashes and head recomputed.
    const db = new Database(path);
    let prev = '0'.repeat(64);
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<Record<string, string | number>>;
    for (const r of rows) {
      const payload = JSON.parse(String(r.payload)) as Record<string, unknown>;
      if (r.kind === 'run') delete payload.seq;
      const e = { seq: Number(r.seq), at: String(r.at), kind: String(r.kind), entityId: String(r.entity_id), payload };
      const hash = entryHash(prev, e);
      db.prepare('UPDATE audit_log SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
        canonicalJson(payload),
        prev,
        hash,
        e.seq,
      );
      prev = hash;
    }
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'audit_head'`).run(prev);
    db.close();
    expect((await verify(path)).ok).toBe(true);

    rawSql(path, `UPDATE runs SET seq = 9 WHERE id = 'r1'`); // r1 now looks like the latest run
    expect((await verify(path)).broken).toMatchObject({
      seq: 1,
      kind: 'run',
      entityId: 'r1',
      reason:
        'the stored run has seq 9, which puts it after run r2, but the audit log recorded it before that run (the row was edited)',
    });
  });

  it('keeps the readiness a run was checked with, covered by its audit entry', async () => {
    const path = tempDbPath();
    const store = await open(path);
    const readiness = { ready: false, blocking: ['AC-2 Runbooks reviewed: Unverified'] };
    await store.insertRun({ ...storedRun('r1', T0), readiness }, {});
    await store.insertRun(storedRun('r2', T0), {});
    expect((await store.getRun('r1'))?.readiness).toEqual(readiness);
    expect((await store.getRun('r2'))?.readiness).toBeUndefined();
    expect((await store.listAudit())[0]?.payload).toMatchObject({ seq: 1, readiness });
    await store.close();
    for (const sql of [
      `UPDATE runs SET readiness = '{"blocking":[],"ready":true}' WHERE id = 'r1'`,
      `UPDATE runs SET readiness = NULL WHERE id = 'r1'`,
    ]) {
      const copy = tempDbPath();
      mkdirSync(dirname(copy), { recursive: true });
      copyFileSync(path, copy);
      rawSql(copy, sql);
      expect((await verify(copy)).broken, sql).toMatchObject({ seq: 1, kind: 'run', entityId: 'r1' });
    }
  });

  it('a forged audit row inserted in the middle (later entries renumbered)', async () => {
    const path = await seeded();
    rawSql(
      path,
      `UPDATE audit_log SET seq = -seq WHERE seq >= 4;
       UPDATE audit_log SET seq = 1 - seq WHERE seq < 0;
       INSERT INTO audit_log (seq, at, kind, entity_id, payload, prev_hash, hash)
         SELECT 4, at, 'signoff', 'forged', payload, hash, hash FROM audit_log WHERE seq = 3;
       UPDATE meta SET value = '8' WHERE key = 'audit_count';`,
    );
    expect((await verify(path)).broken).toMatchObject({ seq: 4, kind: 'signoff', entityId: 'forged' });
  });

  it('a forged audit row with a correctly computed hash, later entries renumbered, meta updated', async () => {
    const path = await seeded();
    const db = new Database(path);
    const prev = db.prepare('SELECT hash FROM audit_log WHERE seq = 3').get() as { hash: string };
    const body = {
      seq: 4,
      at: '2026-11-22T11:00:00.500Z',
      kind: 'signoff',
      entityId: 'forged',
      payload: { decision: 'go' },
    };
    db.exec('UPDATE audit_log SET seq = -seq WHERE seq >= 4; UPDATE audit_log SET seq = 1 - seq WHERE seq < 0;');
    db.prepare(
      'INSERT INTO audit_log (seq, at, kind, entity_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(4, body.at, body.kind, body.entityId, canonicalJson(body.payload), prev.hash, entryHash(prev.hash, body));
    db.exec(`UPDATE meta SET value = '8' WHERE key = 'audit_count'`);
    db.close();
    expect((await verify(path)).broken).toEqual({
      seq: 4,
      kind: 'signoff',
      entityId: 'forged',
      reason: expect.stringMatching(/was inserted/),
    });
  });

  it('a middle audit row deleted', async () => {
    const path = await seeded();
    rawSql(path, 'DELETE FROM audit_log WHERE seq = 4');
    expect((await verify(path)).broken).toEqual({ seq: 4, reason: expect.stringMatching(/#4 is missing.*s2/) });
  });

  it('the last audit row deleted, with or without its entity row', async () => {
    const last = await seeded();
    rawSql(last, 'DELETE FROM audit_log WHERE seq = 7');
    expect((await verify(last)).broken).toMatchObject({
      seq: 7,
      reason: expect.stringMatching(/removed from the end/),
    });
    const both = await seeded();
    rawSql(both, `DELETE FROM audit_log WHERE seq >= 6; DELETE FROM decisions; DELETE FROM waivers`);
    expect((await verify(both)).broken).toMatchObject({ seq: 6, reason: expect.stringMatching(/ends at #5/) });
  });

  it('an entity row deleted, and a row inserted without an audit entry', async () => {
    const deleted = await seeded();
    rawSql(deleted, `DELETE FROM attestations`);
    expect((await verify(deleted)).broken).toEqual({
      seq: 3,
      kind: 'attestation',
      entityId: 'a1',
      reason: expect.stringMatching(/gone \(the row was removed\)/),
    });
    const forged = await seeded();
    rawSql(
      forged,
      `INSERT INTO signoffs (id, service, release, run_id, json, created_at, audit_seq)
       VALUES ('x', 'shop', 'v1', 'r1', '{}', '2026', 8)`,
    );
    expect((await verify(forged)).broken).toMatchObject({
      kind: 'signoff',
      entityId: 'x',
      reason: expect.stringMatching(/no audit entry/),
    });
  });

  it('reports the first of several problems', async () => {
    const path = await seeded();
    rawSql(
      path,
      `UPDATE signoffs SET json = replace(json, '"no-go"', '"go"');
       DELETE FROM attestations;`,
    );
    expect((await verify(path)).broken).toMatchObject({ seq: 3, entityId: 'a1' });
  });
});
