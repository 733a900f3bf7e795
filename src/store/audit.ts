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
 * The entries whose time is out of order with the log, in seq order. Pure.
 * Such an entry is kept and counts where the chain puts it (golive orders
 * records by the audit sequence, never by their times); a note only says that
 * its time cannot be taken at face value. Times that do not parse are skipped.
 *
 * The entries taken at their word are the longest run of the log, in seq
 * order, whose times never go back (of several, the one keeping the earliest
 * entries). Every other entry is an outlier, named against its nearest honest
 * neighbour: dated before the honest entry recorded before it, its clock went
 * back (`direction: 'back'`, `after`); else dated after the honest entry
 * recorded after it, its clock was ahead (`direction: 'ahead'`, `before`). So
 * one entry with a clock a day ahead is named once, not every honest entry
 * written after it.
 */
export function clockWentBack(entries: readonly AuditEntry[]): ClockNote[] {
  const dated = entries.map((e) => ({ e, t: Date.parse(e.at) })).filter((d) => !Number.isNaN(d.t));
  const honest = longestInOrder(dated.map((d) => d.t));
  const notes: ClockNote[] = [];
  let prev: AuditEntry | undefined;
  for (let i = 0; i < dated.length; i++) {
    const { e, t } = dated[i] as { e: AuditEntry; t: number };
    if (honest[i]) {
      prev = e;
      continue;
    }
    const ref = (x: AuditEntry) => ({ seq: x.seq, kind: x.kind, entityId: x.entityId, at: x.at });
    const where = `it counts where the audit log puts it, after #${e.seq - 1}`;
    if (prev && t < Date.parse(prev.at)) {
      notes.push({
        seq: e.seq,
        kind: e.kind,
        entityId: e.entityId,
        at: e.at,
        direction: 'back',
        after: ref(prev),
        message: `entry #${e.seq} (${e.kind} ${e.entityId}) is dated ${e.at}, before #${prev.seq} (${prev.kind} ${prev.entityId}) at ${prev.at}: the clock went back; ${where}`,
      });
      continue;
    }
    const nextAt = dated.findIndex((d, k) => k > i && honest[k]);
    const next = (dated[nextAt] as { e: AuditEntry }).e; // an outlier not behind its predecessor is ahead of its successor
    notes.push({
      seq: e.seq,
      kind: e.kind,
      entityId: e.entityId,
      at: e.at,
      direction: 'ahead',
      before: ref(next),
      message: `entry #${e.seq} (${e.kind} ${e.entityId}) is dated ${e.at}, after #${next.seq} (${next.kind} ${next.entityId}) at ${next.at}, which was recorded after it: its clock was ahead; ${where}`,
    });
  }
  return notes;
}

/**
 * Marks the longest non-decreasing subsequence of `times` (O(n log n)). Ties
 * go to the subsequence keeping the earliest items: it is built from the end,
 * as the longest non-increasing run of the reversed list, each pile keeping
 * its latest-seen (so earliest in the log) item.
 */
function longestInOrder(times: readonly number[]): boolean[] {
  const n = times.length;
  const tails: number[] = []; // index of the item ending each pile; their times do not increase
  const link = new Array<number>(n).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    const t = times[i] as number;
    // first pile whose tail is dated strictly before t
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[tails[mid] as number] as number) < t) hi = mid;
      else lo = mid + 1;
    }
    link[i] = lo > 0 ? (tails[lo - 1] as number) : -1;
    tails[lo] = i;
  }
  const keep = new Array<boolean>(n).fill(false);
  for (let i = tails.length ? (tails[tails.length - 1] as number) : -1; i !== -1; i = link[i] as number) keep[i] = true;
  return keep;
}

/** How many clock notes a listing shows before it sums up the rest. */
export const CLOCK_NOTES_SHOWN = 10;

/** The messages of the first `max` notes, then one line counting the others. */
export function clockNoteLines(notes: readonly ClockNote[], max = CLOCK_NOTES_SHOWN): string[] {
  const shown = notes.slice(0, max).map((n) => n.message);
  const more = notes.length - shown.length;
  return more > 0
    ? [...shown, `and ${more} more ${more === 1 ? 'entry' : 'entries'} dated out of order (${notes.length} in all)`]
    : shown;
}

/** `entry #7 (signoff 1a2b…): the stored signoff no longer matches …`, as verify and the refusals print it. */
export function describeBreak(b: AuditBreak): string {
  return `entry #${b.seq}${b.kind ? ` (${b.kind}${b.entityId ? ` ${b.entityId}` : ''})` : ''}: ${b.reason}`;
}
