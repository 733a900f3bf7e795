import type { ReportModel } from '../model.js';
import type { LoadResult, TimelineRow } from '../load/stats.js';
import { esc } from './escape.js';

/**
 * The load section of the HTML report: per scenario, the figures and two
 * inline SVG charts (latency percentiles and throughput over time). Plain SVG,
 * drawn here, so the report stays one file with no script.
 */
export function loadSection(model: ReportModel): string {
  const load = model.evidence.find((e) => e.collector === 'load');
  const scenarios = (load?.data?.scenarios ?? {}) as Record<string, Omit<LoadResult, 'histograms'>>;
  const entries = Object.entries(scenarios);
  if (entries.length === 0) return '';
  const blocks = entries
    .map(([name, r]) => {
      const t = r.timeline;
      return `<div class="load-scenario"><h3>${esc(name)} <span class="type">${esc(r.executor)}${r.corrected ? ' · latency from intended send time' : ' · closed model, not corrected'}</span></h3>
<table class="figures"><thead><tr><th class="num">requests</th><th class="num">req/s</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th><th class="num">errors</th><th class="num">dropped</th></tr></thead>
<tbody><tr><td class="num">${group(r.requests)}</td><td class="num">${fmt(r.rps)}</td>${[r.latency.p50, r.latency.p95, r.latency.p99, r.latency.p999, r.latency.max].map((v) => `<td class="num">${v} ms</td>`).join('')}<td class="num">${group(r.errors)}</td><td class="num">${group(r.dropped)}</td></tr></tbody></table>
<div class="charts">${lineChart('Latency over time (ms)', t, [
        ['p50', '#2f5bd3', (x) => x.p50],
        ['p95', '#9a6700', (x) => x.p95],
        ['p99', '#b42318', (x) => x.p99],
      ])}${lineChart('Throughput (req/s) and errors', t, [
        ['req/s', '#137a42', (x) => x.rps],
        ['errors', '#b42318', (x) => x.errors],
        ['dropped', '#7a0916', (x) => x.dropped],
      ])}</div></div>`;
    })
    .join('\n');
  return `<section class="card" id="load"><h2>Load test</h2>${blocks}</section>`;
}

type Series = [label: string, color: string, value: (row: TimelineRow) => number];

/** A small line chart of per-second values; x is the second since the start. */
export function lineChart(title: string, rows: TimelineRow[], series: Series[]): string {
  const W = 520;
  const H = 180;
  const pad = { l: 44, r: 10, t: 12, b: 24 };
  const n = Math.max(rows.length, 2);
  const max = niceMax(Math.max(1e-9, ...rows.flatMap((r) => series.map(([, , f]) => f(r)))));
  const x = (i: number): number => pad.l + (i / (n - 1)) * (W - pad.l - pad.r);
  const y = (v: number): number => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" class="grid"/><text x="${pad.l - 4}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end">${fmt(max * f)}</text>`,
    )
    .join('');
  const lines = series
    .map(
      ([, color, f]) =>
        `<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${rows.map((r, i) => `${x(i).toFixed(1)},${y(f(r)).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map(([label, color]) => `<span><i style="background:${color}"></i>${esc(label)}</span>`)
    .join('');
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${grid}${lines}<text x="${pad.l}" y="${H - 6}">0 s</text><text x="${W - pad.r}" y="${H - 6}" text-anchor="end">${rows.length} s</text></svg><div class="legend">${legend}</div></figure>`;
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function fmt(v: number): string {
  return v === 0 ? '0' : v >= 100 ? group(Math.round(v)) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
}

/** 60720 → "60 720": thousands grouped with a thin space, the same in every locale. */
function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}
