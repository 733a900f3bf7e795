import { describe, expect, it } from 'vitest';
import type { Evidence } from '../model.js';
import { sampleReportModel } from './fixture.js';
import { sampleAlarmEvidence } from './fixture-ops.js';
import { renderMarkdown } from './markdown.js';

// The alarm evidence as drill.alarm records it (shared with the HTML section's tests).
const alarm = sampleAlarmEvidence;

const section = (md: string, title: string): string => {
  const start = md.indexOf(`## ${title}\n`);
  if (start < 0) return '';
  const next = md.indexOf('\n## ', start + 3);
  return md.slice(start, next < 0 ? undefined : next);
};

describe('markdown "Alarm test" section', () => {
  it('shows the timeline of a passed alarm test', () => {
    const md = renderMarkdown(sampleReportModel({ evidence: [alarm()] }));
    const s = section(md, 'Alarm test');
    expect(s).toContain('**Passed**: test alert notified in 1.20 s');
    expect(s).toContain('alert id `golive-0123456789ab`');
    expect(s).toContain('| Firing notification received | 2026-11-22 11:00:01.300 | 1.20 s | ✔ |');
    expect(s).toContain('| Resolved notification received | 2026-11-22 11:00:02.450 | 1.05 s | ✔ |');
  });
  it('says which notification never came', () => {
    const ev = alarm({
      status: 'fail',
      summary: 'no firing notification within 60 s of the test alert',
      checks: [
        { id: 'drill.alarm.trigger', status: 'pass', summary: 'posted' },
        { id: 'drill.alarm.firing', status: 'fail', summary: 'no firing notification within 60 s' },
        { id: 'drill.alarm.resolved', status: 'skipped', summary: 'not tested' },
      ],
      data: { provider: 'generic', testsResolve: true, timeline: { firedAt: '2026-11-22T11:00:00.100Z' } },
    });
    const s = section(renderMarkdown(sampleReportModel({ evidence: [ev] })), 'Alarm test');
    expect(s).toContain('**Failed**');
    expect(s).toContain('| Firing notification received | — | — | ✖ |');
    expect(s).toContain('| Resolved notification received | — | — | – not tested |');
    expect(s).toContain('- ✖ `drill.alarm.firing`: no firing notification within 60 s');
  });
  it('is there even when no alarm test ran, saying so', () => {
    const s = section(renderMarkdown(sampleReportModel({ evidence: [] })), 'Alarm test');
    expect(s).toMatch(/No alarm test ran/);
  });
  it('adds restore evidence: RTO, RPO and the tables compared', () => {
    const restore: Evidence = {
      collector: 'drill.restore',
      status: 'fail',
      summary: 'restore drill failed',
      startedAt: '2026-11-22T11:00:00.000Z',
      endedAt: '2026-11-22T11:00:04.000Z',
      metrics: [
        { name: 'drill.restore.rto', value: 2500, unit: 'ms' },
        { name: 'drill.restore.rpo', value: 1_800_000, unit: 'ms' },
      ],
      checks: [{ id: 'drill.restore.tables', status: 'fail', summary: '1 of 2 tables differ' }],
      findings: [],
      artifacts: [],
      data: {
        rpo: { newest: 'backups/nightly.dump', writtenAt: '2026-11-22T10:30:00.000Z' },
        tables: [
          { table: 'orders', sourceRows: 3, restoredRows: 3, match: false, detail: 'orders: data differs' },
          { table: 'customers', sourceRows: 2, restoredRows: 2, match: true, detail: 'equal' },
        ],
      },
    };
    const s = section(renderMarkdown(sampleReportModel({ evidence: [restore] })), 'Backup and restore');
    expect(s).toContain('RTO (restore duration): 2.50 s');
    expect(s).toContain(
      'RPO (age of the newest backup): 30 min (`backups/nightly.dump`, written 2026-11-22 10:30:00.000 UTC)',
    );
    expect(s).toContain('| `orders` | 3 | 3 | ✖ orders: data differs |');
    expect(s).toContain('| `customers` | 2 | 2 | ✔ equal |');
  });
});
