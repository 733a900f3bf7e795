import { join } from 'node:path';
import type { CollectContext } from '../collect/collector.js';
import { runCommand } from './command.js';

export interface PromtoolResult {
  file: string;
  ok: boolean;
  /** True when the shell could not find promtool (exit 127). */
  notInstalled: boolean;
  /** First line promtool reported as an error (redacted), for the finding. */
  firstError: string;
  /** Artifact path of the captured output. */
  artifact: string;
}

const TIMEOUT_MS = 30_000;

/** Runs `promtool check rules FILE` (30 s timeout, output kept as an artifact). */
export async function runPromtool(abs: string, rel: string, ctx: CollectContext): Promise<PromtoolResult> {
  const artifact = `promtool-${rel.replace(/[^\w.-]+/g, '_')}.log`;
  const r = await runCommand({
    command: `promtool check rules ${shellQuote(abs)}`,
    cwd: ctx.specDir,
    timeoutMs: TIMEOUT_MS,
    signal: ctx.signal,
    redact: ctx.redact,
    outputFile: join(ctx.artifactsDir, artifact),
  });
  const lines = r.output.split('\n').map((l) => l.trim());
  const firstError =
    lines.find((l) => l.startsWith(`${abs}:`))?.replace(abs, rel) ??
    lines.find((l) => /error|FAILED|err:/i.test(l) && !/^Checking /.test(l)) ??
    (r.timedOut ? 'timed out after 30 s' : (lines.find((l) => l !== '') ?? `exit ${r.exitCode}`));
  return { file: rel, ok: r.ok, notInstalled: r.exitCode === 127, firstError, artifact };
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
