import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleReportModel } from './fixture.js';
import { renderHtml, sections, type HtmlSection } from './html.js';
import { UPLOT_VERSION } from './uplot-asset.js';

const model = sampleReportModel();
const html = renderHtml(model);

describe('html report', () => {
  it('is one self-contained file: inline style and script only, nothing fetched', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).not.toMatch(/<link|<img|<iframe|<object|<embed|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|href|action|srcset|xlink:href)\s*=/i);
    expect(html).not.toMatch(/\bimport\s*\(|fetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/);
    // Every script is inline: uPlot, the chart code, and chart data as JSON.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.filter((a) => a === '')).toHaveLength(2);
    expect(scripts.filter((a) => a !== '').every((a) => a === ' type="application/json" class="golive-chart"')).toBe(
      true,
    );
    expect(html).toContain(`uPlot v${UPLOT_VERSION} · MIT License`);
    expect(html.match(/var uPlot=function/g)).toHaveLength(1);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    expect(html).toContain('@media print');
  });

  it('has no script at all when there is nothing to chart', () => {
    const m = sampleReportModel();
    m.evidence = m.evidence.filter((e) => e.collector !== 'load');
    const out = renderHtml(m);
    expect(out).not.toMatch(/<script|uPlot/);
    expect(out).not.toContain('id="load"');
    expect(out).not.toContain('id="rollback-drill"');
  });

  it('only mentions http(s) URLs as escaped text taken from the model', () => {
    const urls = html.match(/https?:\/\/[^\s<"]+/g) ?? [];
    const allowed = [
      'https://json-schema.org',
      'http://127.0.0.1:8080',
      'https://evil.example',
      'https://wiki.example.com',
      'https://github.com/leeoniya/uPlot', // the licence banner of the inlined uPlot
    ];
    for (const u of urls)
      expect(
        allowed.some((a) => u.startsWith(a)),
        u,
      ).toBe(true);
  });

  it('escapes every piece of model text', () => {
    const evil = '<script>alert(1)</script>';
    const m = sampleReportModel({ run: { ...model.run, service: evil, release: '"><img src=x onerror=alert(1)>' } });
    const c = m.evaluation.criteria[0]!;
    m.evaluation = {
      ...m.evaluation,
      criteria: [{ ...c, title: evil, parts: [{ ...c.parts[0]!, state: 'pass', detail: evil }] }],
      readiness: { ready: false, blocking: [evil] },
    };
    m.findings = [{ ...m.findings[0]!, title: evil, fingerprint: `"${evil}` }];
    m.evidence = [
      { ...m.evidence[1]!, collector: evil, summary: evil, checks: [{ id: evil, status: 'fail', summary: evil }] },
    ];
    const out = renderHtml(m);
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows the verdict, the meta, the tiles and the blocking items', () => {
    expect(html).toContain('<header class="hero bad">');
    expect(html).toContain('<div class="badge">NO-GO</div>');
    expect(html).toContain(`<code>${SAMPLE.runId}</code>`);
    expect(html).toContain('sha256:3b1f0c9e8d7a');
    expect(html).toContain('<b>v1.4.0-rc.3</b>');
    expect(html).toContain('Criteria met or waived</div><div class="tile-value">3<small> / 7</small>');
    expect(html).toContain('Thresholds passing</div><div class="tile-value">4<small> / 7</small>');
    expect(html).toContain('Required sign-offs</div><div class="tile-value">1<small> / 5</small>');
    expect(html).toContain('Blocking items <span class="count">7</span>');
  });

  it('says READY / NOT READY when no decision was recorded', () => {
    expect(renderHtml(sampleReportModel({ decision: undefined }))).toContain('<div class="badge">NOT READY</div>');
    const ready = sampleReportModel({ decision: undefined });
    ready.evaluation = { ...ready.evaluation, readiness: { ready: true, blocking: [] } };
    const out = renderHtml(ready);
    expect(out).toContain('<header class="hero good">');
    expect(out).toContain('<div class="badge">READY</div>');
    expect(out).not.toContain('Blocking items');
  });

  it('renders the matrix with status pills, the thresholds, evidence, sign-offs and decision', () => {
    expect(html).toContain('<th>Item</th><th>Type</th><th>Status</th><th>Evidence</th><th>Notes</th>');
    expect(html.match(/<td class="status">/g)).toHaveLength(8);
    expect(html).toContain('<td class="status"><span class="pill partial">Partial</span></td>');
    expect(html).toContain('<span class="pill unverified">Unverified</span><span class="pill waived">waived</span>');
    expect(html).toContain('<span class="pill unmet">Unmet</span>');
    expect(html).toContain('<code>&lt; 0.1%</code> <span class="pill amended"');
    expect(html).toContain('<span class="pill unverified">no-data</span>');
    expect(html.match(/<details/g)).toHaveLength(5);
    expect(html).toContain('<details><summary>'); // passing collector starts collapsed
    expect(html).toContain('./deploy.sh v1.4.0 exited 127: command not found');
    expect(html).toContain('<td class="muted">— awaiting</td>');
    expect(html).toContain('<span class="pill unverified">stale</span>');
    expect(html).toContain('<span class="pill unmet">expired</span><div class="reason">no longer counts</div>');
    expect(html).toContain(SAMPLE.recordHash);
    expect(html).toContain(`audit head before this decision <code>${SAMPLE.auditHead}</code>`);
  });

  it('takes its body sections from a list that later capabilities extend', () => {
    expect(sections.map((s) => s.id)).toEqual([
      'summary',
      'blocking',
      'matrix',
      'thresholds',
      'load',
      'rollback-drill',
      'alarm-test',
      'restore-drill',
      'security-headers',
      'findings',
      'evidence',
      'signoffs',
      'decision',
      'changes',
      'risks',
    ]);
    const extra: HtmlSection = { id: 'chart', render: () => '<section class="card" id="chart">chart</section>' };
    const out = renderHtml(model, { sections: [sections[0]!, extra] });
    expect(out).toContain('id="chart">chart</section>');
    expect(out).not.toContain('id="matrix"');
  });
});

describe('html report: what the gate says, rendered as it says it', () => {
  it('shows a non-goal with its own "Out of scope" pill, never a green Met, and does not count it', () => {
    const row = /<tr class="nongoal">.*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain('<span class="pill out-of-scope">Out of scope</span>');
    expect(row).not.toContain('pill met');
    // 7 criteria and a non-goal in the sample; the non-goal is not among those counted.
    expect(html).toMatch(/Criteria met or waived<\/div><div class="tile-value">\d+<small> \/ 7<\/small>/);
  });

  it("renders the gate's sign-off rows and counts, never re-picking them", () => {
    const m = sampleReportModel();
    const rows = m.signoffStatus.rows.map((r) => ({ ...r, state: 'go' as const }));
    const out = renderHtml({ ...m, signoffStatus: { rows, required: 5, signed: 5 } });
    expect(out).toMatch(/Required sign-offs<\/div><div class="tile-value">5<small> \/ 5<\/small>/);
    expect(renderHtml(m)).toMatch(/Required sign-offs<\/div><div class="tile-value">1<small> \/ 5<\/small>/);
  });
});
