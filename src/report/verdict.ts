import type { ReportModel, SignoffView } from '../model.js';

export type VerdictLabel = 'GO' | 'NO-GO' | 'READY' | 'NOT READY';

/** The headline of a report: the decision when one was written, else the readiness. */
export function verdict(model: ReportModel): { label: VerdictLabel; good: boolean } {
  if (model.decision) return { label: model.decision.decision, good: model.decision.decision === 'GO' };
  return model.evaluation.readiness.ready ? { label: 'READY', good: true } : { label: 'NOT READY', good: false };
}

export interface SignoffRow {
  role: string;
  owner: string;
  /** One of `requiredRoles` or the final role. */
  required: boolean;
  final: boolean;
  /** The sign-off that counts (the latest current one), else the latest stale one. */
  signoff?: SignoffView;
  current: boolean;
}

/** Required roles, then the final role, then anyone else who signed, with the sign-off that counts for each. */
export function signoffRows(model: ReportModel): SignoffRow[] {
  const roles = [
    ...model.requiredRoles,
    ...(model.finalRole && !model.requiredRoles.includes(model.finalRole) ? [model.finalRole] : []),
  ];
  const extra = [...new Set(model.signoffs.map((s) => s.role))].filter((r) => !roles.includes(r));
  return [...roles, ...extra].map((role) => {
    const current = model.signoffs.filter((s) => s.role === role && !s.stale).at(-1);
    const latest = current ?? model.signoffs.filter((s) => s.role === role).at(-1);
    return {
      role,
      owner: model.roles[role] ?? '',
      required: roles.includes(role),
      final: role === model.finalRole,
      ...(latest ? { signoff: latest } : {}),
      current: Boolean(current),
    };
  });
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
  const counted = evaluation.criteria.filter((c) => c.type !== 'Non-goal');
  const rows = signoffRows(model).filter((r) => r.required);
  return {
    criteria: counted.length,
    criteriaOk: counted.filter((c) => c.status === 'Met' || c.waiver).length,
    thresholds: evaluation.thresholds.length,
    thresholdsPass: evaluation.thresholds.filter((t) => t.outcome === 'pass').length,
    required: rows.length,
    signed: rows.filter((r) => r.current && r.signoff?.decision === 'go').length,
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
