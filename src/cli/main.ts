import { ExitCode } from '../exit-codes.js';
import { formatProblem, GoliveError, isGoliveError } from '../errors.js';
import { environmentRedactor, redactError } from '../spec/redact.js';
import { closest } from '../spec/suggest.js';
import { formatHelp, quietFlag, type FlagTable } from './args.js';
import { announceSpec } from './discover.js';
import { errStyles, processIo, type CliIo } from './io.js';

/** A command module: one file per command under src/cli/, loaded lazily. */
export interface CommandModule {
  usage: string;
  summary: string;
  /** The command's one flag table: it parses the flags and writes `--help`. */
  flags: FlagTable;
  run(args: string[], io: CliIo): Promise<number>;
}

const commands: Record<string, () => Promise<CommandModule>> = {
  init: () => import('./init.js'),
  validate: () => import('./validate.js'),
  schema: () => import('./schema.js'),
  check: () => import('./check.js'),
  load: () => import('./load.js'),
  report: () => import('./report.js'),
  history: () => import('./history.js'),
  attest: () => import('./attest.js'),
  waive: () => import('./waive.js'),
  findings: () => import('./findings.js'),
  accept: () => import('./accept.js'),
  amend: () => import('./amend.js'),
  signoff: () => import('./signoff.js'),
  decide: () => import('./decide.js'),
  audit: () => import('./audit.js'),
  drill: () => import('./drill.js'),
  scan: () => import('./scan.js'),
  verify: () => import('./verify.js'),
  probe: () => import('./probe.js'),
};

/** The commands that read golive.yaml: without -c they say when they found it in a parent folder. */
const readsSpec = new Set([
  'validate',
  'check',
  'report',
  'history',
  'attest',
  'waive',
  'findings',
  'accept',
  'amend',
  'signoff',
  'decide',
  'audit',
  'drill',
  'verify',
]);

export interface MainOptions {
  argv: string[];
  /** Process I/O; defaults to the real process. Tests pass their own. */
  io?: CliIo;
}

/** Runs one golive command and returns its exit code. The only place errors become exit codes. */
export async function main(opts: MainOptions): Promise<number> {
  const controller = new AbortController();
  const io = opts.io ?? processIo(controller.signal);
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.Incomplete);
    io.stderr.write('\ninterrupted: stopping, keeping partial results (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  if (!opts.io) process.on('SIGINT', onSigint);
  const debug = opts.argv.includes('--debug');
  const [name, ...rest] = opts.argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
      io.stdout.write(await helpText());
      return name === undefined ? ExitCode.InvalidInput : ExitCode.Ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${await packageVersion()}\n`);
      return ExitCode.Ok;
    }
    if (name === 'help') {
      const command = await commandNamed(rest[0] as string);
      io.stdout.write(formatHelp(rest[0] as string, command.summary, command.usage, command.flags));
      return ExitCode.Ok;
    }
    const command = await commandNamed(name);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(formatHelp(name, command.summary, command.usage, command.flags));
      return ExitCode.Ok;
    }
    // --quiet: progress, notes and warnings on stderr are dropped; errors still reach stderr below.
    const quiet = quietFlag(rest, command.flags);
    const commandIo: CliIo = quiet ? { ...io, quiet: true, stderr: { write: () => true } } : io;
    if (readsSpec.has(name)) announceSpec(rest, commandIo);
    return await command.run(rest, commandIo);
  } catch (e) {
    return reportError(e, io, debug);
  } finally {
    if (!opts.io) process.off('SIGINT', onSigint);
  }
}

function reportError(raw: unknown, io: CliIo, debug: boolean): number {
  const s = errStyles(io);
  // Commands redact with their spec's secrets; this catches what any error still holds of the environment.
  const e = redactError(raw, environmentRedactor(io.env));
  if (isGoliveError(e)) {
    io.stderr.write(`${s.red('error')} ${s.dim(`[${e.code}]`)} ${e.message}\n`);
    for (const p of e.problems) io.stderr.write(`  ${formatProblem(p)}\n`);
    if (e.hint) io.stderr.write(`  ${s.cyan('hint:')} ${e.hint}\n`);
    if (debug && e.stack) io.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  io.stderr.write(
    `${s.red('internal error')} [GL_INTERNAL] ${err?.message ?? String(e)}\n` +
      `  this is a bug in golive. Run again with --debug for the stack trace and report it with the command you ran.\n`,
  );
  if (debug && err?.stack) io.stderr.write(`${err.stack}\n`);
  return ExitCode.Internal;
}

async function commandNamed(name: string): Promise<CommandModule> {
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    const names = Object.keys(commands);
    // A typo (edit distance), else the one command the word begins (`golive sign` → signoff).
    const prefixed = name.length >= 2 ? names.filter((c) => c.startsWith(name)) : [];
    const near = closest(name, names) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    throw new GoliveError('GL_ARG_UNKNOWN_COMMAND', `unknown command "${name}"`, {
      hint: near ? `did you mean "golive ${near}"?` : 'run golive --help for the list of commands',
    });
  }
  return load();
}

async function helpText(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(10)} ${(await load()).summary}`),
  );
  return [
    'golive — the go-live gate: prove a release is ready with evidence, then record a signed GO / NO-GO.',
    '',
    'usage: golive <command> [flags]      golive help <command> lists its flags with their defaults',
    '',
    'commands:',
    ...lines,
    '',
    'common flags: -c, --config FILE (default: golive.yaml here or in the nearest parent)  -q, --quiet  --debug  -h, --help',
    'exit codes: 0 go/passed · 1 no-go · 2 invalid input · 3 could not complete · 4 internal error',
    '',
  ].join('\n');
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
