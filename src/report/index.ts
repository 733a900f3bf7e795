export { reporters, getReporter, isReportFormat, type Reporter, type ReportFormatName } from './reporter.js';
export { renderMarkdown } from './markdown.js';
export { renderHtml, sections as htmlSections, type HtmlSection, type HtmlOptions } from './html.js';
export { renderJson, REPORT_KIND, REPORT_SCHEMA_VERSION, type JsonReport } from './json.js';
export { renderJunit } from './junit.js';
export { verdict, type VerdictLabel } from './verdict.js';
export { sampleReportModel, SAMPLE } from './fixture.js';
export {
  renderSarif,
  locate as sarifLocation,
  SARIF_VERSION,
  SECURITY_SEVERITY,
  TARGET_FINDING_FILE,
} from './sarif.js';
