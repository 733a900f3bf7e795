import { describe, expect, it } from 'vitest';
import { sampleReportModel } from './fixture.js';
import { sampleAlarmEvidence, sampleRestoreEvidence, sampleSecurityEvidence } from './fixture-ops.js';
import { renderHtml } from './html.js';
import { alarmTestSection, restoreDrillSection } from './html-drills-ops.js';
import { securityHeadersSection } from './html-security.js';

const XSS = '<script>alert(1)</script>';

describe('HTML "Security headers" section', () => {
  it('renders the grade badge, the score and one row per test', () => {
    const html = securityHeadersSection(sampleReportModel({ evidence: [sampleSecurityEvidence()] }));
    expect(html).toContain('id="security-headers"');
    expect(html).toMatch(/aria-label="grade D"[^>]*var\(--bad-bg\)[^>]*>D</);
    expect(html).toContain('35<span class="muted"');
    expect(html).toContain('3 of 4 tests pass');
    expect(html.match(/<tr>/g)).toHaveLength(5); // header + 4 tests
    expect(html).toContain('<code>csp-not-implemented</code>');
    expect(html).toMatch(/<td class="num" style="color:var\(--bad\)">-25<\/td>/);
    expect(html).toMatch(/<td class="num" style="color:var\(--good\)">\+5<\/td>/);
  });
  it('colours an A+ green', () => {
    const ev = sampleSecurityEvidence({ data: { observatory: { score: 105, grade: 'A+', tests: [] } } });
    expect(securityHeadersSection(sampleReportModel({ evidence: [ev] }))).toMatch(/var\(--good-bg\)[^>]*>A\+</);
  });
  it('escapes every value', () => {
    const ev = sampleSecurityEvidence({
      data: {
        observatory: {
          score: 0,
          grade: XSS,
          tests: [{ name: XSS, result: XSS, modifier: -5, pass: false, description: XSS }],
        },
      },
    });
    const html = securityHeadersSection(sampleReportModel({ evidence: [ev] }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
  it('renders nothing without security evidence or without an observatory grade', () => {
    expect(securityHeadersSection(sampleReportModel({ evidence: [] }))).toBe('');
    expect(securityHeadersSection(sampleReportModel({ evidence: [sampleSecurityEvidence({ data: {} })] }))).toBe('');
  });
});

describe('HTML "Alarm test" section', () => {
  it('renders the timeline with the notification latencies', () => {
    const html = alarmTestSection(sampleReportModel({ evidence: [sampleAlarmEvidence()] }));
    expect(html).toContain('<h2>Alarm test <span class="pill met">passed</span></h2>');
    expect(html).toContain('alert id <code>golive-0123456789ab</code>');
    expect(html).toContain('deadline 60.0 s per notification');
    expect(html).toContain(
      '<tr><td>Firing notification received</td><td class="when">2026-11-22 11:00:01.300</td><td class="num">1.20 s</td><td><span class="pill met">ok</span></td></tr>',
    );
    expect(html).toContain('<td class="num">1.05 s</td>');
  });
  it('shows a failed test with the missing notification and the failed check', () => {
    const ev = sampleAlarmEvidence({
      status: 'fail',
      summary: 'no firing notification within 60 s of the test alert',
      checks: [
        { id: 'drill.alarm.trigger', status: 'pass', summary: 'posted' },
        { id: 'drill.alarm.firing', status: 'fail', summary: 'no firing notification within 60 s' },
        { id: 'drill.alarm.resolved', status: 'skipped', summary: 'not tested' },
      ],
      data: { provider: 'generic', testsResolve: true, timeline: { firedAt: '2026-11-22T11:00:00.100Z' } },
    });
    const html = alarmTestSection(sampleReportModel({ evidence: [ev] }));
    expect(html).toContain('<span class="pill unmet">failed</span></h2>');
    expect(html).toContain(
      '<tr><td>Firing notification received</td><td class="when"><span class="muted">—</span></td><td class="num"><span class="muted">—</span></td><td><span class="pill unmet">failed</span></td></tr>',
    );
    expect(html).toContain('<span class="pill partial">not tested</span>');
    expect(html).toContain('<code>drill.alarm.firing</code> no firing notification within 60 s');
  });
  it('leaves out the resolve steps when resolve is not tested', () => {
    const ev = sampleAlarmEvidence({ data: { provider: 'generic', testsResolve: false, timeline: {} } });
    expect(alarmTestSection(sampleReportModel({ evidence: [ev] }))).not.toContain('Alert resolved');
  });
  it('escapes every value', () => {
    const ev = sampleAlarmEvidence({
      status: 'fail',
      summary: XSS,
      checks: [{ id: XSS, status: 'fail', summary: XSS }],
      data: { provider: XSS, id: XSS, receiver: XSS, timeline: { firedAt: XSS } },
    });
    const html = alarmTestSection(sampleReportModel({ evidence: [ev] }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
  it('renders nothing when no alarm test ran', () => {
    expect(alarmTestSection(sampleReportModel({ evidence: [] }))).toBe('');
  });
});

describe('HTML "Backup and restore" section', () => {
  it('renders RTO, RPO with the newest backup, and one row per table', () => {
    const html = restoreDrillSection(sampleReportModel({ evidence: [sampleRestoreEvidence()] }));
    expect(html).toContain('<span class="pill unmet">failed</span></h2>');
    expect(html).toContain('<div class="tile-label">RTO</div><div class="tile-value">2.50 s</div>');
    expect(html).toContain('<div class="tile-label">RPO</div><div class="tile-value">30 min</div>');
    expect(html).toContain('<code>backups/nightly.dump</code>, written 2026-11-22 10:30:00.000 UTC');
    expect(html).toContain(
      '<tr><td><code>customers</code></td><td class="num">2</td><td class="num">2</td><td><span class="pill met">equal</span></td></tr>',
    );
    expect(html).toMatch(
      /<code>orders<\/code>.*<span class="pill unmet">differs<\/span><div class="reason">orders: 3 rows/,
    );
    expect(html).toContain('<span class="dot fail"></span><code>drill.restore.tables</code> 1 of 2 tables differ');
  });
  it('says what was not measured', () => {
    const ev = sampleRestoreEvidence({ status: 'error', metrics: [], data: {} });
    const html = restoreDrillSection(sampleReportModel({ evidence: [ev] }));
    expect(html).toContain('<span class="pill partial">could not run</span>');
    expect(html.match(/not measured/g)).toHaveLength(2);
    expect(html).not.toContain('<table>');
  });
  it('escapes every value', () => {
    const ev = sampleRestoreEvidence({
      summary: XSS,
      checks: [{ id: XSS, status: 'fail', summary: XSS }],
      data: {
        rpo: { newest: XSS, writtenAt: XSS },
        tables: [{ table: XSS, match: false, sourceRows: 1, restoredRows: 0, detail: XSS }],
      },
    });
    const html = restoreDrillSection(sampleReportModel({ evidence: [ev] }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
  it('renders nothing when no restore drill ran', () => {
    expect(restoreDrillSection(sampleReportModel({ evidence: [] }))).toBe('');
  });
});

describe('renderHtml with the ops sections', () => {
  it('places them after the drills and before the findings, and leaves them out when absent', () => {
    const evidence = [sampleSecurityEvidence(), sampleAlarmEvidence(), sampleRestoreEvidence()];
    const html = renderHtml(sampleReportModel({ evidence }));
    const ids = ['id="alarm-test"', 'id="restore-drill"', 'id="security-headers"'].map((id) => html.indexOf(id));
    expect(ids.every((i) => i > 0)).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const bare = renderHtml(sampleReportModel({ evidence: [] }));
    expect(bare).not.toContain('id="alarm-test"');
    expect(bare).not.toContain('id="restore-drill"');
    expect(bare).not.toContain('id="security-headers"');
  });
});
