import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, serve, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Spawns golive, sends Ctrl-C once the first progress line is out, and collects what it wrote. */
function interrupted(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && /req\/s/.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  // Bounded: a run that never reports is killed, and the test fails on its exit code.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('Ctrl-C during golive load', () => {
  it('stops sending, prints and writes the partial result, and exits 3', async () => {
    const s = await serve((_req, res) => res.end('ok'));
    cleanups.push(s.close);
    const dir = tree();
    const r = await interrupted(['load', `${s.url}/`, '-c', '2', '-d', '60s', '--json', '--out', 'partial.json'], dir);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/interrupted: stopping, keeping partial results/);
    // Off a terminal, progress is plain lines (no escape codes).
    expect(r.stderr).toMatch(/^\d+\.\ds\/60s {2}\d+ req\/s {2}p99 .* errors 0 {2}dropped 0 {2}in flight \d+$/m);
    expect(r.stderr).not.toContain('\x1b');
    const printed = JSON.parse(r.stdout);
    expect(printed.stoppedBy).toBe('interrupted');
    expect(printed.requests).toBeGreaterThan(0);
    expect(printed.durationMs).toBeLessThan(60_000);
    const written = JSON.parse(readFileSync(join(dir, 'partial.json'), 'utf8'));
    expect(written.requests).toBe(printed.requests);
    expect(written.stoppedBy).toBe('interrupted');
  });
});
