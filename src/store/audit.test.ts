import { describe, expect, it } from 'vitest';
import {
  CLOCK_NOTES_SHOWN,
  clockNoteLines,
  clockWentBack,
  describeBreak,
  entryHash,
  GENESIS,
  verifyChain,
} from './audit.js';
import type { AuditEntry } from './types.js';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const e = { seq, at: `2026-11-22T10:0${seq}:00.000Z`, kind: 'signoff', entityId: `s${seq}`, payload: { n: seq } };
    const hash = entryHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}
const at = (c: AuditEntry[], i: number) => c[i] as AuditEntry;

describe('verifyChain', () => {
  it('accepts an intact chain and the empty log', () => {
    const c = chain(5);
    expect(verifyChain(c)).toEqual({ ok: true, entries: 5, head: at(c, 4).hash });
    expect(verifyChain(c, { count: 5, head: at(c, 4).hash }).ok).toBe(true);
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, head: '' });
    expect(verifyChain([], { count: 0, head: '' }).ok).toBe(true);
  });

  it('uses the documented hash formula', () => {
    const [first] = chain(1);
    expect(first?.prevHash).toBe('0'.repeat(64));
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS, { seq: 1, at: 't', kind: 'k', entityId: 'e', payload: { b: 1, a: 2 } })).toBe(
      entryHash(GENESIS, { seq: 1, at: 't', kind: 'k', entityId: 'e', payload: { a: 2, b: 1 } }),
    );
  });

  it('names an edited entry', () => {
    const c = chain(5).map((e) => (e.seq === 3 ? { ...e, payload: { n: 99 } } : e));
    expect(verifyChain(c).broken).toEqual({
      seq: 3,
      kind: 'signoff',
      entityId: 's3',
      reason: expect.stringMatching(/edited/),
    });
    const kind = chain(5).map((e) => (e.seq === 2 ? { ...e, kind: 'waiver' } : e));
    expect(verifyChain(kind).broken?.seq).toBe(2);
  });

  it('names an entry removed from the middle (seq gap)', () => {
    const c = chain(5).filter((e) => e.seq !== 3);
    expect(verifyChain(c).broken).toMatchObject({ seq: 3, reason: expect.stringMatching(/#3 is missing.*#4/) });
  });

  it('names an entry removed with the rest renumbered (broken link)', () => {
    const c = chain(5)
      .filter((e) => e.seq !== 3)
      .map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(c).broken).toMatchObject({ seq: 3, entityId: 's4', reason: expect.stringMatching(/link/) });
  });

  it('names an entry inserted with a valid hash, the rest renumbered', () => {
    const c = chain(5);
    const forgedBody = { seq: 3, at: 'x', kind: 'signoff', entityId: 'forged', payload: { n: 0 } };
    const forged = { ...forgedBody, prevHash: at(c, 1).hash, hash: entryHash(at(c, 1).hash, forgedBody) };
    const tampered = [at(c, 0), at(c, 1), forged, ...c.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }))];
    expect(verifyChain(tampered).broken).toMatchObject({
      seq: 3,
      entityId: 'forged',
      reason: expect.stringMatching(/inserted/),
    });
  });

  it('names an entry inserted without a valid hash', () => {
    const c = chain(4);
    const forged = { ...at(c, 1), seq: 3, entityId: 'forged' };
    const tampered = [at(c, 0), at(c, 1), forged, ...c.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }))];
    expect(verifyChain(tampered).broken).toMatchObject({ seq: 3, entityId: 'forged' });
  });

  it('catches a tail cut or an appended entry only against the recorded count and head', () => {
    const c = chain(5);
    const meta = { count: 5, head: at(c, 4).hash };
    expect(verifyChain(c.slice(0, 3)).ok).toBe(true);
    expect(verifyChain(c.slice(0, 3), meta).broken).toMatchObject({
      seq: 4,
      reason: expect.stringMatching(/removed from the end/),
    });
    const longer = chain(6);
    expect(verifyChain(longer, meta).broken).toMatchObject({ seq: 6, reason: expect.stringMatching(/appended/) });
    const other = chain(5).map((e) =>
      e.seq === 5 ? { ...e, at: 'y', hash: entryHash(e.prevHash, { ...e, at: 'y' }) } : e,
    );
    expect(verifyChain(other, meta).broken).toMatchObject({ seq: 5, reason: expect.stringMatching(/head/) });
  });

  it('refuses a first entry that does not start at the genesis hash', () => {
    const c = chain(3)
      .slice(1)
      .map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(c).broken).toMatchObject({ seq: 1, reason: expect.stringMatching(/start/) });
  });
});

