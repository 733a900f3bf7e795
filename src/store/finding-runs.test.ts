import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, Waiver } from '../model.js';
import { openStore } from './sqlite-store.js';
import { evidence, key, rawSql, storedRun, tempDbPath, waiver } from './test-helpers.js';
import type { EvidenceStore, StoredRun } from './types.js';

const opened: EvidenceStore[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()?.close();
});

const secret: Finding = {
  rule: 'secret.aws',
  severity: 'high',
  title: 'AWS key',
  location: 'src/a.ts:3',
  fingerprint: 'fp1',
};

/** A run whose `scan` evidence carries `found`, beside an `ops` collector that does not look for findings. */
function runWith(id: string, startedAt: string, found: Finding[], release = 'v1'): StoredRun {
  const base = storedRun(id, startedAt, release);
  return {
    ...base,
    evidence: [
      { ...evidence('ops'), scansForFindings: false },
      { ...evidence('scan'), status: found.length ? 'fail' : 'pass', findings: found },
    ],
    findings: found,
  };
}

describe('findingRuns', () => {
  it('gives the runs of one release oldest first, with the scanning evidence and the findings of each', async () => {
    const path = tempDbPath();
    const store = await openStore(path);
    opened.push(store);
    // The order recorded decides, never started_at: r2 was checked on a machine whose clock was behind.
    await store.insertRun(runWith('r1', '2026-11-22T11:00:00.000Z', [secret]), {});
    await store.insertRun(runWith('r2', '2026-11-22T10:00:00.000Z', []), {});
    await store.insertRun(runWith('other', '2026-11-22T10:30:00.000Z', [secret], 'v2'), {});
    await store.insertRun(runWith('r3', '2026-11-22T12:00:00.000Z', [secret]), {});

    const runs = await store.findingRuns(key);
    expect(runs.map((r) => r.run.id)).toEqual(['r1', 'r2', 'r3']);
    expect(runs[0]?.scans).toEqual([{ collector: 'scan', status: 'fail', findings: [secret] }]);
    expect(runs[0]?.findings).toEqual([secret]);
    expect(runs[1]?.scans).toEqual([{ collector: 'scan', status: 'pass', findings: [] }]);
    expect(runs[1]?.findings).toEqual([]);

    expect((await store.findingRuns(key, 'r2')).map((r) => r.run.id)).toEqual(['r1', 'r2']);
    // A run not recorded yet (evaluated before it is stored) comes after every recorded one.
    expect((await store.findingRuns(key, 'not-yet')).map((r) => r.run.id)).toEqual(['r1', 'r2', 'r3']);
    expect(await store.findingRuns({ service: 'shop', release: 'none' })).toEqual([]);
  });

  it('keeps an accepted risk in the audit chain like any waiver, and catches an edit of its kind', async () => {
    const path = tempDbPath();
    const store = await openStore(path);
    opened.push(store);
    await store.insertRun(runWith('r1', '2026-11-22T10:00:00.000Z', [secret]), {});
    const accepted: Waiver = {
      ...waiver,
      id: 'acc1',
      kind: 'accepted-risk',
      subjectId: 'fp1',
      reason: 'internal tool, no customer data',
    };
    delete accepted.expiresAt;
    await store.insertWaiver(accepted);
    expect(await store.listWaivers(key)).toEqual([accepted]);
    const audit = await store.listAudit();
    expect(audit.at(-1)).toMatchObject({ kind: 'waiver', entityId: 'acc1', payload: accepted });
    expect((await store.verifyAudit()).ok).toBe(true);

    // Turning the accepted risk into a plain (expiring) waiver by hand is caught.
    rawSql(path, `update waivers set json = replace(json, '"kind":"accepted-risk",', '') where id = 'acc1'`);
    const verdict = await store.verifyAudit();
    expect(verdict.ok).toBe(false);
    expect(verdict.broken).toMatchObject({ kind: 'waiver', entityId: 'acc1' });
  });
});
