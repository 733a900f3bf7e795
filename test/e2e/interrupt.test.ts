import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, golive, opsHandler, serve, specYaml, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('Ctrl-C during golive check', () => {
  it('stops at once, keeps the partial evidence as an incomplete run, writes the reports and exits 3', async () => {
    const ops = opsHandler();
    let metricsAsked: () => void = () => {};
    const busy = new Promise<void>((r) => (metricsAsked = r));
    const s = await serve((req, res) => {
      // /metrics hangs (at most 20 s) so the interrupt lands while a collector is busy.
      if (req.url === '/metrics') {
        metricsAsked();
        return void setTimeout(() => ops(req, res), 20_000).unref();
      }
      ops(req, res);
    });
    cleanups.push(s.close);
    const dir = tree({ 'golive.yaml': specYaml(s.url) });
    const child = spawn(process.execPath, [BIN, 'check'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt once the ops collector is waiting on /metrics (not after a fixed delay: a busy machine is slow to start).
    await busy;
    child.kill('SIGINT');
    // It stops at once: long before the 20 s /metrics answer would have let it finish.
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stdout).not.toMatch(/ops\.metrics.*200/);
    expect(code, stdout + stderr).toBe(3);
    expect(stderr).toMatch(/interrupted: stopping, keeping partial results/);
    expect(stdout).toMatch(/\(incomplete run\)/);
    const report = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    expect(report.run.status).toBe('incomplete');
    const checks = report.evidence[0].checks;
    expect(checks.find((c: { id: string }) => c.id === 'ops.health').status).toBe('pass');
    expect(checks.find((c: { id: string }) => c.id === 'ops.metrics').summary).toMatch(/interrupted/);
    // An interrupted run is never ready: it cannot be signed go.
    expect(report.evaluation.readiness.blocking[0]).toMatch(/^run incomplete/);
    const go = await golive(['signoff', '--role', 'PM', '--by', 'pat', '--decision', 'go'], { cwd: dir });
    expect(go.code).toBe(2);
    expect(go.stderr).toMatch(/run incomplete/);
  });
});
