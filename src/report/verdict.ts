import type { ReportModel } from '../model.js';

/** The headline of a report: the decision when one was written, else the readiness. */
export function verdict(model: ReportModel): { label: 'GO' | 'NO-GO' | 'READY' | 'NOT READY'; good: boolean } {
  if (model.decision) return { label: model.decision.decision, good: model.decision.decision === 'GO' };
  return model.evaluation.readiness.ready ? { label: 'READY', good: true } : { label: 'NOT READY', good: false };
}

/** Required roles (and the final role) with the sign-off that counts for each, if any. */
export function signoffRows(model: ReportModel) {
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
      signoff: latest,
      current: Boolean(current),
    };
  });
}

/** True when a collector that looks for findings ran; otherwise zero findings means nothing looked. */
export function findingsScanned(model: ReportModel): boolean {
  return model.evidence.some((e) => e.scansForFindings);
}
