import { describe, expect, it } from 'vitest';
import { colourOn, errStyles, outStyles, progressLine, type CliIo } from './io.js';

function io(over: Partial<CliIo>, clock: { t: number }): CliIo & { err: string[] } {
  const err: string[] = [];
  return {
    err,
    stdout: { write: () => true },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    cwd: '/',
    isTTY: false,
    now: () => new Date(clock.t),
    signal: new AbortController().signal,
    ...over,
  };
}

describe('colourOn', () => {
  it('follows the stream when neither variable is set', () => {
    expect(colourOn(true, {})).toBe(true);
    expect(colourOn(false, {})).toBe(false);
  });
  it('NO_COLOR (non-empty) turns it off; an empty NO_COLOR does not', () => {
    expect(colourOn(true, { NO_COLOR: '1' })).toBe(false);
    expect(colourOn(true, { NO_COLOR: '' })).toBe(true);
  });
  it('FORCE_COLOR turns it on, even off a terminal and over NO_COLOR; 0 and false turn it off', () => {
    expect(colourOn(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourOn(false, { FORCE_COLOR: '' })).toBe(true);
    expect(colourOn(false, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colourOn(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourOn(true, { FORCE_COLOR: 'false' })).toBe(false);
  });
  it('decides stdout and stderr colour each on its own stream', () => {
    const clock = { t: 0 };
    const both = io({ isTTY: true, stderrIsTTY: false }, clock);
    expect(outStyles(both).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(errStyles(both).red('x')).toBe('x');
    const swapped = io({ isTTY: false, stderrIsTTY: true }, clock);
    expect(outStyles(swapped).red('x')).toBe('x');
    expect(errStyles(swapped).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});

describe('progressLine', () => {
  it('off a terminal, writes at most one line per interval of the io clock', () => {
    const clock = { t: 0 };
    const i = io({ stderrIsTTY: false }, clock);
    const p = progressLine(i, 'verify', 5000);
    for (let t = 0; t <= 12_000; t += 500) {
      clock.t = t;
      p.write(`at ${t}`);
    }
    expect(i.err).toEqual(['verify: at 0\n', 'verify: at 5000\n', 'verify: at 10000\n']);
    p.clear();
    expect(i.err).toHaveLength(3);
  });
  it('with interval 0, writes every note', () => {
    const clock = { t: 0 };
    const i = io({ stderrIsTTY: false }, clock);
    const p = progressLine(i, 'drill', 0);
    p.write('a');
    p.write('b');
    expect(i.err).toEqual(['drill: a\n', 'drill: b\n']);
  });
  it('on a terminal (stderr), redraws one line for every note and clears it at the end', () => {
    const clock = { t: 0 };
    const i = io({ isTTY: false, stderrIsTTY: true }, clock);
    const p = progressLine(i, 'verify', 5000);
    p.write('a');
    p.write('b');
    p.clear();
    expect(i.err).toEqual(['\r\x1b[2K\x1b[2mverify: a\x1b[22m', '\r\x1b[2K\x1b[2mverify: b\x1b[22m', '\r\x1b[2K']);
  });
});
