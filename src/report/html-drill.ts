import type { ReportModel } from '../model.js';
import { drillChart, drillTimeline, type DrillTimeline } from './charts.js';
import { esc } from './escape.js';
import { chartFigure } from './html-charts.js';
import { rollbackFigures } from './rollback-figures.js';

/**
 * The rollback drill in the HTML report: what the probe traffic saw while the
 * release was deployed and rolled back (requests, errors and p95 per second,
 * the drill's phases as shaded bands, version changes as markers), and a table
 * of the phases that reads without script, with the figures the drill recorded
 * per phase (the same as the Markdown report's). Rendered for `drill.rollback`
 * evidence carrying `data.timeline`; nothing otherwise.
 */
export function rollbackDrillSection(model: ReportModel): string {
  const drills = model.evidence
    .filter((e) => e.collector === 'drill.rollback')
    .map((e) => ({ e, d: drillTimeline(e.data) }))
    .filter((x): x is { e: (typeof model.evidence)[number]; d: DrillTimeline } => x.d !== undefined);
  if (drills.length === 0) return '';
  const blocks = drills.map(({ e, d }) => {
    // Counts and versions come from the drill's phase detail (rollback-figures.ts), as in the Markdown report;
    // the 1-second buckets feed the chart only.
    const f = rollbackFigures(e);
    const num = (n: number | undefined): string => (n === undefined ? '<span class="muted">—</span>' : String(n));
    const phases = f.phases
      .map(
        (p) =>
          `<tr><td>${esc(p.name)}</td><td class="num">${secs(p.startMs)}</td><td class="num">${secs(p.endMs - p.startMs)}</td><td class="num">${num(p.requests)}</td><td class="num">${num(p.errors)}</td><td>${p.versions.length ? p.versions.map((v) => `<code>${esc(v)}</code>`).join(' → ') : '<span class="muted">—</span>'}</td><td>${p.ok ? '<span class="pill met">ok</span>' : '<span class="pill unmet">failed</span>'}</td></tr>`,
      )
      .join('');
    const traffic = [
      ...(f.requests !== undefined ? [`${f.requests} probe requests`] : []),
      ...(f.errors !== undefined ? [`${f.errors} failed`] : []),
      ...(f.worstP95 ? [`worst p95 ${f.worstP95} ms`] : []),
      ...(f.versions.length ? [`versions seen: ${f.versions.map((v) => `<code>${esc(v)}</code>`).join(' → ')}`] : []),
    ];
    return `<div class="drill"><p class="ev-summary">${esc(e.summary)}</p>
${traffic.length ? `<p class="muted">${traffic.join(' · ')}</p>` : ''}
${phases ? `<div class="table-scroll"><table class="phases"><thead><tr><th>Phase</th><th class="num">Starts at</th><th class="num">Took</th><th class="num">Probe requests</th><th class="num">Failed</th><th>Versions seen</th><th>Result</th></tr></thead><tbody>${phases}</tbody></table></div>` : ''}
<div class="charts">${chartFigure('Probe traffic through the drill', drillChart(d), 'requests and errors per second; p95 (ms) on the right axis; phases shaded', true)}</div></div>`;
  });
  return `<section class="card" id="rollback-drill"><h2>Rollback drill</h2>${blocks.join('\n')}</section>`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
