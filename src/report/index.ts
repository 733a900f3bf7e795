export { reporters, getReporter, type Reporter, type ReportFormatName } from './reporter.js';
export { renderMarkdown } from './markdown.js';
export { renderHtml, sections as htmlSections, type HtmlSection } from './html.js';
export { renderJson, REPORT_KIND } from './json.js';
export { renderJunit } from './junit.js';
