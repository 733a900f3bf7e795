import { relative } from 'node:path';
import type { CriterionStatus, ReportModel } from '../model.js';
import type { Styles } from './io.js';

/** The terminal summary of a run: matrix, thresholds, findings, readiness, and where the reports are. */
export function formatSummary(model: ReportModel, s: Styles, opts: { reportFiles?: string[]; cwd: string }): string {
  const { run, evaluation } = model;
  const out: string[] = [];
  out.push(
    `${s.bold(`${run.service} ${run.release}`)}  run ${run.id}  spec ${run.specHash.slice(0, 19)}`,
    `target ${run.baseUrl}${run.targetVersion ? ` reports ${run.targetVersion}` : ''}${run.status === 'incomplete' ? s.yellow('  (incomplete run)') : ''}`,
    '',
  );
  if (evaluation.criteria.length) {
    out.push(s.bold('Criteria'));
    const idWidth = Math.max(...evaluation.criteria.map((c) => c.id.length));
    for (const c of evaluation.criteria) {
      const status = c.waiver ? 'Waived' : c.status;
      out.push(
        `  ${statusMark(c.status, Boolean(c.waiver), s)} ${paint(status.padEnd(12), c.status, Boolean(c.waiver), s)} ${c.id.padEnd(idWidth)}  ${c.title}`,
      );
      if (c.status !== 'Met' && c.status !== 'Out of scope' && !c.waiver) {
        out.push(`      ${s.dim(c.evidence || c.notes || '')}`);
        // A stale attestation says so in the notes; the evidence column alone would not say why.
        if (c.notes && c.evidence && !c.evidence.includes(c.notes)) out.push(`      ${s.dim(c.notes)}`);
      }
    }
    out.push('');
  }
  if (evaluation.thresholds.length) {
    out.push(s.bold('Thresholds'));
    const w = Math.max(...evaluation.thresholds.map((t) => t.name.length));
    for (const t of evaluation.thresholds) {
      const mark = t.outcome === 'pass' ? s.green('✔') : s.red('✖');
      const measured = t.display ?? (t.outcome === 'no-data' ? 'no data' : '—');
      out.push(
        `  ${mark} ${t.name.padEnd(w)}  ${measured.padStart(10)}  ${t.expr}${t.amended ? s.dim(' (amended)') : ''}${t.outcome !== 'pass' && t.reason ? s.dim(`  ${t.reason}`) : ''}`,
      );
    }
    out.push('');
  }
  const f = evaluation.findings;
  out.push(
    model.evidence.some((e) => e.scansForFindings)
      ? `Findings (open, not waived or accepted): ${f.critical} critical · ${f.high} high · ${f.medium} medium · ${f.low} low · ${f.info} info${model.findingsTriage?.length ? s.dim(' (golive findings lists them)') : ''}`
      : 'Findings: none looked for in this run (no probe or scan collector ran)',
  );
  const so = model.signoffStatus;
  if (so.required) {
    const n = model.requiredRoles.length;
    const finalRow = so.rows.find((r) => r.final && !model.requiredRoles.includes(r.role));
    const who = `${n} required role${n === 1 ? '' : 's'}${finalRow ? ` and the final role ${finalRow.role}` : ''}`;
    out.push(`Sign-offs: ${so.signed} of ${so.required} signed go on this run (${who})`);
    for (const r of so.rows) {
      if (r.state === 'duplicate') out.push(`  - ${r.role} does not count: ${r.reason ?? ''}`);
      else if (r.note) out.push(`  - ${r.role}: ${r.note}`);
    }
  }
  out.push('');
  out.push(`${verdictLine(model, s)}${evaluation.readiness.ready ? '' : ':'}`);
  if (!evaluation.readiness.ready) for (const b of evaluation.readiness.blocking) out.push(`  - ${b}`);
  if (model.decision) {
    const d = model.decision;
    out.push(
      '',
      `Decision: ${d.decision === 'GO' ? s.green(s.bold('GO')) : s.red(s.bold('NO-GO'))} by ${d.by} at ${d.createdAt}`,
    );
    for (const r of d.reasons) out.push(`  - ${r}`);
  }
  if (evaluation.residualRisks.length) {
    out.push('', 'Residual risks:');
    for (const r of evaluation.residualRisks) out.push(`  - ${r}`);
  }
  if (opts.reportFiles?.length) {
    out.push('', 'Reports:');
    for (const f of opts.reportFiles) out.push(`  ${relative(opts.cwd, f) || f}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The final verdict line: READY, or NOT READY with the number of blocking
 * items. With `run`, it names the service, release and run (all `--quiet` prints).
 */
export function verdictLine(model: ReportModel, s: Styles, opts: { run?: boolean } = {}): string {
  const { readiness } = model.evaluation;
  const r = model.run;
  const run = opts.run
    ? `${r.service} ${r.release} run ${r.id}${r.status === 'incomplete' ? ' (incomplete)' : ''}: `
    : '';
  if (readiness.ready) {
    return `${s.green(s.bold('READY'))} — ${run}every criterion is met or waived and every threshold passes`;
  }
  const n = readiness.blocking.length;
  return `${s.red(s.bold('NOT READY'))} — ${run}${n} blocking item${n === 1 ? '' : 's'}`;
}

function statusMark(status: CriterionStatus, waived: boolean, s: Styles): string {
  if (status === 'Out of scope') return s.dim('–');
  if (waived) return s.yellow('~');
  return status === 'Met' ? s.green('✔') : status === 'Unverified' ? s.yellow('?') : s.red('✖');
}

function paint(text: string, status: CriterionStatus, waived: boolean, s: Styles): string {
  if (status === 'Out of scope') return s.dim(text);
  if (waived) return s.yellow(text);
  return status === 'Met' ? s.green(text) : status === 'Unverified' ? s.yellow(text) : s.red(text);
}
