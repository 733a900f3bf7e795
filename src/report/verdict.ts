import type { ReportModel, SignoffRow } from '../model.js';

export type VerdictLabel = 'GO' | 'NO-GO' | 'READY' | 'NOT READY';

/** The headline of a report: the decision when one was written, else the readiness. */
export function verdict(model: ReportModel): { label: VerdictLabel; good: boolean } {
  if (model.decision) return { label: model.decision.decision, good: model.decision.decision === 'GO' };
  return model.evaluation.readiness.ready ? { label: 'READY', good: true } : { label: 'NOT READY', good: false };
}

/**
 * The sign-off rows to render: the gate's (ReportModel.signoffStatus, from
 * src/gate/signoffs.ts), never re-picked here, so every output shows the rows
 * and counts the decision reads.
 */
export function signoffRows(model: ReportModel): SignoffRow[] {
  return model.signoffStatus.rows;
}

/** True when a collector that looks for findings ran; otherwise zero findings means nothing looked. */
export function findingsScanned(model: ReportModel): boolean {
  return model.evidence.some((e) => e.scansForFindings);
}

/** The headline numbers shared by the Markdown banner and the HTML tiles. */
export function summaryCounts(model: ReportModel): {
  criteria: number;
  criteriaOk: number;
  thresholds: number;
  thresholdsPass: number;
  required: number;
  signed: number;
} {
  const { evaluation } = model;
  // Out-of-scope rows (non-goals) are neither met nor missing: they are not counted.
  const counted = evaluation.criteria.filter((c) => c.status !== 'Out of scope');
  return {
    criteria: counted.length,
    criteriaOk: counted.filter((c) => c.status === 'Met' || c.waiver).length,
    thresholds: evaluation.thresholds.length,
    thresholdsPass: evaluation.thresholds.filter((t) => t.outcome === 'pass').length,
    required: model.signoffStatus.required,
    signed: model.signoffStatus.signed,
  };
}

/** An ISO time as `2026-11-22 11:00 UTC`; anything else unchanged. */
export function when(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** `sha256:` and the first 12 hex digits: enough to tell specs apart at a glance. */
export function shortHash(h: string): string {
  const m = /^(sha256:)?([0-9a-f]+)$/i.exec(h);
  return m ? `${m[1] ?? ''}${(m[2] ?? '').slice(0, 12)}` : h;
}
