import type { Evidence, ReportModel } from '../model.js';
import { esc } from './escape.js';

/**
 * The HTML report's "Alarm test" (drill.alarm: the alert timeline with the
 * notification latencies, pass/fail) and "Backup and restore" (drill.restore:
 * RTO, RPO with the newest backup, source vs restored rows and checksum per
 * table) sections. Each renders nothing when its evidence is absent. Pure.
 */
export function alarmTestSection(model: ReportModel): string {
  const e = [...model.evidence].reverse().find((x) => x.collector === 'drill.alarm');
  if (!e) return '';
  const d = (e.data ?? {}) as {
    provider?: string;
    id?: string;
    receiver?: string;
    withinMs?: number;
    testsResolve?: boolean;
    timeline?: { firedAt?: string; firingNotifiedAt?: string; resolvedAt?: string; resolvedNotifiedAt?: string };
  };
  const facts = [
    d.provider ? `provider ${esc(d.provider)}` : '',
    d.id ? `alert id <code>${esc(d.id)}</code>` : '',
    d.receiver ? `notifications at <code>${esc(d.receiver)}</code>` : '',
    typeof d.withinMs === 'number' ? `deadline ${seconds(d.withinMs)} per notification` : '',
  ].filter(Boolean);
  const t = d.timeline ?? {};
  const step = (name: string, iso: string | undefined, latency: string, check: string): string =>
    `<tr><td>${name}</td><td class="when">${iso ? esc(at(iso)) : NONE}</td><td class="num">${latency}</td><td>${result(e, check)}</td></tr>`;
  const rows = [
    step('Test alert fired', t.firedAt, NONE, 'drill.alarm.trigger'),
    step(
      'Firing notification received',
      t.firingNotifiedAt,
      after(t.firedAt, t.firingNotifiedAt),
      'drill.alarm.firing',
    ),
    ...(d.testsResolve !== false
      ? [
          step('Alert resolved', t.resolvedAt, NONE, 'drill.alarm.resolve'),
          step(
            'Resolved notification received',
            t.resolvedNotifiedAt,
            after(t.resolvedAt, t.resolvedNotifiedAt),
            'drill.alarm.resolved',
          ),
        ]
      : []),
  ].join('');
  return `<section class="card" id="alarm-test"><h2>Alarm test ${statusPill(e)}</h2>
<p class="ev-summary">${esc(e.summary)}</p>${facts.length ? `<p class="muted">${facts.join(' · ')}</p>` : ''}
<div class="table-scroll"><table><thead><tr><th>Step</th><th>At (UTC)</th><th class="num">After</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table></div>${failedChecks(e)}</section>`;
}

export function restoreDrillSection(model: ReportModel): string {
  const e = [...model.evidence].reverse().find((x) => x.collector === 'drill.restore');
  if (!e) return '';
  const metric = (name: string): number | undefined => e.metrics.find((m) => m.name === name)?.value;
  const rto = metric('drill.restore.rto');
  const rpo = metric('drill.restore.rpo');
  const d = (e.data ?? {}) as {
    rpo?: { newest?: string; writtenAt?: string };
    tables?: Array<{ table: string; sourceRows?: number; restoredRows?: number; match: boolean; detail?: string }>;
  };
  const tile = (label: string, value: string, sub: string): string =>
    `<div class="tile"><div class="tile-label">${label}</div><div class="tile-value">${value}</div><div class="tile-sub">${sub}</div></div>`;
  const tiles = `<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin:10px 0 14px">${tile(
    'RTO',
    rto !== undefined ? seconds(rto) : '<span class="muted">not measured</span>',
    'restore duration',
  )}${tile(
    'RPO',
    rpo !== undefined ? seconds(rpo) : '<span class="muted">not measured</span>',
    d.rpo?.newest
      ? `age of the newest backup <code>${esc(d.rpo.newest)}</code>${d.rpo.writtenAt ? `, written ${esc(at(d.rpo.writtenAt))} UTC` : ''}`
      : 'age of the newest backup',
  )}</div>`;
  const rows = (d.tables ?? [])
    .map(
      (t) =>
        `<tr><td><code>${esc(t.table)}</code></td><td class="num">${esc(String(t.sourceRows ?? '—'))}</td><td class="num">${esc(String(t.restoredRows ?? '—'))}</td><td>${
          t.match
            ? '<span class="pill met">equal</span>'
            : `<span class="pill unmet">differs</span>${t.detail ? `<div class="reason">${esc(t.detail)}</div>` : ''}`
        }</td></tr>`,
    )
    .join('');
  const table = rows
    ? `<div class="table-scroll"><table><thead><tr><th>Table</th><th class="num">Source rows</th><th class="num">Restored rows</th><th>Checksum</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '';
  const checks = e.checks.length
    ? `<ul class="checks">${e.checks.map((c) => `<li><span class="dot ${esc(c.status)}"></span><code>${esc(c.id)}</code> ${esc(c.summary)}</li>`).join('')}</ul>`
    : '';
  return `<section class="card" id="restore-drill"><h2>Backup and restore ${statusPill(e)}</h2>
<p class="ev-summary">${esc(e.summary)}</p>${tiles}${table}${checks}</section>`;
}

/** A step without a time or a check: a muted dash. */
const NONE = '<span class="muted">—</span>';

function statusPill(e: Evidence): string {
  return e.status === 'pass'
    ? '<span class="pill met">passed</span>'
    : e.status === 'error'
      ? '<span class="pill partial">could not run</span>'
      : e.status === 'skipped'
        ? '<span class="pill partial">skipped</span>'
        : '<span class="pill unmet">failed</span>';
}

function result(e: Evidence, id: string): string {
  const c = e.checks.find((x) => x.id === id);
  if (!c) return NONE;
  return c.status === 'pass'
    ? '<span class="pill met">ok</span>'
    : c.status === 'skipped'
      ? '<span class="pill partial">not tested</span>'
      : '<span class="pill unmet">failed</span>';
}

function failedChecks(e: Evidence): string {
  const failed = e.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  if (!failed.length) return '';
  return `<ul class="checks">${failed.map((c) => `<li class="error"><span class="dot fail"></span><code>${esc(c.id)}</code> ${esc(c.summary)}</li>`).join('')}</ul>`;
}

function at(iso: string | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

function after(from: string | undefined, to: string | undefined): string {
  const ms = from && to ? Date.parse(to) - Date.parse(from) : NaN;
  return Number.isFinite(ms) ? seconds(Math.max(0, ms)) : NONE;
}

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
