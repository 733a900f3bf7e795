import { describe, expect, it } from 'vitest';
import type { Evidence } from '../model.js';
import { sampleReportModel } from './fixture.js';
import { renderMarkdown } from './markdown.js';
import { renderRollbackEvidence } from './markdown-rollback.js';

const passing: Evidence = {
  collector: 'drill.rollback',
  status: 'pass',
  summary: 'v1.4.0 deployed and rolled back to v1.3.2 in 0.5 s',
  startedAt: '2026-11-22T11:02:00.000Z',
  endedAt: '2026-11-22T11:02:04.000Z',
  metrics: [
    { name: 'drill.deploy.duration', value: 800, unit: 'ms' },
    { name: 'drill.rollback.duration', value: 1500, unit: 'ms' },
    { name: 'drill.rollback.requests', value: 40, unit: 'count' },
    { name: 'drill.rollback.errors', value: 0, unit: 'count' },
  ],
  checks: [],
  findings: [],
  artifacts: [{ name: 'rollback command output', path: 'drill-rollback-rollback.log', contentType: 'text/plain' }],
  data: {
    deploy: './deploy.sh v1.4.0',
    rollback: './rollback.sh | tee log',
    newVersion: 'v1.4.0',
    expectVersion: 'v1.3.2',
    within: '5m',
    settle: '2s',
    rate: 10,
    timeline: [
      { t: 0, requests: 10, errors: 0, p50: 2, p95: 4, version: 'v1.4.0' },
      { t: 1000, requests: 10, errors: 0, p50: 2, p95: 4, version: 'v1.3.2' },
    ],
    phases: [
      {
        name: 'deploy',
        startMs: 0,
        endMs: 800,
        ok: true,
        detail: 'succeeded in 790 ms',
        requests: 8,
        errors: 0,
        p95: 4,
        versions: ['v1.3.2', 'v1.4.0'],
      },
      {
        name: 'rollback',
        startMs: 820,
        endMs: 2320,
        ok: true,
        detail: 'v1.3.2 | healthy',
        requests: 15,
        errors: 0,
        p95: 5.5,
        versions: ['v1.4.0', 'v1.3.2'],
      },
    ],
  },
};

describe('Rollback test evidence (Markdown)', () => {
  it('answers the DoD row: commands, time back on the previous version, failed requests, phases, artifacts', () => {
    const model = sampleReportModel({ evidence: [passing] });
    const text = renderRollbackEvidence(model).join('\n');
    expect(text).toContain('## Rollback test evidence');
    expect(text).toContain(
      '✅ **Rollback rehearsed** at 2026-11-22 11:02:00 UTC: `./deploy.sh v1.4.0` put v1.4.0 live in 0.8 s; `./rollback.sh | tee log` brought v1.3.2 back healthy in **1.5 s** (allowed 5m) and it stayed healthy for 2s. 40 probe requests at 10/s during the drill, 0 failed (zero-downtime).',
    );
    expect(text).toContain('| deploy | 0.0 s | 0.8 s | 8 | 0 | 4 ms | v1.3.2 → v1.4.0 | ✅ succeeded in 790 ms |');
    // A pipe inside a cell is escaped, so the table stays a table.
    expect(text).toContain('| rollback | 0.8 s | 2.3 s | 15 | 0 | 5.5 ms | v1.4.0 → v1.3.2 | ✅ v1.3.2 \\| healthy |');
    expect(text).toContain('No probe request failed in any of the 2 seconds of the drill.');
    expect(text).toContain('- rollback command output: `drill-rollback-rollback.log`');
    // The threshold on the rollback duration, with its result.
    expect(text).toMatch(/`drill\.rollback\.duration` .* `< 5m`/);
    expect(renderMarkdown(model)).toContain('## Rollback test evidence');
  });

  it('names the seconds with failed requests and says the rehearsal failed', () => {
    const failed: Evidence = {
      ...passing,
      status: 'fail',
      summary: 'rollback drill failed: the rollback never brought back v1.3.2',
      metrics: passing.metrics
        .filter((m) => m.name !== 'drill.rollback.duration')
        .map((m) => (m.name === 'drill.rollback.errors' ? { ...m, value: 3 } : m)),
      data: {
        ...passing.data,
        timeline: [
          { t: 0, requests: 10, errors: 0, p50: 2, p95: 4 },
          { t: 1000, requests: 10, errors: 3, p50: 2, p95: 900 },
        ],
      },
    };
    const text = renderRollbackEvidence(sampleReportModel({ evidence: [failed] })).join('\n');
    expect(text).toContain(
      '❌ **Rollback rehearsal failed**: rollback drill failed: the rollback never brought back v1.3.2. 40 probe requests at 10/s during the drill, 3 failed.',
    );
    expect(text).toContain('Seconds with failed probe requests: 1.0 s (3 of 10).');
  });

  it('says no rehearsal ran when a threshold needs one, and is absent when nothing refers to it', () => {
    const none = sampleReportModel({ evidence: [] });
    expect(renderRollbackEvidence(none).join('\n')).toContain('⚠️ No rollback rehearsal in this run');
    none.evaluation = {
      ...none.evaluation,
      thresholds: none.evaluation.thresholds.filter((t) => !t.name.startsWith('drill.')),
    };
    expect(renderRollbackEvidence(none)).toEqual([]);
  });
});
