/**
 * Process I/O passed to every command, created in one place (`processIo`) so
 * tests can drive commands in-process with captured output, a fixed clock and
 * their own environment.
 */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  /** stdout is a terminal: colour in what goes to stdout (see `outStyles`), tables clipped to fit. */
  isTTY: boolean;
  /**
   * stderr is a terminal: the live progress line is redrawn in place and
   * stderr output is coloured (see `errStyles`). Default: `isTTY`.
   */
  stderrIsTTY?: boolean;
  /** `--quiet`: only errors and the final verdict line. Default false. */
  quiet?: boolean;
  now: () => Date;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export function processIo(signal: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    now: () => new Date(),
    signal,
  };
}

/** stderr is a terminal (live progress redrawn in place). */
export function stderrTTY(io: CliIo): boolean {
  return io.stderrIsTTY ?? io.isTTY;
}

/**
 * Colour on a stream: FORCE_COLOR (any value but 0 / false) turns it on and
 * NO_COLOR (any non-empty value) off, FORCE_COLOR winning as in Node itself;
 * otherwise colour exactly when that stream is a terminal.
 */
export function colourOn(tty: boolean, env: Record<string, string | undefined>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return tty;
}

/** Styles for text written to stdout. */
export function outStyles(io: CliIo): Styles {
  return styles(colourOn(io.isTTY, io.env));
}

/** Styles for text written to stderr (progress, warnings, errors). */
export function errStyles(io: CliIo): Styles {
  return styles(colourOn(stderrTTY(io), io.env));
}

/** Minimal ANSI styling that becomes a no-op off a terminal. */
export function styles(on: boolean) {
  const wrap = (open: number, close: number) => (s: string) => (on ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}
export type Styles = ReturnType<typeof styles>;

/** Shortest gap between two plain progress lines off a terminal (CI logs). */
export const PLAIN_PROGRESS_EVERY_MS = 5000;

/**
 * A progress writer on stderr: on a terminal one line redrawn in place (every
 * message); elsewhere a plain line at most every `everyMs` of `io.now()`, so a
 * CI log shows the work moving without a flood. `clear()` wipes the live line.
 */
export function progressLine(
  io: CliIo,
  label: string,
  everyMs = PLAIN_PROGRESS_EVERY_MS,
): { write(message: string): void; clear(): void } {
  const tty = stderrTTY(io);
  const s = errStyles(io);
  let last = -Infinity;
  let drawn = false;
  return {
    write(message) {
      if (tty) {
        io.stderr.write(`\r\x1b[2K${s.dim(`${label}: ${message}`)}`);
        drawn = true;
        return;
      }
      const t = io.now().getTime();
      if (t - last < everyMs) return;
      last = t;
      io.stderr.write(`${label}: ${message}\n`);
    },
    clear() {
      if (drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
