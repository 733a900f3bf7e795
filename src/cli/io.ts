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
  /** Colour and live progress only on a terminal. */
  isTTY: boolean;
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
    isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    now: () => new Date(),
    signal,
  };
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
