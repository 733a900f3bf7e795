import type { ReportModel, ThresholdResult } from '../model.js';
import { findingsMarkdown } from './findings-section.js';
import { renderOpsDrillsMarkdown } from './markdown-drills-ops.js';
import { renderRollbackEvidence } from './markdown-rollback.js';
import { securityHeadersMarkdown } from './security-md.js';
import { shortHash, signoffRows, summaryCounts, verdict, when } from './verdict.js';
import { code, inline, row } from './markdown-escape.js';
import { clockNoteLines } from '../store/audit.js';

/**
 * The Markdown report, laid out to paste into a launch issue (and appended to
 * `$GITHUB_STEP_SUMMARY`): a verdict banner, the AC/DoD coverage matrix as in
 * the readiness gate (Item | Type | Status | Evidence | Notes), the numeric exit
 * thresholds with measured values, blocking items, findings, evidence,
 * amendments, waivers, sign-offs, the decision and residual risks.
 * GitHub-flavoured Markdown, no ANSI; every table cell is escaped.
 */
export function renderMarkdown(model: ReportModel): string {
  const { run, evaluation } = model;
  const v = verdict(model);
  const n = summaryCounts(model);
  const out: string[] = [];

  out.push(`# ${inline(run.service)} ${inline(run.release)} — go-live gate: ${v.label}`, '');
  out.push(
    `> ${v.good ? '🟢' : '🔴'} **${v.label}**${model.decision ? ` · decided by ${inline(model.decision.by)} at ${when(model.decision.createdAt)}` : ' · no decision recorded yet'}  `,
    `> Criteria met or waived **${n.criteriaOk}/${n.criteria}** · thresholds passing **${n.thresholdsPass}/${n.thresholds}** · required sign-offs **${n.signed}/${n.required}**`,
    '',
  );
  out.push(
    `Run \`${inline(run.id)}\` · spec \`${shortHash(run.specHash)}\` · target ${inline(run.baseUrl)} reports ${run.targetVersion ? `**${inline(run.targetVersion)}**` : '_no version_'} · ${when(run.startedAt)}${run.status === 'incomplete' ? ' · ⚠️ **incomplete run**' : ''}`,
    '',
  );
  if (model.clockNotes?.length) {
    // Kept and counted in the audit order; flagged so no one reads the times as the order.
    out.push(
      '> ⚠️ **Clock out of order**: records below are dated out of order with the audit log (a clock behind or ahead); golive orders them by the audit log, never by their times.',
      ...clockNoteLines(model.clockNotes).map((line) => `> - ${inline(line)}`),
      '',
    );
  }

  out.push('## AC/DoD coverage matrix', '', '| Item | Type | Status | Evidence | Notes |', '|---|---|---|---|---|');
  for (const c of evaluation.criteria) {
    const notes = [
      c.notes,
      c.waiver
        ? `waived by ${c.waiver.by}${c.waiver.expiresAt ? ` until ${c.waiver.expiresAt.slice(0, 10)}` : ' for this release'}: ${c.waiver.reason}`
        : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    out.push(
      row([
        `**${c.id}** ${c.title}`,
        c.type,
        c.waiver ? `${c.status} (waived)` : c.status,
        c.evidence || '—',
        notes || '—',
      ]),
    );
  }
  if (evaluation.criteria.length === 0) out.push(row(['No criteria in the spec', '—', '—', '—', '—']));
  out.push('');

  out.push('## Numeric exit thresholds', '');
  if (evaluation.thresholds.length) {
    out.push('| Metric | Threshold | Measured | Result |', '|---|---|---|---|');
    for (const t of evaluation.thresholds)
      out.push(row([code(t.name), `${code(t.expr)}${t.amended ? ' (amended)' : ''}`, t.display ?? '—', resultText(t)]));
  } else {
    out.push('No thresholds in the spec.');
  }
  out.push('');

  if (!evaluation.readiness.ready) {
    out.push('## Blocking items', '', ...evaluation.readiness.blocking.map((b) => `- [ ] ${inline(b)}`), '');
  }

  out.push(...findingsMarkdown(model, { row, code }));

  out.push(...securityHeadersMarkdown(model, row));

  out.push('## Evidence', '');
  if (model.evidence.length === 0) out.push('No evidence collected.');
  for (const e of model.evidence) {
    out.push(`- **${inline(e.collector)}** — ${e.status}: ${inline(e.summary)}`);
    if (e.error) out.push(`  - error: ${inline(e.error)}`);
    for (const c of e.checks) out.push(`  - ${checkMark(c.status)} ${code(c.id)} ${c.status}: ${inline(c.summary)}`);
    for (const a of e.artifacts) out.push(`  - artifact: ${inline(a.name)} — ${code(a.path)}`);
  }
  out.push('');
  out.push(...renderRollbackEvidence(model));

  out.push(...renderOpsDrillsMarkdown(model));

  if (model.amendments.length) {
    out.push(
      '## Amendments',
      '',
      'Thresholds changed after the release had evidence.',
      '',
      '| Threshold | From | To | By | When | Reason |',
      '|---|---|---|---|---|---|',
    );
    for (const a of model.amendments)
      out.push(
        row([
          code(a.threshold),
          a.from === null ? '(new)' : code(a.from),
          a.to === null ? '(removed)' : code(a.to),
          a.by,
          when(a.createdAt),
          a.reason,
        ]),
      );
    out.push('');
  }

  if (model.waivers.length) {
    const expired = new Set(evaluation.expiredWaivers.map((w) => w.id));
    out.push('## Waivers', '', '| Subject | Approved by | Expires | Reason | Counts? |', '|---|---|---|---|---|');
    for (const w of model.waivers) {
      out.push(
        row([
          `${w.kind === 'accepted-risk' ? 'accepted risk: ' : ''}${w.subject} ${w.subjectId}`,
          w.by,
          w.expiresAt?.slice(0, 10) ?? 'end of release',
          w.reason,
          expired.has(w.id) ? 'no — expired, no longer counts' : 'yes',
        ]),
      );
    }
    out.push('');
  }

  out.push(
    '## Sign-offs',
    '',
    '| Role | Owner | Signed by | Decision | When | Current? |',
    '|---|---|---|---|---|---|',
  );
  for (const r of signoffRows(model)) {
    const s = r.signoff;
    const role = `${r.role}${r.final ? ' (final)' : r.required ? '' : ' (not required)'}`;
    out.push(
      s
        ? row([
            role,
            r.owner || '—',
            r.note ? `${s.by} (${r.note})` : s.by,
            `${s.decision}${s.comment ? ` — ${s.comment}` : ''}`,
            when(s.createdAt),
            r.state === 'stale'
              ? 'no — stale: signed on an earlier run or spec'
              : r.state === 'duplicate'
                ? `no — does not count: ${r.reason ?? ''}`
                : 'yes',
          ])
        : row([role, r.owner || '—', '— awaiting', '—', '—', '—']),
    );
  }
  out.push('');

  out.push('## Decision', '');
  if (model.decision) {
    const d = model.decision;
    out.push(`**${d.decision}** by ${inline(d.by)} at ${when(d.createdAt)}.`, '');
    if (d.reasons.length) out.push(...d.reasons.map((r) => `- ${inline(r)}`), '');
    out.push(
      `Audit head before this decision \`${d.auditHead || '(empty)'}\`  `,
      `Record hash \`${d.recordHash}\``,
      '',
    );
  } else {
    out.push('No decision recorded yet: `golive decide --by NAME`.', '');
  }

  out.push('## Residual risks', '');
  const risks = model.decision?.residualRisks.length ? model.decision.residualRisks : evaluation.residualRisks;
  out.push(...(risks.length ? risks.map((r) => `- ${inline(r)}`) : ['None recorded.']), '');
  out.push(
    `<sub>golive report · generated ${when(model.generatedAt)} · evaluated ${when(evaluation.evaluatedAt)} · spec ${code(run.specHash)}</sub>`,
    '',
  );
  return out.join('\n');
}

function resultText(t: ThresholdResult): string {
  const why = t.reason ? ` — ${t.reason}` : '';
  if (t.outcome === 'pass') return '✅ pass';
  if (t.outcome === 'fail') return `❌ fail${why}`;
  if (t.outcome === 'no-data') return `⚠️ no data${why}`;
  return `⚠️ invalid${why}`;
}

function checkMark(status: string): string {
  return status === 'pass' ? '✅' : status === 'skipped' ? '⏭️' : status === 'error' ? '⚠️' : '❌';
}
