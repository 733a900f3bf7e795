import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './binary.js';
import { freePort } from './free-port.js';

export interface RunningAlertmanager {
  url: string;
  port: number;
  dir: string;
  /** Everything Alertmanager wrote to stderr so far (its log). */
  log(): string;
  stop(): Promise<void>;
}

/** Debian's Alertmanager binary, or undefined (tests skip) — under CI=true a missing one throws. */
export const alertmanagerBinary = (): string | undefined => findBinary('prometheus-alertmanager');

/**
 * A route and webhook receiver sending every alert to `webhookUrl` fast:
 * group_wait and group_interval of 1 s so the firing and the resolved
 * notification go out within about a second. `sendResolved: false` is the
 * misconfiguration the resolved-never-arrives test needs.
 */
export function webhookConfig(webhookUrl: string, opts: { sendResolved?: boolean } = {}): string {
  return `route:
  receiver: golive
  group_by: [alertname, golive_drill]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: golive
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: ${opts.sendResolved ?? true}
`;
}

/**
 * Starts the real Alertmanager (Debian's prometheus-alertmanager) on a free
 * loopback port with the given config, storage in a fresh folder, clustering
 * off. Resolves once /-/ready answers.
 */
export async function startAlertmanager(config: string): Promise<RunningAlertmanager> {
  const bin = alertmanagerBinary();
  if (!bin) throw new Error('Alertmanager is not installed (apt-get install -y prometheus-alertmanager)');
  const dir = mkdtempSync(join(tmpdir(), 'golive-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const child = spawn(
    bin,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Alertmanager exited: ${stderr}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Alertmanager did not get ready on ${url} within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dir,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
