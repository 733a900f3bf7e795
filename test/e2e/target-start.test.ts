import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, golive, ROOT, tree } from '../helpers.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const base = (port: number, start: string) => `version: 1
service: shop
release: v1.4.0
target:
  baseUrl: http://127.0.0.1:${port}
  start: ${start}
thresholds:
  ops.endpoints.failing: "== 0"
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops] }
`;

describe('target.start', () => {
  it('starts the service, keeps its output as an artifact, and stops it afterwards', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': base(
        port,
        `{ command: "node ${join(ROOT, 'examples/checkout-api/server.js')}", ready: /health, timeout: 15s, env: { PORT: "${port}" } }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/target ready in/);
    const runs = readdirSync(join(dir, '.golive', 'runs'));
    expect(runs).toHaveLength(1);
    expect(readFileSync(join(dir, '.golive', 'runs', runs[0] as string, 'target.log'), 'utf8')).toMatch(/listening on/);
    // The port is free again: the service was stopped.
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });

  it('exits 3 quoting the output when the start command exits at once', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': base(port, `{ command: "echo boom-from-service; exit 7", ready: /health, timeout: 10s }`),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_START_FAILED.*exited \(exit code 7\)/);
    expect(r.stderr).toContain('boom-from-service');
  });

  it('exits 3 after the timeout when the service never becomes ready, and kills its process group', async () => {
    const port = await freePort();
    const dir = tree({
      'golive.yaml': base(
        port,
        `{ command: "sh -c 'echo $$ > child.pid; exec sleep 60' & wait", ready: /health, timeout: 1s }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/GL_TARGET_NOT_READY.*did not answer 2xx\/3xx within 1s; the service was stopped/);
    const pid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, 'golive-report', 'report.json'))).toBe(false);
  });

  it('redacts values from the environment in the service output it keeps and quotes', async () => {
    const port = await freePort();
    const secret = 'tok-5be1d3a0c9f7'; // golive:allow (test value)
    const dir = tree({
      'golive.yaml': base(
        port,
        `{ command: "echo token=$T; echo done; exit 7", ready: /health, timeout: 10s, env: { T: "\${MY_TOKEN}" } }`,
      ),
    });
    const r = await golive(['check'], { cwd: dir, env: { MY_TOKEN: secret } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('token=[redacted]');
    expect(r.stderr).not.toContain(secret);
    const runs = readdirSync(join(dir, '.golive', 'runs'));
    const log = readFileSync(join(dir, '.golive', 'runs', runs[0] as string, 'target.log'), 'utf8');
    expect(log).toContain('token=[redacted]');
    expect(log).not.toContain(secret);
  });
});
