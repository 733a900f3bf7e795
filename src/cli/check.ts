import { check, type CheckEvent } from '../api/check.js';
import { parseFormats, REPORT_FORMATS } from '../api/reports.js';
import { formatProblem } from '../errors.js';
import { environmentRedactor, redactDeep, redactError } from '../spec/redact.js';
import { ExitCode } from '../exit-codes.js';
import { type FlagTable, parseFlags, reportsOutFlag } from './args.js';
import { errStyles, outStyles, stderrTTY, type CliIo } from './io.js';
import { errorJson, checkJson } from './machine.js';
import { formatSummary, verdictLine } from './summary.js';

export const usage = 'golive check [-c FILE] [--out DIR] [--format md,html,json,junit,sarif] [--json] [--quiet]';
export const summary = 'gather evidence against the target, evaluate the gate, store the run and write reports';

export const flags = {
  out: reportsOutFlag,
  format: {
    type: 'string',
    value: 'LIST',
    description: `report formats, comma-separated (${REPORT_FORMATS.join(', ')})`,
    default: 'all',
  },
  json: {
    type: 'boolean',
    description: 'print a machine summary on stdout: readiness, counts, run id, report paths',
  },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('check', args, flags, usage);
  const s = outStyles(io);
  let result;
  try {
    result = await check({
      config: values.config,
      cwd: io.cwd,
      env: io.env,
      ...(values.out ? { outDir: values.out } : {}),
      ...(values.format ? { formats: parseFormats(values.format) } : {}),
      signal: io.signal,
      now: io.now,
      onEvent: progressPrinter(io),
    });
  } catch (e) {
    // --json: stdout still gets one object a script can read; the message goes to stderr as always.
    // A bug too (GL_INTERNAL, exit 4): docs/exit-codes.md promises the object whatever the error.
    const shown = redactError(e, environmentRedactor(io.env));
    if (values.json) io.stdout.write(`${JSON.stringify(errorJson(shown, io.cwd), null, 2)}\n`);
    throw shown;
  }
  const e = errStyles(io);
  for (const w of result.warnings) io.stderr.write(`${e.yellow('warning')} ${formatProblem(w)}\n`);
  const model = redactDeep(result.model, result.redact);
  const code =
    result.run.status === 'incomplete'
      ? ExitCode.Incomplete
      : model.evaluation.readiness.ready
        ? ExitCode.Ok
        : ExitCode.NoGo;
  if (values.json) {
    const summary = checkJson({
      model,
      reportFiles: result.reportFiles,
      warnings: result.warnings,
      exitCode: code,
      cwd: io.cwd,
    });
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else if (io.quiet) io.stdout.write(`${verdictLine(model, s, { run: true })}\n`);
  else io.stdout.write(formatSummary(model, s, { reportFiles: result.reportFiles, cwd: io.cwd }));
  return code;
}

/**
 * Progress while collectors run, on stderr so stdout stays the summary: one
 * rewritten line when stderr is a terminal, one plain line per finished step otherwise.
 */
function progressPrinter(io: CliIo): (e: CheckEvent) => void {
  const s = errStyles(io);
  const tty = stderrTTY(io);
  const line = (text: string): void => {
    if (tty) io.stderr.write(`\r\x1b[2K${text}`);
  };
  const done = (text: string): void => {
    io.stderr.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
  };
  return (e) => {
    switch (e.type) {
      case 'target-starting':
        line(s.dim(`starting target: ${e.command}`));
        break;
      case 'abandoned-run':
        done(
          s.dim(
            `removed run folder ${e.runId} of a check that ended without storing its run${e.stopped ? `; stopped ${e.stopped} of its target's processes` : ''}`,
          ),
        );
        break;
      case 'unknown-run-folders':
        done(
          s.dim(
            `note: left ${e.runIds.length} folder(s) in ${e.dir} alone: not runs of this store, and not provably abandoned (${e.runIds.slice(0, 3).join(', ')}${e.runIds.length > 3 ? ', …' : ''}); remove them by hand if they are yours and unwanted`,
          ),
        );
        break;
      case 'target-ready':
        done(`${s.green('✔')} target ready in ${(e.ms / 1000).toFixed(1)}s`);
        break;
      case 'collector-start':
        line(s.dim(`${e.name}: ${e.description}…`));
        break;
      case 'collector-progress':
        line(s.dim(`${e.name}: ${e.message}`));
        break;
      case 'collector-end': {
        const st = e.evidence.status;
        const mark = st === 'pass' ? s.green('✔') : st === 'skipped' ? s.yellow('-') : s.red('✖');
        done(`${mark} ${e.name}: ${e.evidence.summary}`);
        break;
      }
    }
  };
}
