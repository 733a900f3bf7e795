import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../load/engine.js';
import { styles, type CliIo } from './io.js';
import { progressPrinter } from './load-progress.js';

function io(isTTY: boolean): CliIo & { err: string[] } {
  const err: string[] = [];
  return {
    err,
    stdout: { write: () => true },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    cwd: '/',
    isTTY,
    now: () => new Date(0),
    signal: new AbortController().signal,
  };
}

const at = (elapsedMs: number): LoadProgress => ({
  elapsedMs,
  totalMs: 10_000,
  requests: elapsedMs * 10,
  rps: 1234,
  p99: 12.5,
  errors: 2,
  dropped: 1,
  inFlight: 7,
});

describe('golive load progress', () => {
  it('redraws one line on a terminal at most 4 times a second and clears it at the end', () => {
    const out = io(true);
    const print = progressPrinter(out, styles(true));
    // Two worker threads report every 250 ms each: 8 reports a second reach the printer.
    for (let t = 0; t <= 2000; t += 125) print(at(t));
    print(undefined);
    const draws = out.err.filter((t) => t.includes('req/s'));
    expect(draws).toHaveLength(9); // 0, 250 … 2000 ms
    expect(draws[1]).toContain('0.3s/10s  1234 req/s  p99 12.5 ms  errors 2  dropped 1  in flight 7');
    expect(out.err.every((t) => !t.includes('\n'))).toBe(true);
    expect(out.err.at(-1)).toBe('\r\x1b[2K');
  });

  it('writes a plain line every 5 s when not on a terminal, and nothing to clear', () => {
    const out = io(false);
    const print = progressPrinter(out, styles(false));
    for (let t = 0; t <= 12_000; t += 250) print(at(t));
    print(undefined);
    expect(out.err).toEqual([
      expect.stringMatching(/^0\.0s\/10s {2}1234 req\/s .*\n$/),
      expect.stringMatching(/^5\.0s\/10s /),
      expect.stringMatching(/^10\.0s\/10s /),
    ]);
    expect(out.err.join('')).not.toContain('\x1b');
  });
});
