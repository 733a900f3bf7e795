import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Evidence } from '../../src/model.js';
import { golive, tree } from '../helpers.js';

/** A self-signed certificate made by openssl in `dir`: key.pem and cert.pem. */
export function makeCert(dir: string, opts: { days?: number; cn?: string; san?: string | null } = {}) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const san = opts.san === undefined ? 'IP:127.0.0.1' : opts.san;
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      String(opts.days ?? 90),
      '-subj',
      `/CN=${opts.cn ?? '127.0.0.1'}`,
      ...(san ? ['-addext', `subjectAltName=${san}`] : []),
    ],
    { stdio: 'ignore' },
  );
  return { key, cert };
}

/** Runs `golive probe …` with --json and parses the evidence. */
export async function probe(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; ev: Evidence; stdout: string; stderr: string }> {
  const r = await golive(['probe', ...args, '--json'], {
    cwd: opts.cwd ?? tree(),
    env: opts.env ?? {},
    timeoutMs: 120_000,
  });
  let ev: Evidence;
  try {
    ev = JSON.parse(r.stdout) as Evidence;
  } catch {
    throw new Error(`golive probe did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, ev, stdout: r.stdout, stderr: r.stderr };
}

export const rules = (ev: Evidence): string[] => [...new Set(ev.findings.map((f) => f.rule))].sort();
export const check = (ev: Evidence, id: string) => ev.checks.find((c) => c.id === id);
export const metric = (ev: Evidence, name: string) => ev.metrics.find((m) => m.name === name)?.value;
export const serious = (ev: Evidence) =>
  ev.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity)).map((f) => `${f.rule} ${f.location}`);
