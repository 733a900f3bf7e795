import { formatValue } from '../gate/threshold.js';
import type { LoadProgress } from '../load/engine.js';
import { stderrTTY, type CliIo, type Styles } from './io.js';

/** Shortest gap between two redraws of the live line: at most 4 updates a second. */
const TTY_EVERY_MS = 250;
/** Off a terminal (CI logs), one plain line this often. */
const PLAIN_EVERY_MS = 5000;

/**
 * The live progress of `golive load`: on a terminal one line redrawn in place
 * (elapsed/total, req/s, p99, errors, dropped, in flight); elsewhere a plain
 * line every 5 s (the terminal test is on stderr, where the line goes), so CI logs show the run moving without a flood. Paced by the
 * run's own clock (elapsedMs), so worker threads reporting one after another
 * do not redraw more often. Call with undefined to clear the line at the end.
 */
export function progressPrinter(io: CliIo, s: Styles): (p: LoadProgress | undefined) => void {
  let last = -Infinity;
  let drawn = false;
  const tty = stderrTTY(io);
  return (p) => {
    if (!p) {
      if (drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
      return;
    }
    if (p.elapsedMs - last < (tty ? TTY_EVERY_MS : PLAIN_EVERY_MS)) return;
    last = p.elapsedMs;
    const text = progressLine(p);
    if (tty) {
      io.stderr.write(`\r\x1b[2K${s.dim(text)}`);
      drawn = true;
    } else io.stderr.write(`${text}\n`);
  };
}

export function progressLine(p: LoadProgress): string {
  return `${(p.elapsedMs / 1000).toFixed(1)}s${p.totalMs ? `/${(p.totalMs / 1000).toFixed(0)}s` : ''}  ${p.rps} req/s  p99 ${formatValue(p.p99, 'ms')}  errors ${p.errors}  dropped ${p.dropped}  in flight ${p.inFlight}`;
}
