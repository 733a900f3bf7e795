import type { ReportModel } from '../model.js';

/** Identifies the JSON report and its schema version (schema/report.schema.json). */
export const REPORT_KIND = 'golive-report';

/** The JSON report: the model itself, tagged with its kind and schema version. Stable key order. */
export function renderJson(model: ReportModel): string {
  const { schemaVersion, ...rest } = model;
  return `${JSON.stringify({ kind: REPORT_KIND, schemaVersion, ...rest }, null, 2)}\n`;
}
