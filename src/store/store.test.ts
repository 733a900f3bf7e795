import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GoliveError } from '../errors.js';
import type { Attestation, Evidence, Signoff } from '../model.js';
import { GENESIS, entryHash, verifyChain } from './audit.js';
import { openStore } from './sqlite-store.js';
import type { AuditEntry, EvidenceStore, StoredRun } from './types.js';

const opened: EvidenceStore[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()?.close();
});

function dbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'golive-store-')), '.golive', 'golive.db');
}

async function open(path: string): Promise<EvidenceStore> {
  const s = await openStore(path);
  opened.push(s);
  return s;
}

const evidence: Evidence = {
  collector: 'ops',
  status: 'pass',
  summary: 'ok',
  startedAt: '2026-11-22T10:00:00.000Z',
  endedAt: '2026-11-22T10:00:01.000Z',
  metrics: [{ name: 'ops.health.latency', value: 3.2, unit: 'ms' }],
  checks: [{ id: 'ops.health', status: 'pass', summary: 'GET /health → 200' }],
  findings: [],
  artifacts: [],
  data: { version: 'v1' },
};

function run(id: string, startedAt: string, release = 'v1'): StoredRun {
  return {
    run: {
      id,
      service: 'shop',
      release,
      specHash: 'sha256:aa',
      targetVersion: 'v1',
      baseUrl: 'http://127.0.0.1:1',
      startedAt,
      endedAt: startedAt,
      status: 'complete',
    },
    specJson: { service: 'shop', thresholds: { 'ops.health.latency': '< 200ms' } },
    evidence: [evidence],
    findings: [{ rule: 'r', severity: 'high', title: 't', location: '/x', fingerprint: 'fp' }],
  };
}
const key = { service: 'shop', release: 'v1' };
const signoff = (id: string, runId: string, decision: 'go' | 'no-go'): Signoff => ({
  id,
  runId,
  specHash: 'sha256:aa',
  role: 'PM',
  by: 'pat',
  decision,
  createdAt: `2026-11-22T11:00:0${id.length}.000Z`,
});
const attestation: Attestation = {
  id: 'a1',
  service: 'shop',
  release: 'v1',
  criterionId: 'AC-1',
  by: 'alex',
  role: 'DevOps',
  evidence: 'https://x',
  createdAt: '2026-11-22T10:30:00.000Z',
};

