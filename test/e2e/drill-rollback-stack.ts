import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../servers/free-port.js';
import { ROOT } from '../helpers.js';

export const START = join(ROOT, 'examples/checkout-api/bluegreen/start.js');
export const SWITCH = join(ROOT, 'examples/checkout-api/bluegreen/switch.js');

export interface BlueGreen {
  port: number;
  url: string;
  /** Points the proxy at one colour (as the example's deploy and rollback do). */
  switchTo(colour: 'blue' | 'green'): void;
  version(): Promise<string>;
  /** Stops the stack (its process group) and resolves once the port is free again. */
  stop(): Promise<void>;
}

/**
 * The bundled example's blue-green staging, forced onto nginx: blue v1.3.2 and
 * green v1.4.0 (server.js on free ports) behind nginx on a free port, live on green.
 */
export async function startBlueGreen(): Promise<BlueGreen> {
  const port = await freePort();
  const child = spawn(process.execPath, [START], {
    env: { ...process.env, PORT: String(port), BLUEGREEN_PROXY: 'nginx' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (!/blue-green: .* → green/.test(out)) {
    if (child.exitCode !== null) throw new Error(`bluegreen/start.js exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`bluegreen/start.js not ready in 15 s: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url,
    switchTo(colour) {
      const r = spawnSync(process.execPath, [SWITCH, colour], { env: { ...process.env, PORT: String(port) } });
      if (r.status !== 0) throw new Error(`switch.js ${colour}: ${r.stdout}${r.stderr}`);
    },
    async version() {
      const body = (await (await fetch(`${url}/version`)).json()) as { version: string };
      return body.version;
    },
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      await portFree(port);
      if (existsSync(join(tmpdir(), `checkout-api-bluegreen-${port}`))) {
        throw new Error('bluegreen/start.js left its state folder behind');
      }
    },
  };
}

/** Resolves once something can listen on the port again (bounded: 5 s), else throws. */
export async function portFree(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return;
    if (Date.now() > deadline) throw new Error(`port ${port} is still in use`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { alive } from '../helpers.js';
