import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget } from './start.js';

// Stands in for the service a supervisor runs: a daemon start command only hands it over.
let server: Server;
let readyUrl: string;
beforeAll(async () => {
  server = createServer((_q, s) => s.end('ok'));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  readyUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/health`;
});
afterAll(async () => {
  await new Promise<void>((res) => server.close(() => res()));
});

const daemon = (stopCommand: string, stopTimeoutMs: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-stop-'));
  const logFile = join(dir, 'target.log');
  const started = startTarget({
    command: 'exit 0',
    readyUrl,
    timeoutMs: 10_000,
    cwd: dir,
    logFile,
    daemon: true,
    ports: [],
    stopCommand,
    stopTimeoutMs,
  });
  return { started, logFile };
};

describe('startTarget stop outcome', () => {
  it('says how target.stop.command ended: exit 0, exit code, timeout', async () => {
    const ok = daemon('echo fine', 10_000);
    expect(await (await ok.started).stop()).toEqual({ handedOver: true, stopCommand: { command: 'echo fine' } });

    const bad = daemon('echo nope; exit 7', 10_000);
    expect(await (await bad.started).stop()).toEqual({
      handedOver: true,
      stopCommand: { command: 'echo nope; exit 7', failure: 'exit code 7' },
    });
    expect(readFileSync(bad.logFile, 'utf8')).toBe(
      'nope\n[golive] target.stop.command "echo nope; exit 7" failed (exit code 7)\n',
    );

    const slow = daemon('sleep 30', 200);
    const outcome = await (await slow.started).stop();
    expect(outcome.stopCommand?.failure).toBe('still running after 0.2s (target.stop.timeout); it was killed');
    // Calling it again answers the same, without running the command twice.
    expect(await (await slow.started).stop()).toBe(outcome);
  });
});