describe('evidence store', () => {
  it('round-trips runs, evidence and findings, newest first', async () => {
    const store = await open(dbPath());
    await store.insertRun(run('r1', '2026-11-22T10:00:00.000Z'), { 'ops.health.latency': '< 200ms' });
    await store.insertRun(run('r2', '2026-11-22T10:05:00.000Z'), { 'ops.health.latency': '< 200ms' });
    await store.insertRun(run('r3', '2026-11-22T10:01:00.000Z', 'v2'), {});
    expect(await store.getRun('r1')).toEqual(run('r1', '2026-11-22T10:00:00.000Z'));
    expect((await store.latestRun(key))?.run.id).toBe('r2');
    expect((await store.latestRun())?.run.id).toBe('r2');
    expect((await store.listRuns({ service: 'shop' })).map((r) => r.id)).toEqual(['r2', 'r3', 'r1']);
    expect((await store.listRuns({ release: 'v2' })).map((r) => r.id)).toEqual(['r3']);
    expect(await store.getRun('nope')).toBeUndefined();
  });

  it('freezes thresholds at the first run of a release and applies amendments in order', async () => {
    const store = await open(dbPath());
    expect(await store.frozenThresholds(key)).toBeUndefined();
    await store.insertRun(run('r1', '2026-11-22T10:00:00.000Z'), { a: '< 1s', b: '== 0' });
    await store.insertRun(run('r2', '2026-11-22T10:01:00.000Z'), { a: '< 9s' });
    expect(await store.frozenThresholds(key)).toEqual({ a: '< 1s', b: '== 0' });
    const amend = (id: string, threshold: string, from: string | null, to: string | null) =>
      store.insertAmendment({
        id,
        service: 'shop',
        release: 'v1',
        threshold,
        from,
        to,
        reason: 'why',
        by: 'sam',
        createdAt: `2026-11-22T12:00:0${id}.000Z`,
      });
    await amend('1', 'a', '< 1s', '< 2s');
    await amend('2', 'b', '== 0', null);
    await amend('3', 'c', null, '> 5');
    expect(await store.frozenThresholds(key)).toEqual({ a: '< 2s', c: '> 5' });
  });

  it('keeps attestations, waivers, sign-offs and decisions, and chains them in the audit log', async () => {
    const store = await open(dbPath());
    await store.insertRun(run('r1', '2026-11-22T10:00:00.000Z'), {});
    await store.insertAttestation(attestation);
    await store.insertWaiver({
      id: 'w1',
      service: 'shop',
      release: 'v1',
      subject: 'finding',
      subjectId: 'fp',
      reason: 'r',
      by: 'lee',
      expiresAt: '2026-12-31T00:00:00.000Z',
      createdAt: '2026-11-22T10:40:00.000Z',
    });
    await store.insertSignoff(signoff('s1', 'r1', 'no-go'));
    await store.insertSignoff(signoff('s22', 'r1', 'go'));
    const d = await store.insertDecision({
      id: 'd1',
      runId: 'r1',
      specHash: 'sha256:aa',
      decision: 'GO',
      by: 'lee',
      reasons: [],
      residualRisks: [],
      createdAt: '2026-11-22T12:00:00.000Z',
    });
    expect(await store.listAttestations(key)).toEqual([attestation]);
    expect((await store.listWaivers(key))[0]?.subjectId).toBe('fp');
    expect((await store.listSignoffs(key)).map((s) => s.decision)).toEqual(['no-go', 'go']);
    expect(await store.latestDecision('r1')).toEqual(d);
    const audit = await store.listAudit();
    expect(audit.map((e) => e.kind)).toEqual([
      'run',
      'freeze',
      'attestation',
      'waiver',
      'signoff',
      'signoff',
      'decision',
    ]);
    expect(d.auditHead).toBe(audit[5]?.hash);
    expect(d.recordHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.verifyAudit()).toEqual({ ok: true, entries: 7, head: audit[6]?.hash });
  });
});