describe('clockWentBack', () => {
  const dated = (...ats: string[]): AuditEntry[] => chain(ats.length).map((e, i) => ({ ...e, at: ats[i] as string }));

  it('flags each entry dated before the latest earlier one, naming that one; equal times are fine', () => {
    const notes = clockWentBack(
      dated(
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T09:04:00.000Z', // an hour behind
        '2026-12-01T09:30:00.000Z', // still behind #2
        '2026-12-01T10:05:00.000Z',
        'not a time',
      ),
    );
    expect(notes.map((n) => [n.seq, n.after?.seq])).toEqual([
      [3, 2],
      [4, 2],
    ]);
    expect(notes[0]).toMatchObject({ kind: 'signoff', entityId: 's3', at: '2026-12-01T09:04:00.000Z' });
    expect(notes[0]?.message).toBe(
      'entry #3 (signoff s3) is dated 2026-12-01T09:04:00.000Z, before #2 (signoff s2) at 2026-12-01T10:00:00.000Z: the clock went back; it counts where the audit log puts it, after #2',
    );
    expect(clockWentBack(chain(5))).toEqual([]);
    expect(clockWentBack([])).toEqual([]);
  });

  it('one entry with a clock a day ahead is named, once, as ahead; the honest entries after it are not blamed', () => {
    const notes = clockWentBack(
      dated(
        '2026-12-01T10:00:00.000Z',
        '2026-12-02T10:00:00.000Z', // a day ahead
        '2026-12-01T10:01:00.000Z',
        '2026-12-01T10:02:00.000Z',
        '2026-12-01T10:03:00.000Z',
        '2026-12-01T10:04:00.000Z',
      ),
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      seq: 2,
      direction: 'ahead',
      before: { seq: 3, kind: 'signoff', entityId: 's3', at: '2026-12-01T10:01:00.000Z' },
    });
    expect(notes[0]?.after).toBeUndefined();
    expect(notes[0]?.message).toBe(
      'entry #2 (signoff s2) is dated 2026-12-02T10:00:00.000Z, after #3 (signoff s3) at 2026-12-01T10:01:00.000Z, which was recorded after it: its clock was ahead; it counts where the audit log puts it, after #1',
    );
  });

  it('an entry ahead and another behind in one log are each named the right way', () => {
    const notes = clockWentBack(
      dated(
        '2026-12-01T10:00:00.000Z',
        '2026-12-01T10:01:00.000Z',
        '2026-12-03T00:00:00.000Z', // ahead
        '2026-12-01T10:02:00.000Z',
        '2026-12-01T09:00:00.000Z', // behind
        '2026-12-01T10:03:00.000Z',
        '2026-12-01T10:04:00.000Z',
      ),
    );
    expect(notes.map((n) => [n.seq, n.direction, n.after?.seq ?? n.before?.seq])).toEqual([
      [3, 'ahead', 4],
      [5, 'back', 4],
    ]);
  });

  it('a long log with one entry far ahead gives that one note', () => {
    const ats = Array.from({ length: 20_000 }, (_, i) => new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString());
    ats[10] = '2027-01-01T00:00:00.000Z';
    const notes = clockWentBack(dated(...ats));
    expect(notes.map((n) => n.seq)).toEqual([11]);
  });

  it('clockNoteLines shows the first ones and counts the rest', () => {
    const notes = clockWentBack(
      dated(
        ...Array.from({ length: 6 }, () => '2026-12-01T10:00:00.000Z'),
        ...Array.from({ length: 5 }, () => '2026-12-01T09:00:00.000Z'), // behind the six before them
      ),
    );
    expect(notes).toHaveLength(5);
    const lines = clockNoteLines(notes, 2);
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2)).toEqual(notes.slice(0, 2).map((n) => n.message));
    expect(lines[2]).toBe('and 3 more entries dated out of order (5 in all)');
    expect(clockNoteLines(notes.slice(0, 2), 2)).toHaveLength(2);
    expect(clockNoteLines([])).toEqual([]);
    expect(CLOCK_NOTES_SHOWN).toBe(10);
  });

  it('describeBreak names the entry the way verify prints it', () => {
    expect(describeBreak({ seq: 7, kind: 'signoff', entityId: 's1', reason: 'edited' })).toBe(
      'entry #7 (signoff s1): edited',
    );
    expect(describeBreak({ seq: 3, reason: 'missing' })).toBe('entry #3: missing');
  });
});
