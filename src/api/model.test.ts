import { describe, expect, it } from 'vitest';
import { clockWentBack, entryHash, GENESIS } from '../store/audit.js';
import type { AuditEntry } from '../store/types.js';
import { clockNotesOf } from './model.js';

/** A chain of entries given as [at, kind, entityId, payload]. */
function log(...rows: Array<[string, string, string, unknown]>): AuditEntry[] {
  let prev = GENESIS;
  return rows.map(([at, kind, entityId, payload], i) => {
    const e = { seq: i + 1, at, kind, entityId, payload };
    const hash = entryHash(prev, e);
    const out = { ...e, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

describe('clockNotesOf', () => {
  const v1 = { service: 'shop', release: 'v1' };
  const entries = log(
    ['2026-12-01T10:00:00.000Z', 'run', 'r1', { run: { service: 'shop', release: 'v1' } }],
    ['2026-12-01T10:00:00.000Z', 'freeze', 'shop@v1', { runId: 'r1', thresholds: {} }],
    // honest entries of another release, so the five dated before #8 below are the outliers, not #8
    ...Array.from({ length: 5 }, (_, i): [string, string, string, unknown] => [
      `2026-12-01T10:5${i}:00.000Z`,
      'run',
      `o${i}`,
      { run: { service: 'other', release: 'v9' } },
    ]),
    ['2026-12-01T11:00:00.000Z', 'run', 'r2', { run: { service: 'shop', release: 'v2' } }],
    // every entry below is dated before #8, the clock having gone back
    ['2026-12-01T10:30:00.000Z', 'signoff', 's1', { runId: 'r1', decision: 'no-go' }],
    ['2026-12-01T10:31:00.000Z', 'signoff', 's2', { runId: 'r2', decision: 'go' }],
    ['2026-12-01T10:32:00.000Z', 'waiver', 'w1', { service: 'shop', release: 'v1' }],
    ['2026-12-01T10:33:00.000Z', 'decision', 'd1', { runId: 'r1' }],
    ['2026-12-01T10:34:00.000Z', 'run', 'r3', { run: { service: 'shop', release: 'v1' } }],
  );

  it("keeps the notes of the release's own entries: its runs, their sign-offs and decisions, its records", () => {
    expect(clockNotesOf(entries, v1).map((n) => `${n.kind} ${n.entityId}`)).toEqual([
      'signoff s1',
      'waiver w1',
      'decision d1',
      'run r3',
    ]);
    expect(clockNotesOf(entries, { service: 'shop', release: 'v2' }).map((n) => n.entityId)).toEqual(['s2']);
    expect(clockNotesOf(entries, { service: 'other', release: 'v1' })).toEqual([]);
    expect(clockNotesOf(entries, { service: 'other', release: 'v9' })).toEqual([]);
  });

  it('takes the notes worked out once for the whole log, as golive history passes them', () => {
    const all = clockWentBack(entries);
    expect(clockNotesOf(entries, v1, all)).toEqual(clockNotesOf(entries, v1));
    expect(clockNotesOf(entries, v1, all.slice(0, 1)).map((n) => n.entityId)).toEqual(['s1']);
  });

  it('names the entry each one is dated before, whatever release that one belongs to', () => {
    expect(clockNotesOf(entries, v1)[0]?.after).toEqual({
      seq: 8,
      kind: 'run',
      entityId: 'r2',
      at: '2026-12-01T11:00:00.000Z',
    });
  });
});
