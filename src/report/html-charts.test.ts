import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import type { Evidence, ReportModel } from '../model.js';
import type { ChartSpec, ScenarioResult } from './charts.js';
import { sampleReportModel } from './fixture.js';
import { sampleRollbackDrill } from './fixture-drill.js';
import { renderHtml } from './html.js';

/** The chart specs of a rendered page, with the figure caption each belongs to. */
function charts(html: string): Array<{ title: string; spec: ChartSpec }> {
  return [
    ...html.matchAll(
      /<figcaption>(.*?)<\/figcaption><div class="chart-host"[^>]*><\/div><script type="application\/json" class="golive-chart">(.*?)<\/script>/g,
    ),
  ].map((m) => ({ title: m[1]!, spec: JSON.parse(m[2]!) as ChartSpec }));
}

function withDrill(e: Evidence): ReportModel {
  const m = sampleReportModel();
  m.evidence = [...m.evidence.filter((x) => x.collector !== 'drill.rollback'), e];
  return m;
}

describe('load charts in the html report', () => {
  const html = renderHtml(sampleReportModel());

  it('draws latency, throughput and the percentile spectrum per scenario, with a table readable without script', () => {
    const c = charts(html);
    expect(c.map((x) => x.title)).toEqual([
      'Latency over time: p50, p95, p99 (ms) <span class="chart-note">corrected: from each intended send time</span>',
      'Throughput, errors and dropped (per second) <span class="chart-note">errors and dropped on the right axis</span>',
      'Percentile spectrum (ms) <span class="chart-note">from the recorded percentiles</span>',
    ]);
    const [latency, throughput, spectrum] = c.map((x) => x.spec);
    expect(latency!.x).toHaveLength(60);
    expect(latency!.series.map((s) => s.label)).toEqual(['p50', 'p95', 'p99']);
    expect(throughput!.series.map((s) => s.label)).toEqual(['requests', 'errors', 'dropped']);
    expect(spectrum!.kind).toBe('spectrum');
    expect(html).toContain('<th scope="row">latency</th><td class="num">41 ms</td><td class="num">112 ms</td>');
    expect(html).toContain('<th scope="row">service time</th><td class="num">41 ms</td>');
    expect(html).toContain('<noscript><p class="muted">The charts need JavaScript');
    expect(html).toContain('<noscript><style>.chart{display:none}</style></noscript>');
    expect(html).toContain('latency from intended send time</span>');
    expect(html).not.toContain('not corrected');
  });

  it('marks a closed-model scenario as not corrected', () => {
    const m = sampleReportModel();
    const load = m.evidence[0]!;
    const checkout = (load.data!.scenarios as Record<string, object>).checkout!;
    load.data = { scenarios: { closed: { ...checkout, executor: 'constant-vus', corrected: false } } };
    const out = renderHtml(m);
    expect(out).toContain('<span class="type not-corrected"');
    expect(out).toContain('closed model · not corrected');
    expect(out).toContain('closed model: service time, not corrected for coordinated omission');
    expect(out).toContain('<th scope="row">service time</th>');
    expect(out).not.toContain('<th scope="row">latency</th>');
    expect(charts(out)[0]!.spec.yLabel).toBe('service time, ms (not corrected)');
  });

  it('draws the spectrum from the encoded histograms when the evidence carries them', () => {
    const h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
    });
    for (let i = 1; i <= 500; i++) h.recordValue(i * 1000);
    const m = sampleReportModel();
    const checkout = (m.evidence[0]!.data!.scenarios as Record<string, ScenarioResult>).checkout!;
    const encoded = hdr.encodeIntoCompressedBase64(h);
    checkout.histograms = { latency: encoded, serviceTime: encoded };
    const spectrum = charts(renderHtml(m)).find((c) => c.spec.kind === 'spectrum')!;
    expect(spectrum.title).toContain('from the full latency histogram');
    expect(spectrum.spec.x.at(-1)).toBe(500);
    expect(spectrum.spec.series[0]!.values.at(-1)).toBeCloseTo(500, 0);
  });

  it('leaves out the charts a scenario has no data for', () => {
    const m = sampleReportModel();
    const checkout = (m.evidence[0]!.data!.scenarios as Record<string, ScenarioResult>).checkout!;
    checkout.timeline = [];
    expect(charts(renderHtml(m)).map((c) => c.spec.kind)).toEqual(['spectrum']);
    checkout.requests = 0;
    const out = renderHtml(m);
    expect(charts(out)).toEqual([]);
    expect(out).toContain('id="load"'); // the figures table stays
    expect(out).not.toContain('<script');
  });

  it('escapes scenario names and keeps model text from ending a script', () => {
    const m = sampleReportModel();
    const load = m.evidence[0]!;
    const checkout = (load.data!.scenarios as Record<string, object>).checkout!;
    const evil = '</script><img src=x onerror=alert(1)>';
    load.data = { scenarios: { [evil]: { ...checkout, stoppedBy: evil } } };
    const out = renderHtml(m);
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('rollback drill in the html report', () => {
  it('draws the probe traffic with the phases as bands and lists the phases in a table', () => {
    const out = renderHtml(withDrill(sampleRollbackDrill()));
    expect(out).toContain('<section class="card" id="rollback-drill"><h2>Rollback drill</h2>');
    expect(out.indexOf('id="load"')).toBeLessThan(out.indexOf('id="rollback-drill"'));
    expect(out.indexOf('id="rollback-drill"')).toBeLessThan(out.indexOf('id="findings"'));
    const drill = charts(out).find((c) => c.title.startsWith('Probe traffic'))!;
    expect(drill.spec.x).toHaveLength(30);
    expect(drill.spec.bands!.map((b) => [b.label, b.from, b.to])).toEqual([
      ['deploy', 1, 5.2],
      ['verify-new', 5.2, 12],
      ['rollback', 12, 15.2],
      ['settle', 15.2, 30],
    ]);
    expect(drill.spec.markers!.map((m) => m.label)).toEqual(['v1.3.2', 'v1.4.0', 'v1.3.2']);
    expect(out).toContain('291 probe requests · 9 failed · worst p95 210 ms');
    expect(out).toContain('versions seen: <code>v1.3.2</code> → <code>v1.4.0</code> → <code>v1.3.2</code>');
    expect(out).toContain(
      '<tr><td>rollback</td><td class="num">12 s</td><td class="num">3.2 s</td><td class="num">23</td><td class="num">9</td><td><code>v1.4.0</code> → <code>v1.3.2</code></td><td><span class="pill met">ok</span></td></tr>',
    );
  });

  it('marks a failed phase', () => {
    const e = sampleRollbackDrill();
    (e.data!.phases as Array<{ ok: boolean }>)[2]!.ok = false;
    const out = renderHtml(withDrill(e));
    expect(out).toContain('<td>rollback</td>');
    expect(out).toContain('<span class="pill unmet">failed</span>');
    expect(charts(out).find((c) => c.title.startsWith('Probe traffic'))!.spec.bands![2]!.ok).toBe(false);
  });

  it('renders nothing for a drill without a timeline', () => {
    expect(renderHtml(sampleReportModel())).not.toContain('id="rollback-drill"'); // the sample drill errored
    expect(renderHtml(withDrill(sampleRollbackDrill({ data: { phases: [] } })))).not.toContain('id="rollback-drill"');
  });

  it('escapes phase names and versions, in the table and in the chart data', () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const e = sampleRollbackDrill({ summary: evil });
    (e.data!.phases as Array<{ name: string }>)[0]!.name = evil;
    (e.data!.timeline as Array<{ version: string }>)[0]!.version = evil;
    const out = renderHtml(withDrill(e));
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/<\/script><img/);
    expect(out).toContain('<td>&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</td>');
    const drill = charts(out).find((c) => c.title.startsWith('Probe traffic'))!;
    expect(drill.spec.bands![0]!.label).toBe(evil);
    expect(drill.spec.markers![0]!.label).toBe(evil);
  });
});
