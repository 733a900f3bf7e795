import type { ReportModel } from '../model.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

/** A report format: a pure function from the report model to a string, and the file it goes in. */
export interface Reporter {
  format: string;
  fileName: string;
  contentType: string;
  render(model: ReportModel): string;
}

/** Every report format, by name. New formats (SARIF …) register here. */
export const reporters = {
  md: { format: 'md', fileName: 'report.md', contentType: 'text/markdown', render: renderMarkdown },
  html: { format: 'html', fileName: 'report.html', contentType: 'text/html', render: renderHtml },
  json: { format: 'json', fileName: 'report.json', contentType: 'application/json', render: renderJson },
  junit: { format: 'junit', fileName: 'junit.xml', contentType: 'application/xml', render: renderJunit },
} as const satisfies Record<string, Reporter>;

export type ReportFormatName = keyof typeof reporters;

export function getReporter(name: ReportFormatName): Reporter {
  return reporters[name];
}
