import { resolve } from 'node:path';
import { loadProject } from '../api/project.js';
import { loadReport } from '../api/records.js';
import { appendStepSummary, parseFormats, REPORT_FORMATS, writeReports } from '../api/reports.js';
import { ExitCode } from '../exit-codes.js';
import { createRedactor, redactDeep } from '../spec/redact.js';
import { parseFlags } from './args.js';
import { styles, type CliIo } from './io.js';
import { formatSummary } from './summary.js';

export const usage = 'golive report [-c FILE] [--run ID] [--format md,html,json,junit,sarif] [--out DIR]';
export const summary = 're-render the reports of a stored run (the latest by default)';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(
    'report',
    args,
    { run: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    usage,
  );
  const formats = values.format ? parseFormats(values.format) : REPORT_FORMATS;
  const opts = { config: values.config, cwd: io.cwd, env: io.env, now: io.now };
  const redact = createRedactor(loadProject(opts).loaded.secrets);
  const model = await loadReport({ ...opts, ...(values.run ? { runId: values.run } : {}) });
  const files = writeReports(model, formats, resolve(io.cwd, values.out ?? 'golive-report'), redact);
  appendStepSummary(model, io.env, redact);
  io.stdout.write(formatSummary(redactDeep(model, redact), styles(io.isTTY), { reportFiles: files, cwd: io.cwd }));
  return ExitCode.Ok;
}
