import { triageOf } from '../findings/triage.js';
import type { ReportModel } from '../model.js';

/** Identifies the JSON report; with `schemaVersion` it names the shape (schema/report.schema.json). */
export const REPORT_KIND = 'golive-report';
/** Bumped only on a breaking change; additive fields keep version 1. */
export const REPORT_SCHEMA_VERSION = 1;

/** The parsed form of report.json. */
export type JsonReport = { kind: typeof REPORT_KIND } & ReportModel & Required<Pick<ReportModel, 'findingsTriage'>>;

/**
 * The JSON report: the model, tagged with its kind and schema version, with
 * top-level keys in a fixed order whatever order the model was built in.
 * Optional keys that are absent stay absent (never `null`).
 */
export function renderJson(model: ReportModel): string {
  const report: JsonReport = {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: model.generatedAt,
    run: model.run,
    ...(model.decision ? { decision: model.decision } : {}),
    evaluation: model.evaluation,
    ...(model.readinessWhenChecked ? { readinessWhenChecked: model.readinessWhenChecked } : {}),
    ...(model.clockNotes ? { clockNotes: model.clockNotes } : {}),
    requiredRoles: model.requiredRoles,
    ...(model.finalRole !== undefined ? { finalRole: model.finalRole } : {}),
    roles: model.roles,
    signoffs: model.signoffs,
    signoffStatus: model.signoffStatus,
    amendments: model.amendments,
    waivers: model.waivers,
    findings: model.findings,
    findingsTriage: triageOf(model),
    evidence: model.evidence,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
