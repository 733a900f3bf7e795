import { loadProject, reportDir } from '../api/project.js';
import { loadReport } from '../api/records.js';
import { appendStepSummary, parseFormats, REPORT_FORMATS, writeReports } from '../api/reports.js';
import { ExitCode } from '../exit-codes.js';
import { redactDeep, specRedactor } from '../spec/redact.js';
import { type FlagTable, parseFlags, reportsOutFlag } from './args.js';
import { outStyles, type CliIo } from './io.js';
import { getReporter } from '../report/reporter.js';
import { formatSummary, verdictLine } from './summary.js';

export const usage = 'golive report [-c FILE] [--run ID] [--format md,html,json,junit,sarif] [--out DIR]';
export const summary = 're-render the reports of a stored run (the latest by default)';

export const flags = {
  run: {
    type: 'string',
    value: 'ID',
    description: 'the stored run to render (golive history lists them)',
    default: 'the latest',
  },
  format: {
    type: 'string',
    value: 'LIST',
    description: `formats, comma-separated (${REPORT_FORMATS.join(', ')}); md alone without --out prints to stdout`,
    default: 'all',
  },
  out: reportsOutFlag,
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('report', args, flags, usage);
  const formats = values.format ? parseFormats(values.format) : REPORT_FORMATS;
  const opts = { config: values.config, cwd: io.cwd, env: io.env, now: io.now };
  const project = loadProject(opts);
  const redact = specRedactor(project.loaded);
  const model = await loadReport({ ...opts, ...(values.run ? { runId: values.run } : {}) });
  // `--format md` alone, no --out: the Markdown itself on stdout, to pipe into a launch issue.
  if (values.out === undefined && formats.length === 1 && formats[0] === 'md') {
    io.stdout.write(getReporter('md').render(redactDeep(model, redact)));
    return ExitCode.Ok;
  }
  const files = writeReports(model, formats, reportDir(project, values.out, io.cwd), redact);
  appendStepSummary(model, io.env, redact);
  const clean = redactDeep(model, redact);
  if (io.quiet) io.stdout.write(`${verdictLine(clean, outStyles(io), { run: true })}\n`);
  else io.stdout.write(formatSummary(clean, outStyles(io), { reportFiles: files, cwd: io.cwd }));
  return ExitCode.Ok;
}
