import { afterEach, describe, expect, it } from 'vitest';
import type { Attestation } from '../model.js';
import { openStore } from '../store/sqlite-store.js';
import { storedRun, tempDbPath } from '../store/test-helpers.js';
import type { EvidenceStore, StoredRun } from '../store/types.js';
import { buildReportModel } from './model.js';
import {
  criterionHash,
  matchAttestation,
  storedCriterionHashes,
  writtenCriterionHashes,
} from '../spec/criterion-hash.js';

const stores: EvidenceStore[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

/** A run whose spec has one attested criterion AC-2 with this title. */
function run(id: string, startedAt: string, title: string): StoredRun {
  const r = storedRun(id, startedAt);
  return {
    ...r,
    evidence: [],
    findings: [],
    specJson: {
      version: 1,
      service: 'shop',
      release: 'v1',
      thresholds: {},
      roles: { DevOps: 'alex@example.com' },
      criteria: [{ id: 'AC-2', type: 'AC', title, attest: 'DevOps' }],
    },
  };
}

/** An attestation as golive recorded it before content binding: no criterionHash. */
const legacy = (createdAt: string): Attestation => ({
  id: `a-${createdAt}`,
  service: 'shop',
  release: 'v1',
  criterionId: 'AC-2',
  by: 'alex',
  role: 'DevOps',
  evidence: 'https://example.com/pentest',
  createdAt,
});

const status = async (store: EvidenceStore, r: StoredRun) =>
  (await buildReportModel(store, r, new Date('2026-11-23T00:00:00Z'))).evaluation.criteria[0];

describe('bindLegacyAttestations, through buildReportModel: attestations recorded before content binding', () => {
  it('binds one to the criterion as the first run after it had it, so a later rewording makes it stale', async () => {
    const store = await openStore(tempDbPath());
    stores.push(store);
    const first = run('r1', '2026-11-22T09:00:00.000Z', 'Pen test passed');
    await store.insertRun(first, {});
    await store.insertAttestation(legacy('2026-11-22T10:00:00.000Z'));
    const second = run('r2', '2026-11-22T11:00:00.000Z', 'Pen test passed');
    await store.insertRun(second, {});
    const third = run('r3', '2026-11-22T12:00:00.000Z', 'GDPR review signed off by legal');
    await store.insertRun(third, {});

    expect((await status(store, second))?.status).toBe('Met');
    const stale = await status(store, third);
    expect(stale?.status).toBe('Unverified');
    expect(stale?.notes).toBe('attestation stale: criterion changed since attested by alex on 2026-11-22');
  });

  it('binds one made after the latest run to the run being evaluated', async () => {
    const store = await openStore(tempDbPath());
    stores.push(store);
    const only = run('r1', '2026-11-22T09:00:00.000Z', 'Pen test passed');
    await store.insertRun(only, {});
    await store.insertAttestation(legacy('2026-11-22T10:00:00.000Z'));
    expect((await status(store, only))?.status).toBe('Met');
  });

  it('binds by audit order, not by clock: an attestation stamped before a run but recorded after it binds to the next run', async () => {
    const store = await openStore(tempDbPath());
    stores.push(store);
    const first = run('r1', '2026-11-22T09:00:00.000Z', 'Pen test passed');
    await store.insertRun(first, {});
    // The clock went back: stamped 08:00, recorded after r1 (09:00) and before r2.
    await store.insertAttestation(legacy('2026-11-22T08:00:00.000Z'));
    const second = run('r2', '2026-11-22T11:00:00.000Z', 'GDPR review signed off by legal');
    await store.insertRun(second, {});
    // The first run golive used it in is r2: bound to r2's criterion, Met there, stale on r1's wording.
    expect((await status(store, second))?.status).toBe('Met');
    expect((await status(store, first))?.status).toBe('Unverified');
  });

  it('binds by the hashes a run kept (the criterion as written), not by its stored, interpolated spec', async () => {
    const store = await openStore(tempDbPath());
    stores.push(store);
    await store.insertAttestation(legacy('2026-11-22T08:00:00.000Z'));
    const r = run('r1', '2026-11-22T09:00:00.000Z', 'Pen test by acme-sec passed');
    const written = { id: 'AC-2', type: 'AC' as const, title: 'Pen test by ${VENDOR} passed', attest: 'DevOps' };
    const kept = {
      ...r,
      specJson: {
        ...(r.specJson as object),
        criterionHashes: writtenCriterionHashes({ criteria: [written] }, [written]),
      },
    };
    await store.insertRun(kept, {});
    const model = await buildReportModel(store, kept, new Date('2026-11-23T00:00:00Z'));
    expect(model.evaluation.criteria[0]?.status).toBe('Met');
    // A current attestation made by golive attest carries the written hash, and matches too.
    const current = { ...legacy('2026-11-22T10:00:00.000Z'), id: 'a-new', criterionHash: criterionHash(written) };
    expect(matchAttestation(written, [current], storedCriterionHashes(kept.specJson))?.current).toBe(true);
  });
});
