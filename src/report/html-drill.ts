import type { ReportModel } from '../model.js';
import { drillChart, drillTimeline, type DrillTimeline } from './charts.js';
import { esc } from './escape.js';
import { chartFigure } from './html-charts.js';

/**
 * The rollback drill in the HTML report: what the probe traffic saw while the
 * release was deployed and rolled back (requests, errors and p95 per second,
 * the drill's phases as shaded bands, version changes as markers), and a table
 * of the phases that reads without script. Rendered for `drill.rollback`
 * evidence carrying `data.timeline`; nothing otherwise.
 */
export function rollbackDrillSection(model: ReportModel): string {
  const drills = model.evidence
    .filter((e) => e.collector === 'drill.rollback')
    .map((e) => ({ e, d: drillTimeline(e.data) }))
    .filter((x): x is { e: (typeof model.evidence)[number]; d: DrillTimeline } => x.d !== undefined);
  if (drills.length === 0) return '';
  const blocks = drills.map(({ e, d }) => {
    const requests = d.timeline.reduce((a, b) => a + b.requests, 0);
    const errors = d.timeline.reduce((a, b) => a + b.errors, 0);
    const worst = Math.max(0, ...d.timeline.map((b) => b.p95 ?? 0));
    // The versions in the order the probes saw them: v1.3.2 → v1.4.0 → v1.3.2 is a rollback.
    const versions = d.timeline
      .flatMap((b) => (b.version ? [b.version] : []))
      .filter((v, i, all) => i === 0 || v !== all[i - 1]);
    const phases = d.phases
      .map((p) => {
        const inside = d.timeline.filter((b) => b.t >= p.startMs && b.t < p.endMs);
        const err = inside.reduce((a, b) => a + b.errors, 0);
        const req = inside.reduce((a, b) => a + b.requests, 0);
        return `<tr><td>${esc(p.name)}</td><td class="num">${secs(p.startMs)}</td><td class="num">${secs(p.endMs - p.startMs)}</td><td class="num">${req}</td><td class="num">${err}</td><td>${p.ok ? '<span class="pill met">ok</span>' : '<span class="pill unmet">failed</span>'}</td></tr>`;
      })
      .join('');
    return `<div class="drill"><p class="ev-summary">${esc(e.summary)}</p>
<p class="muted">${requests} probe requests · ${errors} failed${worst ? ` · worst p95 ${worst} ms` : ''}${versions.length ? ` · versions seen: ${versions.map((v) => `<code>${esc(v)}</code>`).join(' → ')}` : ''}</p>
${phases ? `<div class="table-scroll"><table class="phases"><thead><tr><th>Phase</th><th class="num">Starts at</th><th class="num">Took</th><th class="num">Probe requests</th><th class="num">Failed</th><th>Result</th></tr></thead><tbody>${phases}</tbody></table></div>` : ''}
<div class="charts">${chartFigure('Probe traffic through the drill', drillChart(d), 'requests and errors per second; p95 (ms) on the right axis; phases shaded', true)}</div></div>`;
  });
  return `<section class="card" id="rollback-drill"><h2>Rollback drill</h2>${blocks.join('\n')}</section>`;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
