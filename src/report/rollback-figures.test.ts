import { describe, expect, it } from 'vitest';
import type { Evidence } from '../model.js';
import { sampleReportModel } from './fixture.js';
import { rollbackDrillSection } from './html-drill.js';
import { renderRollbackEvidence } from './markdown-rollback.js';

/**
 * The demo's drill: short phases (the deploy and the verify take under a
 * second), so the 1-second buckets of the timeline do not line up with them.
 * The phase detail is what the drill counted from its probe samples.
 */
const drill: Evidence = {
  collector: 'drill.rollback',
  status: 'pass',
  summary: 'v1.4.0 deployed and rolled back to v1.3.2 in 1.6 s',
  startedAt: '2026-11-22T11:02:00.000Z',
  endedAt: '2026-11-22T11:02:05.000Z',
  metrics: [
    { name: 'drill.rollback.duration', value: 1600, unit: 'ms' },
    { name: 'drill.rollback.requests', value: 23, unit: 'count' },
    { name: 'drill.rollback.errors', value: 0, unit: 'count' },
  ],
  checks: [],
  findings: [],
  artifacts: [],
  data: {
    timeline: [
      { t: 0, requests: 3, errors: 0, p50: 2, p95: 4, version: 'v1.3.2' },
      { t: 1000, requests: 0, errors: 0, p50: null, p95: null },
      { t: 2000, requests: 10, errors: 0, p50: 2, p95: 4, version: 'v1.3.2' },
      { t: 3000, requests: 10, errors: 0, p50: 2, p95: 4, version: 'v1.3.2' },
    ],
    phases: [
      { name: 'deploy', startMs: 100, endMs: 700, ok: true, requests: 1, errors: 0, p95: 3, versions: ['v1.4.0'] },
      { name: 'verify-new', startMs: 700, endMs: 900, ok: true, requests: 0, errors: 0, p95: null, versions: [] },
      {
        name: 'rollback',
        startMs: 900,
        endMs: 2500,
        ok: true,
        requests: 2,
        errors: 0,
        p95: 5,
        versions: ['v1.4.0', 'v1.3.2'],
      },
      { name: 'settle', startMs: 2500, endMs: 4500, ok: true, requests: 20, errors: 0, p95: 4, versions: ['v1.3.2'] },
    ],
  },
};

const model = { ...sampleReportModel(), evidence: [drill] };
const strip = (s: string): string =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&rarr;|→/g, '→')
    .trim();

/** name → [requests, errors, versions] from the HTML phase table. */
function htmlPhases(html: string): Record<string, string[]> {
  const body = /<table class="phases">.*?<tbody>(.*?)<\/tbody>/s.exec(html)?.[1] ?? '';
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => strip(c[1] ?? '')),
  );
  return Object.fromEntries(rows.map((r) => [r[0], [r[3], r[4], r[5]]]));
}

/** name → [requests, errors, versions] from the Markdown phase table. */
function markdownPhases(md: string[]): Record<string, string[]> {
  const rows = md
    .filter((l) => /^\| (deploy|verify-new|rollback|settle) \|/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  return Object.fromEntries(rows.map((r) => [r[0], [r[3], r[4], r[6]]]));
}

describe('rollback drill figures: one source for every report', () => {
  it('shows the same per-phase requests, errors and versions in HTML and Markdown', () => {
    const html = htmlPhases(rollbackDrillSection(model));
    const md = markdownPhases(renderRollbackEvidence(model));
    expect(md).toEqual({
      deploy: ['1', '0', 'v1.4.0'],
      'verify-new': ['0', '0', '—'],
      rollback: ['2', '0', 'v1.4.0 → v1.3.2'],
      settle: ['20', '0', 'v1.3.2'],
    });
    expect(html).toEqual(md);
  });

  it('gives the totals and the versions seen from the drill, not from the 1-second buckets', () => {
    const html = rollbackDrillSection(model);
    expect(strip(/<p class="muted">(.*?)<\/p>/.exec(html)?.[1] ?? '')).toBe(
      '23 probe requests · 0 failed · worst p95 5 ms · versions seen: v1.4.0 → v1.3.2',
    );
    expect(renderRollbackEvidence(model).join('\n')).toMatch(/ 23 probe requests during the drill, 0 failed/);
  });
});
