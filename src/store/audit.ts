import { createHash } from 'node:crypto';
import { canonicalJson } from '../spec/canonical.js';
import type { AuditEntry, AuditVerifyResult } from './types.js';

/**
 * The audit log is a hash chain: each entry's hash covers the previous hash and
 * the entry's own content, so editing, inserting or removing an entry breaks
 * every hash after it.
 *
 *   hash(n) = sha256( hash(n-1) + "\n" + canonicalJson({ seq, at, kind, entityId, payload }) )
 *   hash(0) = 64 zeros
 */
export const GENESIS = '0'.repeat(64);

export function entryHash(
  prevHash: string,
  e: Pick<AuditEntry, 'seq' | 'at' | 'kind' | 'entityId' | 'payload'>,
): string {
  return sha256(
    `${prevHash}\n${canonicalJson({ seq: e.seq, at: e.at, kind: e.kind, entityId: e.entityId, payload: e.payload })}`,
  );
}

/** Walks the chain in order; reports the first entry that does not check out. Pure. */
export function verifyChain(entries: AuditEntry[], expected?: { count: number; head: string }): AuditVerifyResult {
  let prev = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as AuditEntry;
    const where = { seq: e.seq, kind: e.kind, entityId: e.entityId };
    if (e.seq !== i + 1) {
      return broken(
        entries,
        {
          ...where,
          reason: e.seq > i + 1 ? `entry #${i + 1} is missing (removed)` : `sequence out of order (expected #${i + 1})`,
        },
        i + 1,
      );
    }
    if (e.prevHash !== prev)
      return broken(entries, {
        ...where,
        reason: 'it does not follow the entry before it (an entry was inserted or removed)',
      });
    if (entryHash(prev, e) !== e.hash)
      return broken(entries, { ...where, reason: 'its content does not match its hash (the entry was edited)' });
    prev = e.hash;
  }
  if (expected && entries.length < expected.count) {
    return broken(entries, {
      seq: entries.length + 1,
      reason: `the log ends at #${entries.length}, but ${expected.count} entries were written (entries were removed from the end)`,
    });
  }
  if (expected && entries.length === expected.count && expected.head !== prev) {
    return broken(entries, { seq: entries.length, reason: 'the last entry is not the one golive wrote' });
  }
  return { ok: true, entries: entries.length, head: entries.length ? prev : '' };
}

function broken(entries: AuditEntry[], b: NonNullable<AuditVerifyResult['broken']>, seq = b.seq): AuditVerifyResult {
  return { ok: false, entries: entries.length, head: entries.at(-1)?.hash ?? '', broken: { ...b, seq } };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
