import { check, type CheckEvent } from '../api/check.js';
import { parseFormats } from '../api/reports.js';
import { formatProblem } from '../errors.js';
import { redactDeep } from '../spec/redact.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from './args.js';
import { styles, type CliIo, type Styles } from './io.js';
import { formatSummary } from './summary.js';

export const usage = 'golive check [-c FILE] [--out DIR] [--format md,html,json,junit,sarif]';
export const summary = 'gather evidence against the target, evaluate the gate, store the run and write reports';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('check', args, { out: { type: 'string' }, format: { type: 'string' } }, usage);
  const s = styles(io.isTTY);
  const result = await check({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    ...(values.out ? { outDir: values.out } : {}),
    ...(values.format ? { formats: parseFormats(values.format) } : {}),
    signal: io.signal,
    now: io.now,
    onEvent: progressPrinter(io, s),
  });
  for (const w of result.warnings) io.stderr.write(`${s.yellow('warning')} ${formatProblem(w)}\n`);
  io.stdout.write(
    formatSummary(redactDeep(result.model, result.redact), s, { reportFiles: result.reportFiles, cwd: io.cwd }),
  );
  if (result.run.status === 'incomplete') return ExitCode.Incomplete;
  return result.model.evaluation.readiness.ready ? ExitCode.Ok : ExitCode.NoGo;
}

/** Progress while collectors run: one rewritten line on a terminal, plain lines otherwise; on stderr so stdout stays the summary. */
function progressPrinter(io: CliIo, s: Styles): (e: CheckEvent) => void {
  const line = (text: string): void => {
    if (io.isTTY) io.stderr.write(`\r\x1b[2K${text}`);
  };
  const done = (text: string): void => {
    io.stderr.write(io.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
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
