import type { ReportModel } from '../model.js';
import { latencyOverTime, percentileSpectrum, throughputOverTime, type ScenarioResult } from './charts.js';
import { esc } from './escape.js';
import { chartFigure } from './html-charts.js';

/**
 * The load section of the HTML report: per scenario, a table of the figures
 * (readable without script, on paper and to screen readers) and three uPlot
 * charts: latency percentiles per second, throughput with errors and dropped
 * iterations per second, and the percentile spectrum.
 */
export function loadSection(model: ReportModel): string {
  const load = model.evidence.find((e) => e.collector === 'load');
  const scenarios = (load?.data?.scenarios ?? {}) as Record<string, ScenarioResult>;
  const entries = Object.entries(scenarios).filter(([, r]) => r && typeof r === 'object' && r.latency);
  if (entries.length === 0) return '';
  const blocks = entries
    .map(([name, r]) => {
      const modelTag = r.corrected
        ? '<span class="type" title="open model: latency counts from each intended send time, so queueing is included (coordinated omission corrected)">latency from intended send time</span>'
        : '<span class="type not-corrected" title="closed model: a slow response delays the next request, so latency is service time and hides queueing (coordinated omission not corrected)">closed model · not corrected</span>';
      const st = r.serviceTime;
      const rows = [
        `<tr><th scope="row">${r.corrected ? 'latency' : 'service time'}</th>${cells(r.latency)}<td class="num">${group(r.requests)}</td><td class="num">${fmt(r.rps)}${r.offeredRps !== undefined ? ` <span class="muted">of ${fmt(r.offeredRps)} offered</span>` : ''}</td><td class="num">${group(r.errors)}</td><td class="num">${group(r.dropped)}</td></tr>`,
        ...(r.corrected && st
          ? [
              `<tr class="secondary"><th scope="row">service time</th>${cells(st)}<td colspan="4" class="muted">from the actual send; the gap to latency is queueing</td></tr>`,
            ]
          : []),
      ];
      const latencyNote = r.corrected
        ? 'corrected: from each intended send time'
        : 'closed model: service time, not corrected for coordinated omission';
      return `<div class="load-scenario"><h3>${esc(name)} <span class="type">${esc(r.executor)}</span> ${modelTag}${r.stoppedBy ? ` <span class="pill unmet">stopped: ${esc(r.stoppedBy)}</span>` : ''}${r.fallingBehind ? ` <span class="pill unmet" title="${esc(r.fallingBehind)}">falling behind: ${esc(r.fallingBehind)}</span>` : ''}${r.interrupted ? ` <span class="pill unmet" title="cut before their response at the end of the graceful stop or by Ctrl-C">interrupted ${group(r.interrupted)}</span>` : ''}</h3>
<div class="table-scroll"><table class="figures"><thead><tr><th></th><th class="num">p50</th><th class="num">p90</th><th class="num">p95</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th><th class="num">requests</th><th class="num">req/s</th><th class="num">errors</th><th class="num">dropped</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>
${charts(r, latencyNote)}</div></div>`;
    })
    .join('\n');
  return `<section class="card" id="load"><h2>Load test</h2>${blocks}<noscript><p class="muted">The charts need JavaScript; the tables carry the same figures.</p></noscript></section>`;
}

/** The scenario's charts; the time charts need a timeline and the spectrum at least one request. */
function charts(r: ScenarioResult, latencyNote: string): string {
  const figures: string[] = [];
  if (r.timeline?.length) {
    figures.push(chartFigure('Latency over time: p50, p95, p99 (ms)', latencyOverTime(r), latencyNote));
    figures.push(
      chartFigure(
        'Throughput, errors and dropped (per second)',
        throughputOverTime(r),
        'errors and dropped on the right axis',
      ),
    );
  }
  if (r.requests > 0) {
    const spectrum = percentileSpectrum(r);
    const from = spectrum.source === 'histogram' ? 'from the full latency histogram' : 'from the recorded percentiles';
    figures.push(chartFigure('Percentile spectrum (ms)', spectrum, from, true));
  }
  return figures.length ? `<div class="charts">${figures.join('')}</div>` : '';
}

function cells(p: ScenarioResult['latency']): string {
  return [p.p50, p.p90, p.p95, p.p99, p.p999, p.max].map((v) => `<td class="num">${ms(v)} ms</td>`).join('');
}

/** Milliseconds to at most three significant decimals: 0.412, 4.12, 41.2, 412. */
function ms(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const d = v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3;
  return group(Number(v.toFixed(d)).toString());
}

function fmt(v: number): string {
  return v === 0 ? '0' : v >= 100 ? group(Math.round(v)) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
}

/** 60720 → "60 720": thousands grouped with a thin space, the same in every locale. */
function group(n: number | string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}
