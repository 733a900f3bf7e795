import type { ReportModel } from '../model.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';

/** A report format: a pure function from the report model to a string, and the file it goes in. */
export interface Reporter {
  /** Name used on the command line: `--format md,html`. */
  format: string;
  /** File extension without the dot. */
  extension: string;
  /** File name written into the output folder. */
  fileName: string;
  contentType: string;
  /** Pure: the same model always gives the same string. No clock, no I/O. */
  render(model: ReportModel): string;
}

/**
 * The built-in format names. A new format (SARIF …) adds its name here and its
 * entry to `reporters`; callers that list formats use `Object.keys(reporters)`.
 */
export type ReportFormatName = 'md' | 'html' | 'json' | 'junit' | 'sarif';

/** Every report format, by name. */
export const reporters: Record<ReportFormatName, Reporter> = {
  md: { format: 'md', extension: 'md', fileName: 'report.md', contentType: 'text/markdown', render: renderMarkdown },
  html: { format: 'html', extension: 'html', fileName: 'report.html', contentType: 'text/html', render: renderHtml },
  json: {
    format: 'json',
    extension: 'json',
    fileName: 'report.json',
    contentType: 'application/json',
    render: renderJson,
  },
  junit: {
    format: 'junit',
    extension: 'xml',
    fileName: 'junit.xml',
    contentType: 'application/xml',
    render: renderJunit,
  },
  sarif: {
    format: 'sarif',
    extension: 'sarif',
    fileName: 'golive.sarif',
    contentType: 'application/sarif+json',
    render: renderSarif,
  },
};

export function isReportFormat(name: string): name is ReportFormatName {
  return Object.prototype.hasOwnProperty.call(reporters, name);
}

/** The reporter for a format name; `undefined` for an unknown name given as a plain string. */
export function getReporter(name: ReportFormatName): Reporter;
export function getReporter(name: string): Reporter | undefined;
export function getReporter(name: string): Reporter | undefined {
  return isReportFormat(name) ? reporters[name] : undefined;
}
