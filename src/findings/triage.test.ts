import { describe, expect, it } from 'vitest';
import type { EvidenceStatus, Finding, Waiver } from '../model.js';
import { findingRunOf, severitiesAtOrAbove, triageFindings, unresolved, waiversOf } from './triage.js';
import type { FindingRun } from './types.js';

const NOW = new Date('2026-11-23T12:00:00Z');

const finding = (fingerprint: string, over: Partial<Finding> = {}): Finding => ({
  rule: 'secret.aws',
  severity: 'high',
  title: 'AWS key in source',
  location: 'src/config.ts:3',
  fingerprint,
  ...over,
});

/** A run: `scans` maps a collector to its status and what it found. */
function run(
  id: string,
  scans: Record<string, [EvidenceStatus, Finding[]]>,
  opts: { status?: 'complete' | 'incomplete'; extra?: Finding[] } = {},
): FindingRun {
  const list = Object.entries(scans).map(([collector, [status, findings]]) => ({ collector, status, findings }));
  return {
    run: {
      id,
      service: 'shop',
      release: 'v1',
      specHash: 'sha256:aa',
      baseUrl: 'http://127.0.0.1:1',
      startedAt: `2026-11-${id.slice(1).padStart(2, '0')}T10:00:00.000Z`,
      endedAt: `2026-11-${id.slice(1).padStart(2, '0')}T10:05:00.000Z`,
      status: opts.status ?? 'complete',
    },
    scans: list,
    findings: [...list.flatMap((s) => s.findings), ...(opts.extra ?? [])],
  };
}

const waiver = (subjectId: string, over: Partial<Waiver> = {}): Waiver => ({
  id: `w-${subjectId}`,
  service: 'shop',
  release: 'v1',
  subject: 'finding',
  subjectId,
  reason: 'behind the VPN until the fix ships',
  by: 'lee',
  expiresAt: '2026-12-31T23:59:59.000Z',
  createdAt: '2026-11-20T00:00:00.000Z',
  ...over,
});

const byFp = (list: ReturnType<typeof triageFindings>, fp: string) => {
  const t = list.find((x) => x.fingerprint === fp);
  if (!t) throw new Error(`no ${fp} in ${list.map((x) => x.fingerprint).join(', ')}`);
  return t;
};

describe('triageFindings: first seen, last seen, fixed', () => {
  it('keeps the first sighting and moves the last one; details come from the latest sighting', () => {
    const runs = [
      run('r1', { scan: ['fail', [finding('a', { severity: 'medium' })]] }),
      run('r2', { scan: ['fail', [finding('a', { severity: 'high', location: 'src/config.ts:4' })]] }),
      run('r3', { scan: ['fail', [finding('a', { severity: 'critical', location: 'src/config.ts:5' })]] }),
    ];
    const [a] = triageFindings(runs, [], NOW);
    expect(a).toMatchObject({
      fingerprint: 'a',
      status: 'open',
      collector: 'scan',
      severity: 'critical',
      location: 'src/config.ts:5',
      firstSeen: { runId: 'r1', at: '2026-11-01T10:00:00.000Z' },
      lastSeen: { runId: 'r3', at: '2026-11-03T10:00:00.000Z' },
    });
    expect(a?.fixedIn).toBeUndefined();
  });

  it('is fixed when the collector that found it finished a later run without it', () => {
    const runs = [
      run('r1', { scan: ['fail', [finding('a'), finding('b')]] }),
      run('r2', { scan: ['fail', [finding('b')]] }),
      run('r3', { scan: ['pass', []] }),
    ];
    const t = triageFindings(runs, [], NOW);
    expect(byFp(t, 'a')).toMatchObject({ status: 'fixed', lastSeen: { runId: 'r1' }, fixedIn: { runId: 'r2' } });
    expect(byFp(t, 'b')).toMatchObject({ status: 'fixed', lastSeen: { runId: 'r2' }, fixedIn: { runId: 'r3' } });
    expect(unresolved(t)).toEqual([]);
  });

  it('is not fixed by a run where its collector did not run, errored or was skipped, nor by an incomplete run', () => {
    const a = finding('a');
    const after = [
      run('r2', { probes: ['pass', []] }), // scan did not run at all
      run('r3', { scan: ['error', []], probes: ['pass', []] }),
      run('r4', { scan: ['skipped', []] }),
      run('r5', { scan: ['pass', []] }, { status: 'incomplete' }),
    ];
    const t = triageFindings([run('r1', { scan: ['fail', [a]] }), ...after], [], NOW);
    expect(byFp(t, 'a')).toMatchObject({ status: 'open', lastSeen: { runId: 'r1' } });
    expect(byFp(t, 'a').fixedIn).toBeUndefined();

    // …and the next complete run of the scanner does fix it.
    const fixed = triageFindings(
      [run('r1', { scan: ['fail', [a]] }), ...after, run('r6', { scan: ['pass', []] })],
      [],
      NOW,
    );
    expect(byFp(fixed, 'a')).toMatchObject({ status: 'fixed', fixedIn: { runId: 'r6' } });
  });

  it('opens a fixed finding again when it comes back, keeping its first sighting', () => {
    const runs = [
      run('r1', { scan: ['fail', [finding('a')]] }),
      run('r2', { scan: ['pass', []] }),
      run('r3', { scan: ['fail', [finding('a')]] }),
    ];
    expect(byFp(triageFindings(runs, [], NOW), 'a')).toMatchObject({
      status: 'open',
      firstSeen: { runId: 'r1' },
      lastSeen: { runId: 'r3' },
    });
  });

  it('fixes a finding no evidence item carried once any scanning collector finishes a run without it', () => {
    const stray = finding('s', { rule: 'imported' });
    const runs = [run('r1', { probes: ['error', []] }, { extra: [stray] }), run('r2', { probes: ['error', []] })];
    expect(byFp(triageFindings(runs, [], NOW), 's')).toMatchObject({ status: 'open' });
    expect(byFp(triageFindings([...runs, run('r3', { probes: ['pass', []] })], [], NOW), 's')).toMatchObject({
      status: 'fixed',
      fixedIn: { runId: 'r3' },
    });
    expect(byFp(triageFindings(runs, [], NOW), 's').collector).toBeUndefined();
  });

  it('reads a run with its evidence the way the store gives it', () => {
    const f = finding('a');
    const r = findingRunOf({
      run: run('r1', {}).run,
      evidence: [
        {
          collector: 'scan',
          status: 'fail',
          summary: '',
          startedAt: '',
          endedAt: '',
          metrics: [],
          checks: [],
          findings: [f],
          artifacts: [],
          scansForFindings: true,
        },
        {
          collector: 'load',
          status: 'pass',
          summary: '',
          startedAt: '',
          endedAt: '',
          metrics: [],
          checks: [],
          findings: [],
          artifacts: [],
        },
      ],
      findings: [f],
    });
    expect(r.scans).toEqual([{ collector: 'scan', status: 'fail', findings: [f] }]);
    expect(r.findings).toEqual([f]);
  });
});

