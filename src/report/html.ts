import type { CriterionStatus, ReportModel, ThresholdResult } from '../model.js';
import { esc } from './escape.js';
import { loadSection } from './html-load.js';
import { findingsScanned, signoffRows, verdict } from './verdict.js';

export { esc };

/**
 * The HTML report: one self-contained file (inline CSS, no scripts, fonts or
 * images from anywhere), readable on screen and on paper. Every piece of model
 * text goes through `esc`.
 *
 * Sections are functions of the model, listed in `sections`; later capabilities
 * (load charts, findings tables, drill timelines) add theirs to that list.
 */
export type HtmlSection = (model: ReportModel) => string;

export const sections: HtmlSection[] = [
  summaryTiles,
  blockingSection,
  matrixSection,
  thresholdSection,
  loadSection,
  findingsSection,
  evidenceSection,
  signoffSection,
  decisionSection,
  changesSection,
  risksSection,
];

export function renderHtml(model: ReportModel): string {
  const { run } = model;
  const v = verdict(model);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(`${v.label} · ${run.service} ${run.release} · golive`)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="hero ${v.good ? 'good' : 'bad'}">
  <div>
    <p class="eyebrow">Go-live gate</p>
    <h1>${esc(run.service)} <span class="release">${esc(run.release)}</span></h1>
    <dl class="meta">
      <div><dt>Run</dt><dd><code>${esc(run.id)}</code></dd></div>
      <div><dt>Target</dt><dd>${esc(run.baseUrl)}${run.targetVersion ? ` reports <b>${esc(run.targetVersion)}</b>` : ''}</dd></div>
      <div><dt>Spec</dt><dd><code>${esc(run.specHash.slice(0, 19))}</code></dd></div>
      <div><dt>Started</dt><dd>${esc(run.startedAt.replace('T', ' ').slice(0, 19))} UTC${run.status === 'incomplete' ? ' · <b>incomplete</b>' : ''}</dd></div>
    </dl>
  </div>
  <div class="badge">${esc(v.label)}</div>
</header>
${sections.map((s) => s(model)).join('\n')}
<footer>golive · report generated ${esc(model.generatedAt)} · spec <code>${esc(run.specHash)}</code>${model.decision ? ` · audit head <code>${esc(model.decision.auditHead || '(empty)')}</code>` : ''}</footer>
</main>
</body>
</html>
`;
}

function summaryTiles(model: ReportModel): string {
  const { evaluation } = model;
  const counted = evaluation.criteria.filter((c) => c.type !== 'Non-goal');
  const met = counted.filter((c) => c.status === 'Met' || c.waiver).length;
  const passing = evaluation.thresholds.filter((t) => t.outcome === 'pass').length;
  const f = evaluation.findings;
  const rows = signoffRows(model).filter((r) => r.required);
  const signed = rows.filter((r) => r.current && r.signoff?.decision === 'go').length;
  const tile = (label: string, value: string, ok: boolean, sub: string): string =>
    `<div class="tile ${ok ? 'ok' : 'warn'}"><div class="tile-value">${value}</div><div class="tile-label">${esc(label)}</div><div class="tile-sub">${esc(sub)}</div></div>`;
  return `<section class="tiles">
${tile('Criteria met or waived', `${met}<small>/${counted.length}</small>`, met === counted.length, 'AC and DoD rows')}
${tile('Thresholds passing', `${passing}<small>/${evaluation.thresholds.length}</small>`, passing === evaluation.thresholds.length, 'written before execution')}
${findingsScanned(model) ? tile('Critical · High findings', `${f.critical} · ${f.high}`, f.critical + f.high === 0, `${f.medium} medium · ${f.low} low · ${f.info} info`) : tile('Findings', '—', false, 'not looked for in this run')}
${tile('Sign-offs', `${signed}<small>/${rows.length}</small>`, rows.length > 0 && signed === rows.length, 'required roles signed go')}
</section>`;
}

function blockingSection(model: ReportModel): string {
  const b = model.evaluation.readiness.blocking;
  if (b.length === 0) return '';
  return `<section class="card blocking"><h2>Blocking items <span class="count">${b.length}</span></h2><ul>${b.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></section>`;
}

function matrixSection(model: ReportModel): string {
  const rows = model.evaluation.criteria
    .map((c) => {
      const notes = [
        c.notes,
        c.waiver
          ? `Waived by ${c.waiver.by}${c.waiver.expiresAt ? ` until ${c.waiver.expiresAt.slice(0, 10)}` : ''}: ${c.waiver.reason}`
          : undefined,
      ].filter(Boolean) as string[];
      return `<tr><td><span class="id">${esc(c.id)}</span> ${esc(c.title)}</td><td><span class="type">${esc(c.type)}</span></td><td>${pill(c.status)}${c.waiver ? ' <span class="pill waived">waived</span>' : ''}</td><td class="evidence"><ul>${c.parts.map((p) => `<li class="part ${p.state}">${esc(p.detail)}</li>`).join('') || '<li>—</li>'}</ul></td><td>${notes.map(esc).join('<br>') || '—'}</td></tr>`;
    })
    .join('\n');
  return `<section class="card"><h2>AC/DoD coverage matrix</h2>
<table class="matrix"><thead><tr><th>Item</th><th>Type</th><th>Status</th><th>Evidence</th><th>Notes</th></tr></thead><tbody>
${rows || '<tr><td colspan="5">No criteria in the spec.</td></tr>'}
</tbody></table></section>`;
}

function thresholdSection(model: ReportModel): string {
  const t = model.evaluation.thresholds;
  if (t.length === 0) return '';
  const rows = t
    .map(
      (x) =>
        `<tr><td><code>${esc(x.name)}</code></td><td><code>${esc(x.expr)}</code>${x.amended ? ' <span class="pill waived">amended</span>' : ''}</td><td class="num">${esc(x.display ?? '—')}</td><td>${outcomePill(x)}${x.outcome !== 'pass' && x.reason ? `<div class="reason">${esc(x.reason)}</div>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<section class="card"><h2>Numeric exit thresholds</h2>
<table><thead><tr><th>Metric</th><th>Threshold</th><th class="num">Measured</th><th>Result</th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
}

function findingsSection(model: ReportModel): string {
  const f = model.evaluation.findings;
  const list = model.findings
    .map(
      (x) =>
        `<tr><td><span class="sev ${x.severity}">${esc(x.severity)}</span></td><td><code>${esc(x.rule)}</code></td><td>${esc(x.location)}</td><td>${esc(x.title)}${x.remediation ? `<div class="reason">${esc(x.remediation)}</div>` : ''}</td><td><code>${esc(x.fingerprint.slice(0, 12))}</code></td></tr>`,
    )
    .join('\n');
  return `<section class="card"><h2>Findings</h2>
${findingsScanned(model) ? `<p class="sevs">${(['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => `<span class="sev ${s}">${s} ${f[s]}</span>`).join(' ')}</p>` : '<p class="muted">Not looked for in this run: no probe or scan collector ran, so <code>findings.*</code> thresholds have no data.</p>'}
${list ? `<table><thead><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Finding</th><th>Fingerprint</th></tr></thead><tbody>${list}</tbody></table>` : findingsScanned(model) ? '<p class="muted">No findings recorded in this run.</p>' : ''}
</section>`;
}

function evidenceSection(model: ReportModel): string {
  const items = model.evidence
    .map(
      (
        e,
      ) => `<details${e.status === 'pass' ? '' : ' open'}><summary>${statusDot(e.status)} <b>${esc(e.collector)}</b> — ${esc(e.summary)}</summary>
<ul class="checks">${e.checks.map((c) => `<li>${statusDot(c.status)} <code>${esc(c.id)}</code> ${esc(c.summary)}</li>`).join('')}${e.artifacts.map((a) => `<li>📎 ${esc(a.name)}: <code>${esc(a.path)}</code></li>`).join('')}${e.error ? `<li class="reason">${esc(e.error)}</li>` : ''}</ul></details>`,
    )
    .join('\n');
  return `<section class="card"><h2>Evidence</h2>${items || '<p class="muted">No evidence collected.</p>'}</section>`;
}

function signoffSection(model: ReportModel): string {
  const rows = signoffRows(model)
    .map((r) => {
      const s = r.signoff;
      if (!s)
        return `<tr><td>${esc(r.role)}</td><td>${esc(r.owner)}</td><td colspan="3" class="muted">awaiting sign-off</td></tr>`;
      return `<tr><td>${esc(r.role)}</td><td>${esc(r.owner)}</td><td>${esc(s.by)}</td><td><span class="pill ${s.decision === 'go' ? 'met' : 'unmet'}">${esc(s.decision)}</span>${s.comment ? `<div class="reason">${esc(s.comment)}</div>` : ''}${r.current ? '' : '<div class="reason">stale: signed on an earlier run or spec</div>'}</td><td>${esc(s.createdAt.replace('T', ' ').slice(0, 16))}</td></tr>`;
    })
    .join('\n');
  return `<section class="card"><h2>Sign-offs</h2>
<table><thead><tr><th>Role</th><th>Owner</th><th>Signed by</th><th>Decision</th><th>When (UTC)</th></tr></thead><tbody>${rows || '<tr><td colspan="5" class="muted">No sign-off roles in the spec.</td></tr>'}</tbody></table></section>`;
}

function decisionSection(model: ReportModel): string {
  const d = model.decision;
  if (!d)
    return `<section class="card"><h2>Decision</h2><p class="muted">No decision recorded yet — <code>golive decide --by NAME</code>.</p></section>`;
  return `<section class="card"><h2>Decision</h2>
<p><span class="pill ${d.decision === 'GO' ? 'met' : 'unmet'} big">${esc(d.decision)}</span> by <b>${esc(d.by)}</b> at ${esc(d.createdAt)}</p>
${d.reasons.length ? `<ul>${d.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}
<p class="hashes">record <code>${esc(d.recordHash)}</code><br>audit head <code>${esc(d.auditHead || '(empty)')}</code></p></section>`;
}

function changesSection(model: ReportModel): string {
  const expired = new Set(model.evaluation.expiredWaivers.map((w) => w.id));
  const am = model.amendments.map(
    (a) =>
      `<li>Threshold <code>${esc(a.threshold)}</code>: <code>${esc(a.from ?? '(none)')}</code> → <code>${esc(a.to ?? '(removed)')}</code> by ${esc(a.by)} on ${esc(a.createdAt.slice(0, 10))} — ${esc(a.reason)}</li>`,
  );
  const wv = model.waivers.map(
    (w) =>
      `<li>${esc(`${w.subject} ${w.subjectId}`)} waived by ${esc(w.by)}${w.expiresAt ? ` until ${esc(w.expiresAt.slice(0, 10))}` : ''} — ${esc(w.reason)}${expired.has(w.id) ? ' <span class="pill unmet">expired: no longer counts</span>' : ''}</li>`,
  );
  if (am.length + wv.length === 0) return '';
  return `<section class="card"><h2>Amendments and waivers</h2><ul>${[...am, ...wv].join('')}</ul></section>`;
}

function risksSection(model: ReportModel): string {
  const r = model.evaluation.residualRisks;
  return `<section class="card"><h2>Residual risks</h2>${r.length ? `<ul>${r.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '<p class="muted">None recorded.</p>'}</section>`;
}

function pill(status: CriterionStatus): string {
  return `<span class="pill ${status.toLowerCase()}">${esc(status)}</span>`;
}

function outcomePill(t: ThresholdResult): string {
  const cls = t.outcome === 'pass' ? 'met' : t.outcome === 'no-data' ? 'unverified' : 'unmet';
  return `<span class="pill ${cls}">${esc(t.outcome)}</span>`;
}

function statusDot(status: string): string {
  return `<span class="dot ${esc(status)}" aria-label="${esc(status)}"></span>`;
}

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1c2330;--muted:#5d6878;--line:#e3e7ed;--good:#137a42;--good-bg:#e3f5ea;--bad:#b42318;--bad-bg:#fdecea;--warn:#9a6700;--warn-bg:#fff4d6;--accent:#2f5bd3}
@media (prefers-color-scheme:dark){:root{--bg:#11151c;--card:#19202a;--ink:#e6eaf0;--muted:#9aa5b5;--line:#2a3340;--good:#4cc38a;--good-bg:#12301f;--bad:#ff6b5e;--bad-bg:#3a1714;--warn:#e3b341;--warn-bg:#33290f;--accent:#7aa2ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 40px}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:color-mix(in srgb,var(--line) 55%,transparent);padding:1px 5px;border-radius:4px;word-break:break-all}
.hero{display:flex;justify-content:space-between;align-items:center;gap:24px;background:var(--card);border:1px solid var(--line);border-left:8px solid var(--bad);border-radius:14px;padding:22px 28px;margin-bottom:18px}
.hero.good{border-left-color:var(--good)}
.eyebrow{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.08em;font-size:12px;font-weight:600}
h1{margin:2px 0 10px;font-size:28px}
.release{color:var(--accent)}
.meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0}
.meta div{display:flex;gap:8px}.meta dt{color:var(--muted)}.meta dd{margin:0}
.badge{font-size:30px;font-weight:800;letter-spacing:.02em;padding:14px 26px;border-radius:12px;white-space:nowrap;background:var(--bad-bg);color:var(--bad)}
.good .badge{background:var(--good-bg);color:var(--good)}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:14px;margin-bottom:18px}
.tile{background:var(--card);border:1px solid var(--line);border-top:4px solid var(--warn);border-radius:12px;padding:14px 18px}
.tile.ok{border-top-color:var(--good)}
.tile-value{font-size:28px;font-weight:750}.tile-value small{font-size:16px;color:var(--muted);font-weight:500}
.tile-label{font-weight:600}.tile-sub{color:var(--muted);font-size:13px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 22px;margin-bottom:16px}
.card h2{margin:0 0 12px;font-size:18px}
.blocking{border-color:color-mix(in srgb,var(--bad) 35%,var(--line));background:color-mix(in srgb,var(--bad-bg) 45%,var(--card))}
.blocking li{margin:3px 0}
.count{display:inline-block;background:var(--bad);color:#fff;border-radius:10px;padding:0 8px;font-size:13px;vertical-align:2px}
table{width:100%;border-collapse:collapse}
th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom:2px solid var(--line);padding:8px 10px}
td{border-bottom:1px solid var(--line);padding:9px 10px;vertical-align:top}
tr:last-child td{border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.id{font-weight:700;color:var(--accent);white-space:nowrap}
.type{font-size:12px;font-weight:600;color:var(--muted)}
.evidence ul,.checks{list-style:none;margin:0;padding:0}
.part{padding-left:16px;position:relative;font-size:13.5px}
.part:before{content:"";position:absolute;left:2px;top:.55em;width:8px;height:8px;border-radius:50%;background:var(--muted)}
.part.pass:before{background:var(--good)}.part.fail:before{background:var(--bad)}.part.missing:before{background:var(--warn)}
.pill{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12.5px;font-weight:650;white-space:nowrap}
.pill.big{font-size:16px;padding:3px 14px}
.pill.met{background:var(--good-bg);color:var(--good)}
.pill.partial,.pill.unverified,.pill.waived{background:var(--warn-bg);color:var(--warn)}
.pill.unmet{background:var(--bad-bg);color:var(--bad)}
.reason{color:var(--muted);font-size:13px;margin-top:2px}
.muted{color:var(--muted)}
.sev{display:inline-block;border-radius:6px;padding:1px 8px;font-size:12.5px;font-weight:650;background:var(--line)}
.sev.critical{background:#7a0916;color:#fff}.sev.high{background:var(--bad-bg);color:var(--bad)}.sev.medium{background:var(--warn-bg);color:var(--warn)}
details{border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:8px 0}
summary{cursor:pointer}
.checks li{margin:4px 0 0 4px;font-size:13.5px}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;background:var(--muted);margin-right:2px}
.dot.pass{background:var(--good)}.dot.fail,.dot.error{background:var(--bad)}.dot.skipped{background:var(--warn)}
.hashes{color:var(--muted);font-size:13px}
h3{font-size:15px;margin:6px 0 8px}
.load-scenario{margin-bottom:14px}
.figures{margin-bottom:10px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.chart{margin:0;border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.chart figcaption{font-size:13px;font-weight:600;margin-bottom:4px}
.chart svg{width:100%;height:auto;font-size:10px;fill:var(--muted)}
.chart .grid{stroke:var(--line);stroke-width:1}
.legend{display:flex;gap:12px;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}
footer{color:var(--muted);font-size:12.5px;margin-top:22px;word-break:break-all}
@media (max-width:800px){.tiles{grid-template-columns:repeat(2,1fr)}.hero{flex-direction:column;align-items:flex-start}}
@media print{body{background:#fff}.card,.hero,.tile{break-inside:avoid;border-color:#ccc}details{border:0}details>*{display:block}}
`;
