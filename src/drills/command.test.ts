import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCommandResult, runCommand } from './command.js';

const cwd = tmpdir();

describe('runCommand', () => {
  it('captures output and the exit code', async () => {
    const r = await runCommand({ command: 'echo out; echo err >&2; exit 3', cwd, timeoutMs: 5000 });
    expect(r.exitCode).toBe(3);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('out');
    expect(r.output).toContain('err');
    expect(describeCommandResult(r, 5000)).toMatch(/exited 3/);
  });

  it('kills a hanging command and its children at the timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-cmd-'));
    const pidFile = join(dir, 'pid');
    const r = await runCommand({ command: `sleep 30 & echo $! > ${pidFile}; wait`, cwd, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.durationMs).toBeLessThan(5000);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    expect(isRunning(child)).toBe(false);
  });

  it('redacts output and writes it to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-cmd-'));
    const out = join(dir, 'out.log');
    const r = await runCommand({
      command: 'echo token=s3cr3t',
      cwd,
      timeoutMs: 5000,
      redact: (s) => s.replaceAll('s3cr3t', '[redacted]'),
      outputFile: out,
    });
    expect(r.ok).toBe(true);
    expect(r.output).not.toContain('s3cr3t');
    expect(readFileSync(out, 'utf8')).toContain('token=[redacted]');
  });

  it('keeps the start and the end of a long output', async () => {
    const r = await runCommand({
      command: 'echo FIRST; seq 1 100000; echo LAST',
      cwd,
      timeoutMs: 10_000,
      maxOutputBytes: 4096,
    });
    expect(r.output).toContain('FIRST');
    expect(r.output).toContain('LAST');
    expect(r.output).toMatch(/bytes of output left out/);
    expect(r.output.length).toBeLessThan(6000);
  });

  it('stops when interrupted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await runCommand({ command: 'sleep 30', cwd, timeoutMs: 60_000, signal: ac.signal });
    expect(r.interrupted).toBe(true);
    expect(describeCommandResult(r, 60_000)).toBe('interrupted');
  });
});

/** True while the process exists and is not a zombie (a container's init may not reap orphans). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