describe('audit verify catches tampering', () => {
  async function seeded(): Promise<string> {
    const path = dbPath();
    const store = await open(path);
    await store.insertRun(run('r1', '2026-11-22T10:00:00.000Z'), {});
    await store.insertAttestation(attestation);
    await store.insertSignoff(signoff('s1', 'r1', 'no-go'));
    await store.insertSignoff(signoff('s22', 'r1', 'no-go'));
    await store.close();
    opened.pop();
    return path;
  }
  async function verify(path: string) {
    return (await open(path)).verifyAudit();
  }
  const raw = (path: string, sql: string): void => {
    const db = new Database(path);
    db.exec(sql);
    db.close();
  };

  it('an edited audit payload', async () => {
    const path = await seeded();
    raw(path, `UPDATE audit_log SET payload = replace(payload, 'alex', 'mallory') WHERE seq = 3`);
    expect((await verify(path)).broken).toMatchObject({
      seq: 3,
      kind: 'attestation',
      reason: expect.stringMatching(/edited/),
    });
  });

  it('an edited entity row', async () => {
    const path = await seeded();
    raw(path, `UPDATE signoffs SET json = replace(json, '"no-go"', '"go"') WHERE id = 's22'`);
    expect((await verify(path)).broken).toMatchObject({
      seq: 5,
      kind: 'signoff',
      entityId: 's22',
      reason: expect.stringMatching(/row was edited/),
    });
  });

  it('an edited run (evidence changed under it)', async () => {
    const path = await seeded();
    raw(path, `UPDATE evidence SET json = replace(json, '"pass"', '"fail"')`);
    expect((await verify(path)).broken).toMatchObject({ seq: 1, kind: 'run' });
  });

  it('an entry removed from the middle, and rows removed from the end', async () => {
    const middle = await seeded();
    raw(middle, 'DELETE FROM audit_log WHERE seq = 2');
    expect((await verify(middle)).broken).toMatchObject({ seq: 2, reason: expect.stringMatching(/missing/) });
    const tail = await seeded();
    raw(tail, "DELETE FROM audit_log WHERE seq = 5; DELETE FROM signoffs WHERE id = 's22'");
    expect((await verify(tail)).broken).toMatchObject({
      seq: 5,
      reason: expect.stringMatching(/removed from the end/),
    });
  });

  it('an entity row deleted, and a forged row inserted', async () => {
    const deleted = await seeded();
    raw(deleted, `DELETE FROM attestations`);
    expect((await verify(deleted)).broken).toMatchObject({ seq: 3, reason: expect.stringMatching(/gone/) });
    const forged = await seeded();
    raw(
      forged,
      `INSERT INTO signoffs (id, service, release, run_id, json, created_at) VALUES ('x', 'shop', 'v1', 'r1', '{}', '2026')`,
    );
    expect((await verify(forged)).broken).toMatchObject({ reason: expect.stringMatching(/no audit entry/) });
  });

  it('a lookup column edited to hide a record from the gate', async () => {
    const path = await seeded();
    raw(path, `UPDATE signoffs SET release = 'hidden' WHERE id = 's22'`);
    expect((await verify(path)).broken).toMatchObject({ seq: 5, kind: 'signoff', entityId: 's22' });
  });

  it('a forged entry inserted into the chain', async () => {
    const path = await seeded();
    raw(
      path,
      'UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3; UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100;',
    );
    raw(
      path,
      `INSERT INTO audit_log (seq, at, kind, entity_id, payload, prev_hash, hash) SELECT 3, at, 'signoff', 'forged', payload, hash, hash FROM audit_log WHERE seq = 2`,
    );
    const r = await verify(path);
    expect(r.broken).toMatchObject({ seq: 3, entityId: 'forged' });
  });
});

describe('verifyChain (pure)', () => {
  const chain = (n: number): AuditEntry[] => {
    const out: AuditEntry[] = [];
    let prev = GENESIS;
    for (let seq = 1; seq <= n; seq++) {
      const e = { seq, at: 't', kind: 'k', entityId: `e${seq}`, payload: { n: seq } };
      const hash = entryHash(prev, e);
      out.push({ ...e, prevHash: prev, hash });
      prev = hash;
    }
    return out;
  };
  it('accepts an intact chain and names the first broken entry otherwise', () => {
    const c = chain(4);
    expect(verifyChain(c)).toEqual({ ok: true, entries: 4, head: c[3]?.hash });
    const inserted = [
      c[0],
      c[1],
      { ...(c[2] as AuditEntry), seq: 3 },
      { ...(c[2] as AuditEntry), seq: 4 },
    ] as AuditEntry[];
    expect(verifyChain(inserted).broken?.seq).toBe(4);
    const edited = c.map((e) => (e.seq === 2 ? { ...e, payload: { n: 99 } } : e));
    expect(verifyChain(edited).broken).toMatchObject({ seq: 2, reason: expect.stringMatching(/edited/) });
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, head: '' });
  });
});

describe('opening a damaged store', () => {
  it('refuses a non-database file and leaves it unchanged', async () => {
    const path = dbPath();
    await open(path);
    writeFileSync(path, 'garbage'.repeat(1000));
    const before = readFileSync(path);
    await expect(openStore(path)).rejects.toMatchObject({ code: 'GL_STORE_CORRUPT' });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a truncated database', async () => {
    const path = dbPath();
    const store = await open(path);
    await store.insertRun(run('r1', '2026-11-22T10:00:00.000Z'), {});
    await store.close();
    opened.pop();
    const db = new Database(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await openStore(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GoliveError);
    expect((err as GoliveError).code).toBe('GL_STORE_CORRUPT');
  });
});
