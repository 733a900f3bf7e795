import { describe, expect, it } from 'vitest';
import type { FindingsResult } from '../api/findings.js';
import type { TriagedFinding } from '../findings/types.js';
import { formatFindings } from './findings.js';
import { styles } from './io.js';

const run = {
  id: 'r2',
  service: 'shop',
  release: 'v1',
  specHash: 'sha256:aa',
  baseUrl: 'http://127.0.0.1:1',
  startedAt: '2026-11-22T10:00:00.000Z',
  endedAt: '2026-11-22T10:05:00.000Z',
  status: 'complete' as const,
};
const seen = (runId: string) => ({ runId, at: `2026-11-2${runId.slice(1)}T10:00:00.000Z` });
const finding = (over: Partial<TriagedFinding>): TriagedFinding => ({
  rule: 'secret.aws',
  severity: 'high',
  title: 'AWS key',
  location: 'src/a.ts:3',
  fingerprint: '0123456789abcdef',
  status: 'open',
  firstSeen: seen('r1'),
  lastSeen: seen('r2'),
  ...over,
});
const result = (findings: TriagedFinding[], over: Partial<FindingsResult> = {}): FindingsResult => ({
  run,
  scanned: true,
  findings,
  totals: {
    open: findings.filter((f) => f.status === 'open').length,
    waived: findings.filter((f) => f.status === 'waived').length,
    accepted: findings.filter((f) => f.status === 'accepted').length,
    fixed: findings.filter((f) => f.status === 'fixed').length,
  },
  ...over,
});
const plain = styles(false);

describe('golive findings table', () => {
  it('says nothing was looked for when no collector that looks for findings ran', () => {
    const out = formatFindings(result([], { scanned: false }), plain);
    expect(out).toContain(
      'shop v1 — findings as of run r2 (2026-11-22 10:00): 0 open · 0 waived · 0 accepted · 0 fixed',
    );
    expect(out).toContain('No collector that looks for findings has run for this release');
    expect(out).not.toContain('Counted in');
  });

  it('tells "no findings" from "none match the filters"', () => {
    expect(formatFindings(result([]), plain)).toContain('\nNo findings.\n');
    const filtered = result([], { totals: { open: 2, waived: 0, accepted: 0, fixed: 1 } });
    expect(formatFindings(filtered, plain)).toContain('No findings match the filters.');
    expect(formatFindings(filtered, plain)).toContain('(open, not waived or accepted, of those shown)');
  });

  it('notes an expired waiver, a finding not looked for again, and clips long locations', () => {
    const expired = finding({
      lastSeen: seen('r1'),
      location: `https://shop.example/${'a'.repeat(80)}`,
      expiredWaiver: {
        id: 'w',
        service: 'shop',
        release: 'v1',
        subject: 'finding',
        subjectId: '0123456789abcdef',
        reason: 'later',
        by: 'lee',
        expiresAt: '2026-11-21T23:59:59.000Z',
        createdAt: '2026-11-20T00:00:00.000Z',
      },
    });
    const out = formatFindings(result([expired]), plain);
    expect(out).toContain('Counted in findings.* (open, not waived or accepted): 0 critical · 1 high · 0 medium');
    const row = out.split('\n').find((l) => l.startsWith('high'));
    expect(row).toMatch(
      /^high\s+open\s+secret\.aws\s+https:\/\/shop\.example\/a+…\s+2026-11-21 10:00\s+2026-11-21 10:00\s+0123456789ab\s+/,
    );
    expect(row).toMatch(/waiver by lee expired 2026-11-21, counts again; not looked for again since run r1$/);
    expect(out).not.toContain('\u001b');
    expect(formatFindings(result([expired]), styles(true))).toContain('\u001b[31mhigh');
  });
});

describe('formatFindings clipping', () => {
  const long = finding({
    rule: 'secret.a-rule-name-that-is-much-longer-than-thirty-two',
    location: 'services/payments/adapters/legacy-provider/configuration/credentials.js:12',
  });
  it('clips long rules and locations on a terminal (the default)', () => {
    const text = formatFindings(result([long]), styles(false));
    expect(text).toContain('…');
    expect(text).not.toContain(long.location);
  });
  it('keeps them whole with clip: false (stdout is not a terminal)', () => {
    const text = formatFindings(result([long]), styles(false), { clip: false });
    expect(text).toContain(long.location);
    expect(text).toContain(long.rule);
    expect(text).not.toContain('…');
  });
});
