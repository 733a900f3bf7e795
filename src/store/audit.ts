import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { ClockNote } from '../model.js';
import type { AuditEntry, AuditVerifyResult } from './types.js';

/**
 * The audit log is a hash chain: each entry's hash covers the previous hash and
 * the entry's own content, so editing, inserting or removing an entry breaks
 * the chain at that entry.
 *
 *   hash(n) = sha256( hash(n-1) + "\n" + canonicalJson({ seq, at, kind, entityId, payload }) )
 *   hash(0) = 64 zeros
 */
export const GENESIS = '0'.repeat(64);

export type AuditBreak = NonNullable<AuditVerifyResult['broken']>;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash of an entry that follows `prevHash`. */
export function entryHash(
  prevHash: string,
  e: Pick<AuditEntry, 'seq' | 'at' | 'kind' | 'entityId' | 'payload'>,
): string {
  return sha256(
    `${prevHash}\n${canonicalJson({ seq: e.seq, at: e.at, kind: e.kind, entityId: e.entityId, payload: e.payload })}`,
  );
}

/**
 * Walks the chain in seq order and reports the first entry that does not check
 * out. Pure. With `expected` (the entry count and head hash the store keeps
 * beside the log) it also catches entries removed from, or appended to, the end.
 *
 * - edited entry: its hash no longer matches its content
 * - inserted entry: the entry after it links to the same predecessor (reported at the inserted entry),
 *   or, when the forger did not recompute hashes, its own hash does not match
 * - removed entry: a seq gap, or (when the seqs were renumbered) a link to a hash that is not in the log
 */
export function verifyChain(
  entries: readonly AuditEntry[],
  expected?: { count: number; head: string },
): AuditVerifyResult {
  let prev = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as AuditEntry;
    const want = i + 1;
    if (e.seq !== want) {
      if (e.seq > want) {
        return fail(entries, {
          seq: want,
          reason: `entry #${want} is missing: ${label(e)} follows #${i} (an entry was removed)`,
        });
      }
      return fail(entries, { ...where(e), reason: `entry #${e.seq} is out of sequence (expected #${want})` });
    }
    if (e.prevHash !== prev) {
      const before = entries[i - 1];
      const shifted = (by: number) => entryHash(e.prevHash, { ...e, seq: e.seq - by }) === e.hash;
      if (before && e.prevHash === before.prevHash && (shifted(0) || shifted(1))) {
        // `before` checked out on its own, yet the genuine entry after it (possibly renumbered
        // to make room) links past it: `before` was slipped in.
        return fail(entries, {
          ...where(before),
          reason: `${label(before)} was inserted: ${label(e)} links to the entry before it`,
        });
      }
      return fail(entries, {
        ...where(e),
        reason:
          i === 0
            ? 'the first entry does not start the chain (entries were removed from the start)'
            : `it does not link to #${i} (an entry before it was removed or replaced)`,
      });
    }
    if (entryHash(prev, e) !== e.hash) {
      return fail(entries, {
        ...where(e),
        reason: 'its content does not match its hash (the entry was edited, or forged without its hash)',
      });
    }
    prev = e.hash;
  }
  if (expected) {
    const n = entries.length;
    if (n < expected.count) {
      return fail(entries, {
        seq: n + 1,
        reason: `the log ends at #${n}, but golive wrote ${expected.count} entries (entries were removed from the end)`,
      });
    }
    if (n > expected.count) {
      const extra = entries[expected.count] as AuditEntry;
      return fail(entries, {
        ...where(extra),
        reason: `golive wrote ${expected.count} entries, but the log has ${n} (entries were appended outside golive)`,
      });
    }
    if (n > 0 && expected.head !== prev) {
      return fail(entries, {
        ...where(entries[n - 1] as AuditEntry),
        reason: 'the last entry is not the one golive wrote (its hash differs from the recorded head)',
      });
    }
  }
  return { ok: true, entries: entries.length, head: entries.length ? prev : '' };
}

function where(e: AuditEntry): AuditBreak {
  return { seq: e.seq, kind: e.kind, entityId: e.entityId, reason: '' };
}

function label(e: AuditEntry): string {
  return `#${e.seq} (${e.kind} ${e.entityId})`;
}

function fail(entries: readonly AuditEntry[], broken: AuditBreak): AuditVerifyResult {
  return { ok: false, entries: entries.length, head: entries.at(-1)?.hash ?? '', broken };
}

/**
 * The entries whose time is before the latest time of the entries written
 * before them, in seq order. Pure. Such an entry is kept and counts where the
 * chain puts it (golive orders records by the audit sequence, never by their
 * times); this only says that its time cannot be taken at face value. Times
 * that do not parse are skipped.
 */
export function clockWentBack(entries: readonly AuditEntry[]): ClockNote[] {
  const notes: ClockNote[] = [];
  let latest: AuditEntry | undefined;
  for (const e of entries) {
    const t = Date.parse(e.at);
    if (Number.isNaN(t)) continue;
    if (latest && t < Date.parse(latest.at)) {
      notes.push({
        seq: e.seq,
        kind: e.kind,
        entityId: e.entityId,
        at: e.at,
        after: { seq: latest.seq, kind: latest.kind, entityId: latest.entityId, at: latest.at },
        message: `entry #${e.seq} (${e.kind} ${e.entityId}) is dated ${e.at}, before #${latest.seq} (${latest.kind} ${latest.entityId}) at ${latest.at}: the clock went back; it counts where the audit log puts it, after #${e.seq - 1}`,
      });
    } else {
      latest = e;
    }
  }
  return notes;
}

/** `entry #7 (signoff 1a2b…): the stored signoff no longer matches …`, as verify and the refusals print it. */
export function describeBreak(b: AuditBreak): string {
  return `entry #${b.seq}${b.kind ? ` (${b.kind}${b.entityId ? ` ${b.entityId}` : ''})` : ''}: ${b.reason}`;
}
