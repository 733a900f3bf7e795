import { statusNote } from '../findings/describe.js';
import { triageOf } from '../findings/triage.js';
import type { TriagedFinding } from '../findings/types.js';
import type { ReportModel } from '../model.js';
import { SEVERITIES } from '../model.js';
import { esc } from './escape.js';
import { findingsScanned, when } from './verdict.js';

/**
 * The findings section of the Markdown and HTML reports: the counts the gate
 * uses (open findings not waived or accepted, by severity), then every finding
 * of the release as of this run — open, waived, accepted and fixed — with
 * first and last seen and why it has its status (an expired waiver says it no
 * longer counts).
 */

const COUNTED = 'Counted in `findings.*` (open, not waived or accepted)';
const NOT_LOOKED =
  'Not looked for in this run: no probe or scan collector ran, so `findings.*` thresholds have no data.';

/** Markdown lines; `cell` and `code` are the Markdown renderer's escapers. */
export function findingsMarkdown(
  model: ReportModel,
  md: { row(cells: string[]): string; code(s: string): string },
): string[] {
  const f = model.evaluation.findings;
  const out: string[] = ['## Findings', ''];
  if (findingsScanned(model)) {
    out.push(`${COUNTED}: ${SEVERITIES.map((s) => `${cap(s)} **${f[s]}**`).join(' · ')}`, '');
  } else {
    out.push(NOT_LOOKED, '');
  }
  const triage = triageOf(model);
  if (!triage.length) return out;
  out.push(
    '| Severity | Status | Rule | Finding | Location | First seen | Last seen | Fingerprint |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const x of triage) {
    const note = statusNote(x, model.run.id);
    out.push(
      md.row([
        x.severity,
        statusCell(x.status, note),
        md.code(x.rule),
        x.title,
        x.location,
        seen(x.firstSeen.at),
        seen(x.lastSeen.at),
        md.code(x.fingerprint.slice(0, 12)),
      ]),
    );
  }
  out.push('');
  return out;
}

/** The HTML card (`card` is the HTML renderer's section wrapper). */
export function findingsHtml(model: ReportModel, card: (id: string, title: string, inner: string) => string): string {
  const f = model.evaluation.findings;
  const scanned = findingsScanned(model);
  const triage = triageOf(model);
  const counts = scanned
    ? `<p class="muted">Counted in <code>findings.*</code> (open, not waived or accepted)</p><p class="sevs">${SEVERITIES.map((s) => `<span class="sev ${s}${f[s] === 0 ? ' zero' : ''}"><b>${f[s]}</b> ${s}</span>`).join('')}</p>`
    : '<p class="muted">Not looked for in this run: no probe or scan collector ran, so <code>findings.*</code> thresholds have no data.</p>';
  const rows = triage.map((x) => htmlRow(x, model.run.id)).join('\n');
  const table = rows
    ? `<table class="findings"><thead><tr><th>Severity</th><th>Status</th><th>Finding</th><th>Location</th><th>First seen</th><th>Last seen</th><th>Fingerprint</th></tr></thead><tbody>${rows}</tbody></table>`
    : scanned
      ? '<p class="muted">No findings in this run.</p>'
      : '';
  return card('findings', 'Findings', `${counts}${table}`);
}

/** Status pills reuse the criterion colours: open red, waived / accepted blue, fixed green. */
const PILL: Record<TriagedFinding['status'], string> = {
  open: 'unmet',
  waived: 'waived',
  accepted: 'waived',
  fixed: 'met',
};

function htmlRow(x: TriagedFinding, latestRunId: string): string {
  const note = statusNote(x, latestRunId);
  return `<tr><td><span class="sev ${esc(x.severity)}">${esc(x.severity)}</span></td><td class="fstatus"><span class="pill ${PILL[x.status]}">${esc(x.status)}</span>${note ? `<div class="reason">${esc(note)}</div>` : ''}</td><td><div class="finding-title">${esc(x.title)}</div><code class="rule">${esc(x.rule)}</code>${x.evidence ? `<div class="reason">${esc(x.evidence)}</div>` : ''}${x.remediation ? `<div class="fix">Fix: ${esc(x.remediation)}</div>` : ''}</td><td class="loc">${esc(x.location)}</td><td title="run ${esc(x.firstSeen.runId)}">${esc(seen(x.firstSeen.at))}</td><td title="run ${esc(x.lastSeen.runId)}">${esc(seen(x.lastSeen.at))}</td><td><code title="${esc(x.fingerprint)}">${esc(x.fingerprint.slice(0, 12))}</code></td></tr>`;
}

/** The status word, then why — unless the note already starts with it ("waived by …", "fixed in run …"). */
function statusCell(status: TriagedFinding['status'], note: string): string {
  const word = status === 'open' ? '**open**' : status;
  if (!note) return word;
  return note.startsWith(status) ? note : `${word} — ${note}`;
}

function seen(iso: string): string {
  return when(iso).replace(/ UTC$/, '');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