describe('triageFindings: waivers and accepted risks', () => {
  const runs = [run('r1', { scan: ['fail', [finding('a'), finding('b'), finding('c'), finding('d')]] })];

  it('marks waived, accepted and open findings; an expired waiver is noted and no longer covers', () => {
    const expired = waiver('c', { expiresAt: '2026-11-23T11:59:59.000Z' });
    const t = triageFindings(
      runs,
      [waiver('a'), waiver('b', { kind: 'accepted-risk', expiresAt: undefined, reason: 'internal tool' }), expired],
      NOW,
    );
    expect(byFp(t, 'a')).toMatchObject({ status: 'waived', waiver: { id: 'w-a' } });
    expect(byFp(t, 'b')).toMatchObject({ status: 'accepted', waiver: { kind: 'accepted-risk' } });
    expect(byFp(t, 'c')).toMatchObject({ status: 'open', expiredWaiver: expired });
    expect(byFp(t, 'c').waiver).toBeUndefined();
    expect(byFp(t, 'd')).toMatchObject({ status: 'open' });
    expect(byFp(t, 'd').expiredWaiver).toBeUndefined();
  });

  it('treats the expiry instant itself as expired', () => {
    const t = triageFindings(runs, [waiver('a', { expiresAt: NOW.toISOString() })], NOW);
    expect(byFp(t, 'a').status).toBe('open');
  });

  it('prefers a live accepted risk over a live waiver, then the longest-lasting waiver', () => {
    const short = waiver('a', { id: 'short', expiresAt: '2026-12-01T00:00:00Z' });
    const long = waiver('a', { id: 'long', expiresAt: '2027-06-01T00:00:00Z' });
    const accepted = waiver('a', { id: 'acc', kind: 'accepted-risk', expiresAt: '2026-11-30T00:00:00Z' });
    expect(waiversOf('a', [short, long], NOW).live?.id).toBe('long');
    expect(waiversOf('a', [short, accepted, long], NOW).live?.id).toBe('acc');
    expect(waiversOf('a', [waiver('b')], NOW)).toEqual({});
    // A criterion waiver with the same id text does not cover a finding.
    expect(waiversOf('a', [waiver('a', { subject: 'criterion' })], NOW)).toEqual({});
  });

  it('does not show a waiver on a fixed finding', () => {
    const t = triageFindings([...runs, run('r2', { scan: ['pass', []] })], [waiver('a')], NOW);
    expect(byFp(t, 'a').status).toBe('fixed');
    expect(byFp(t, 'a').waiver).toBeUndefined();
  });
});

describe('triageFindings: order and helpers', () => {
  it('sorts by status, then severity, rule and location', () => {
    const runs = [
      run('r1', {
        scan: [
          'fail',
          [
            finding('fixed1', { severity: 'critical' }),
            finding('low1', { severity: 'low' }),
            finding('crit1', { severity: 'critical', rule: 'b' }),
            finding('crit2', { severity: 'critical', rule: 'a' }),
            finding('w1', { severity: 'critical' }),
          ],
        ],
      }),
      run('r2', {
        scan: [
          'fail',
          [
            finding('low1', { severity: 'low' }),
            finding('crit1', { severity: 'critical', rule: 'b' }),
            finding('crit2', { severity: 'critical', rule: 'a' }),
            finding('w1', { severity: 'critical' }),
          ],
        ],
      }),
    ];
    const t = triageFindings(runs, [waiver('w1')], NOW);
    expect(t.map((x) => `${x.status}:${x.fingerprint}`)).toEqual([
      'open:crit2',
      'open:crit1',
      'open:low1',
      'waived:w1',
      'fixed:fixed1',
    ]);
  });

  it('lists the severities at or above a level', () => {
    expect(severitiesAtOrAbove('critical')).toEqual(['critical']);
    expect(severitiesAtOrAbove('medium')).toEqual(['critical', 'high', 'medium']);
    expect(severitiesAtOrAbove('info')).toHaveLength(5);
  });

  it('gives nothing for a release with no runs', () => {
    expect(triageFindings([], [waiver('a')], NOW)).toEqual([]);
  });
});
