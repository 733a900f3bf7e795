/**
 * golive's library API: everything the CLI does, callable from TypeScript.
 *
 *   import { check, signoff, decide } from 'golive';
 *   const result = await check({ config: 'golive.yaml' });
 *   if (!result.model.evaluation.readiness.ready) console.log(result.model.evaluation.readiness.blocking);
 */
export { check, newRunId, type CheckOptions, type CheckResult, type CheckEvent } from './api/check.js';
export {
  attest,
  waive,
  amendThreshold,
  signoff,
  decide,
  loadReport,
  history,
  verifyAudit,
  type AttestOptions,
  type WaiveOptions,
  type AmendOptions,
  type SignoffOptions,
  type DecideOptions,
} from './api/records.js';
export { listFindings, accept, type FindingsOptions, type FindingsResult, type AcceptOptions } from './api/findings.js';
export { triageFindings, findingRunOf, severitiesAtOrAbove } from './findings/triage.js';
export {
  FINDING_STATUSES,
  type FindingStatus,
  type TriagedFinding,
  type FindingRun,
  type FindingScan,
  type Sighting,
} from './findings/types.js';
export { loadProject, type Project, type ProjectOptions } from './api/project.js';
export { buildReportModel } from './api/model.js';
export { writeReports, REPORT_FORMATS, type ReportFormat } from './api/reports.js';
export { scanRepository, type ScanOptions, type ScanResult } from './scan/scan.js';
export { writeBaseline, type Baseline } from './scan/baseline.js';
export type { Collector, CollectContext } from './collect/collector.js';
export { collectors, producedMetrics } from './collect/registry.js';
export {
  runSecurityProbes,
  defaultSecurityConfig,
  securityCollector,
  type SecurityRunOptions,
} from './probes/security.js';
export { grade as observatoryGrade, type ObservatoryGrade, type ObservatoryInput } from './probes/observatory.js';
export { ExitCode } from './exit-codes.js';
export { GoliveError, ErrorCodes, type ErrorCode, type Problem } from './errors.js';
export { SpecSchema, type Spec } from './spec/schema.js';
export * from './model.js';
export { main } from './cli/main.js';
