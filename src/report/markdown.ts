import type { ReportModel, ThresholdResult } from '../model.js';
import { findingsScanned, signoffRows, verdict } from './verdict.js';

/**
 * The Markdown report, laid out to paste into a launch issue: the AC/DoD
 * coverage matrix as in the readiness gate (Item | Type | Status | Evidence | Notes),
 * then the numeric exit thresholds, findings, evidence, sign-offs, decision and residual risks.
 */
export function renderMarkdown(model: ReportModel): string {
  const { run, evaluation } = model;
  const v = verdict(model);
  const out: string[] = [];
  out.push(`# Go-live gate: ${run.service} ${run.release} — **${v.label}**`, '');
  out.push(
    `Run \`${run.id}\` · spec \`${run.specHash.slice(0, 19)}\` · target ${run.baseUrl}${run.targetVersion ? ` reports **${run.targetVersion}**` : ''} · ${run.startedAt}${run.status === 'incomplete' ? ' · **incomplete run**' : ''}`,
    '',
  );

  out.push('## AC/DoD coverage matrix', '', '| Item | Type | Status | Evidence | Notes |', '|---|---|---|---|---|');
  for (const c of evaluation.criteria) {
    const notes = [
      c.notes,
      c.waiver
        ? `waived by ${c.waiver.by}${c.waiver.expiresAt ? ` until ${c.waiver.expiresAt.slice(0, 10)}` : ''}: ${c.waiver.reason}`
        : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    out.push(
      row([
        `${c.id} ${c.title}`,
        c.type,
        c.waiver ? `${c.status} (waived)` : c.status,
        c.evidence || '—',
        notes || '—',
      ]),
    );
  }
  out.push('');

  if (evaluation.thresholds.length) {
    out.push('## Numeric exit thresholds', '', '| Metric | Threshold | Measured | Result |', '|---|---|---|---|');
    for (const t of evaluation.thresholds)
      out.push(
        row([`\`${t.name}\``, `\`${t.expr}\`${t.amended ? ' (amended)' : ''}`, t.display ?? '—', resultText(t)]),
      );
    out.push('');
  }

  if (!evaluation.readiness.ready) {
    out.push('## Blocking items', '', ...evaluation.readiness.blocking.map((b) => `- ${inline(b)}`), '');
  }

  const f = evaluation.findings;
  out.push(
    '## Findings',
    '',
    findingsScanned(model)
      ? `Critical ${f.critical} · High ${f.high} · Medium ${f.medium} · Low ${f.low} · Info ${f.info}`
      : 'Not looked for in this run: no probe or scan collector ran, so `findings.*` thresholds have no data.',
    '',
  );
  if (model.findings.length) {
    out.push('| Severity | Rule | Location | Title | Fingerprint |', '|---|---|---|---|---|');
    for (const x of model.findings)
      out.push(row([x.severity, x.rule, x.location, x.title, `\`${x.fingerprint.slice(0, 12)}\``]));
    out.push('');
  }

  out.push('## Evidence', '');
  for (const e of model.evidence) {
    out.push(`- **${e.collector}** — ${e.status}: ${inline(e.summary)}`);
    for (const c of e.checks) out.push(`  - \`${c.id}\` ${c.status}: ${inline(c.summary)}`);
    for (const a of e.artifacts) out.push(`  - artifact: ${a.name} (\`${a.path}\`)`);
  }
  out.push('');

  if (model.amendments.length) {
    out.push('## Amendments', '', '| Threshold | From | To | By | When | Reason |', '|---|---|---|---|---|---|');
    for (const a of model.amendments)
      out.push(
        row([`\`${a.threshold}\``, a.from ?? '(none)', a.to ?? '(removed)', a.by, a.createdAt.slice(0, 10), a.reason]),
      );
    out.push('');
  }

  if (model.waivers.length) {
    const expired = new Set(evaluation.expiredWaivers.map((w) => w.id));
    out.push('## Waivers', '', '| Subject | Approved by | Expires | Reason | Counts? |', '|---|---|---|---|---|');
    for (const w of model.waivers) {
      out.push(
        row([
          `${w.subject} ${w.subjectId}`,
          w.by,
          w.expiresAt?.slice(0, 10) ?? '—',
          w.reason,
          expired.has(w.id) ? 'no — expired' : 'yes',
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
    out.push(
      s
        ? row([
            r.role,
            r.owner,
            s.by,
            `${s.decision}${s.comment ? ` — ${s.comment}` : ''}`,
            s.createdAt.slice(0, 16).replace('T', ' '),
            r.current ? 'yes' : 'stale: earlier run or spec',
          ])
        : row([r.role, r.owner, '—', 'awaiting', '—', '—']),
    );
  }
  out.push('');

  out.push('## Decision', '');
  if (model.decision) {
    const d = model.decision;
    out.push(`**${d.decision}** by ${d.by} at ${d.createdAt}.`, '');
    if (d.reasons.length) out.push(...d.reasons.map((r) => `- ${inline(r)}`), '');
    out.push(`Record hash \`${d.recordHash}\` · audit head \`${d.auditHead || '(empty)'}\``, '');
  } else {
    out.push('No decision recorded yet: `golive decide --by NAME`.', '');
  }

  out.push('## Residual risks', '');
  out.push(
    ...(evaluation.residualRisks.length ? evaluation.residualRisks.map((r) => `- ${inline(r)}`) : ['None recorded.']),
    '',
  );
  out.push(`<sub>golive report · generated ${model.generatedAt} · evaluated ${evaluation.evaluatedAt}</sub>`, '');
  return out.join('\n');
}

function resultText(t: ThresholdResult): string {
  if (t.outcome === 'pass') return '✅ pass';
  if (t.outcome === 'fail') return `❌ fail — ${t.reason ?? ''}`;
  if (t.outcome === 'no-data') return `❌ no data — ${t.reason ?? ''}`;
  return `❌ invalid — ${t.reason ?? ''}`;
}

/** One table row; pipes and newlines in cells are escaped so the table stays a table. */
function row(cells: string[]): string {
  return `| ${cells.map((c) => inline(c).replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** One line of text; a `<` that could open an HTML tag is escaped, `< 200ms` stays readable. */
function inline(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}
