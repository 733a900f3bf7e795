import { join } from 'node:path';
import type { CollectContext, Collector } from '../collect/collector.js';
import { GoliveError } from '../errors.js';
import type { Artifact, Check, Evidence, EvidenceStatus, Metric } from '../model.js';
import type { RollbackDrill } from '../spec/drills-release.js';
import type { Spec } from '../spec/schema.js';
import { parseDuration } from '../target/duration.js';
import { describeCommandResult, runCommand, type CommandResult } from './command.js';
import { ProbeTraffic } from './probe-traffic.js';
import { buildTimeline, percentile, withPhaseStats, type Phase } from './timeline.js';
import { sameVersion, waitForVersion } from './wait-version.js';
import { withDrillRedaction } from './redact.js';
import { drillEvidence } from './drill-evidence.js';

const DEFAULT_DEPLOY_TIMEOUT_MS = 120_000;

/**
 * `drills.rollback`: the rollback rehearsal. Runs the deploy command, confirms
 * the new version answers healthy, runs the rollback command and times it
 * until the previous version answers healthy and stays so for the settle
 * period — all under low probe traffic whose errors and latency show whether
 * the switches were zero-downtime. Every command has a timeout and its output
 * kept as an artifact; a failing or hanging command is a failed drill (status
 * `fail`), one that cannot start is `error` (exit 3 for `golive drill`).
 *
 * Metrics: drill.deploy.duration, drill.rollback.duration (ms),
 * drill.rollback.requests, drill.rollback.errors (count),
 * drill.rollback.error_rate (ratio), drill.rollback.latency.p95 (ms).
 */
export const rollbackCollector: Collector = {
  name: 'drill.rollback',
  description: 'rollback rehearsal (deploy, rollback, time to healthy previous version)',
  produces: ['drill.rollback.', 'drill.deploy.'],
  enabled: (spec) => spec.drills?.rollback !== undefined,
  prepare(spec) {
    const d = spec.drills?.rollback;
    if (!d) return;
    const next = d.newVersion ?? spec.release;
    if (sameVersion(next, d.expectVersion)) {
      throw new GoliveError(
        'GL_SPEC_INVALID',
        `drills.rollback.expectVersion is ${d.expectVersion}, the same as the version deployed (${next}): the rehearsal could not tell a rollback from no change`,
        { hint: 'set expectVersion to the previous release, the one the rollback must bring back' },
      );
    }
  },
  collect: withDrillRedaction(collectRollback),
};

interface Plan {
  drill: RollbackDrill;
  newVersion: string;
  healthUrl: string;
  versionUrl: string;
  withinMs: number;
  settleMs: number;
  verifyMs: number;
  requestTimeoutMs: number;
  rate: number;
  deployTimeoutMs: number;
  rollbackTimeoutMs: number;
}

export function planRollback(spec: Spec): Plan {
  const drill = spec.drills?.rollback;
  if (!drill) throw new Error('drills.rollback is not configured');
  const base = new URL(spec.target.baseUrl);
  const url = (path: string): string => new URL(path, base).toString();
  const withinMs = parseDuration(drill.within);
  const timeoutOf = (c: RollbackDrill['deploy'], fallback: number): number =>
    typeof c === 'object' && c.timeout ? parseDuration(c.timeout) : fallback;
  return {
    drill,
    newVersion: drill.newVersion ?? spec.release,
    healthUrl: url(drill.health ?? (spec.probes?.ops?.health || '/health')),
    versionUrl: url(drill.version ?? (spec.probes?.ops?.version || '/version')),
    withinMs,
    settleMs: parseDuration(drill.settle),
    verifyMs: parseDuration(drill.verifyTimeout),
    requestTimeoutMs: parseDuration(drill.requestTimeout),
    rate: Number(drill.rate.slice(0, -2)),
    deployTimeoutMs: timeoutOf(drill.deploy, DEFAULT_DEPLOY_TIMEOUT_MS),
    rollbackTimeoutMs: timeoutOf(drill.rollback, withinMs),
  };
}

const commandLine = (c: RollbackDrill['deploy']): string => (typeof c === 'string' ? c : c.command);

async function collectRollback(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const p = planRollback(ctx.spec);
  const t0 = performance.now();
  const rel = (at: number): number => Math.round(at - t0);
  // The most the drill can last: deploy, verify, rollback with settle; the traffic never outlives it.
  const maxMs = p.deployTimeoutMs + p.verifyMs + p.rollbackTimeoutMs + p.settleMs + 5000;
  const traffic = new ProbeTraffic({
    url: p.versionUrl,
    headers: ctx.headers,
    rate: p.rate,
    timeoutMs: p.requestTimeoutMs,
    maxRequests: Math.ceil((p.rate * maxMs) / 1000),
    t0,
    signal: ctx.signal,
  });
  const phases: Phase[] = [];
  const checks: Check[] = [];
  const artifacts: Artifact[] = [];
  const metrics: Metric[] = [];
  let status: EvidenceStatus = 'pass';
  let failure: string | undefined;
  const fail = (why: string, st: EvidenceStatus = 'fail'): void => {
    failure ??= why;
    if (status !== 'error') status = st;
  };
  const env = {
    ...ctx.spec.drills?.rollback?.env,
    GOLIVE_DRILL: 'rollback',
    GOLIVE_BASE_URL: ctx.spec.target.baseUrl,
    GOLIVE_RELEASE: p.newVersion,
    GOLIVE_PREVIOUS_VERSION: p.drill.expectVersion,
  };
  const run = (name: 'deploy' | 'rollback', timeoutMs: number): Promise<CommandResult> => {
    const file = `drill-rollback-${name}.log`;
    artifacts.push({ name: `${name} command output`, path: file, contentType: 'text/plain' });
    return runCommand({
      command: commandLine(p.drill[name]),
      cwd: ctx.specDir,
      env,
      timeoutMs,
      signal: ctx.signal,
      redact: ctx.redact,
      outputFile: join(ctx.artifactsDir, file),
    });
  };
  const commandFailure = (name: string, r: CommandResult, timeoutMs: number): string => {
    const tail = r.output.trim().split('\n').slice(-3).join(' ⏎ ');
    return `${name} command "${ctx.redact(r.command)}" ${describeCommandResult(r, timeoutMs)}${tail ? `: ${tail}` : ''}`;
  };
  const skip = (...ids: string[]): void => {
    for (const id of ids) checks.push({ id: `drill.rollback.${id}`, status: 'skipped', summary: 'not reached' });
  };

  try {
    // 1. Deploy the release under test.
    ctx.progress(`deploy: ${commandLine(p.drill.deploy)}`);
    const deployStart = performance.now();
    const deploy = await run('deploy', p.deployTimeoutMs);
    const deployEnd = performance.now();
    phases.push({
      name: 'deploy',
      startMs: rel(deployStart),
      endMs: rel(deployEnd),
      ok: deploy.ok,
      detail: describeCommandResult(deploy, p.deployTimeoutMs),
    });
    checks.push({
      id: 'drill.rollback.deploy',
      status: deploy.ok ? 'pass' : deploy.spawnError || deploy.interrupted ? 'error' : 'fail',
      summary: deploy.ok
        ? `"${ctx.redact(deploy.command)}" ${describeCommandResult(deploy, p.deployTimeoutMs)}`
        : commandFailure('deploy', deploy, p.deployTimeoutMs),
    });
    if (!deploy.ok) {
      fail(
        commandFailure('deploy', deploy, p.deployTimeoutMs),
        deploy.spawnError || deploy.interrupted ? 'error' : 'fail',
      );
      skip('new-version', 'rollback', 'previous-version');
      return await finish();
    }

    // 2. The new version answers healthy.
    ctx.progress(`waiting for ${p.newVersion} to answer healthy`);
    const verify = await waitForVersion({
      healthUrl: p.healthUrl,
      versionUrl: p.versionUrl,
      headers: ctx.headers,
      want: p.newVersion,
      deadline: deployEnd + p.verifyMs,
      settleMs: 0,
      requestTimeoutMs: p.requestTimeoutMs,
      signal: ctx.signal,
    });
    const verifyEnd = verify.settledAt ?? performance.now();
    phases.push({
      name: 'verify-new',
      startMs: rel(deployEnd),
      endMs: rel(verifyEnd),
      ok: verify.ok,
      detail: verify.ok ? `${p.newVersion} healthy` : `${p.newVersion} not seen: ${verify.last}`,
    });
    if (!verify.ok) {
      const why = verify.stoppedBy
        ? `interrupted while waiting for ${p.newVersion}`
        : `after the deploy, ${p.newVersion} did not answer healthy within ${p.drill.verifyTimeout} (last: ${verify.last})`;
      checks.push({ id: 'drill.rollback.new-version', status: verify.stoppedBy ? 'error' : 'fail', summary: why });
      fail(why, verify.stoppedBy ? 'error' : 'fail');
      skip('rollback', 'previous-version');
      return await finish();
    }
    const deployMs = verifyEnd - deployStart;
    metrics.push({ name: 'drill.deploy.duration', value: round(deployMs), unit: 'ms' });
    checks.push({
      id: 'drill.rollback.new-version',
      status: 'pass',
      summary: `${p.newVersion} answered healthy ${seconds(deployMs)} after the deploy started`,
    });

    // 3. Roll back, timed until the previous version answers healthy and holds for the settle period.
    ctx.progress(`rollback: ${commandLine(p.drill.rollback)}`);
    const rollbackStart = performance.now();
    let rollback: CommandResult | undefined;
    const rollbackRun = run('rollback', p.rollbackTimeoutMs).then((r) => {
      rollback = r;
      return r;
    });
    const back = await waitForVersion({
      healthUrl: p.healthUrl,
      versionUrl: p.versionUrl,
      headers: ctx.headers,
      want: p.drill.expectVersion,
      deadline: rollbackStart + p.withinMs + p.settleMs,
      settleMs: p.settleMs,
      requestTimeoutMs: p.requestTimeoutMs,
      signal: ctx.signal,
      ready: () => rollback !== undefined,
      disturbedSince: (since) => traffic.disturbedSince(since - t0, p.drill.expectVersion),
      stopWhen: () => (rollback && !rollback.ok ? 'the rollback command failed' : undefined),
    });
    const rb = await rollbackRun;
    const rbFailed = !rb.ok;
    checks.push({
      id: 'drill.rollback.rollback',
      status: rb.ok ? 'pass' : rb.spawnError || rb.interrupted ? 'error' : 'fail',
      summary: rb.ok
        ? `"${ctx.redact(rb.command)}" ${describeCommandResult(rb, p.rollbackTimeoutMs)}`
        : commandFailure('rollback', rb, p.rollbackTimeoutMs),
    });
    if (back.ok && back.stableSince !== undefined && back.settledAt !== undefined) {
      const durationMs = back.stableSince - rollbackStart;
      const inTime = durationMs <= p.withinMs;
      metrics.push({ name: 'drill.rollback.duration', value: round(durationMs), unit: 'ms' });
      phases.push({
        name: 'rollback',
        startMs: rel(rollbackStart),
        endMs: rel(back.stableSince),
        ok: rb.ok && inTime,
        detail: `command ${describeCommandResult(rb, p.rollbackTimeoutMs)}; ${p.drill.expectVersion} healthy after ${seconds(durationMs)}`,
      });
      phases.push({
        name: 'settle',
        startMs: rel(back.stableSince),
        endMs: rel(back.settledAt),
        ok: true,
        detail: `${p.drill.expectVersion} stayed healthy for ${p.drill.settle}`,
      });
      checks.push({
        id: 'drill.rollback.previous-version',
        status: inTime ? 'pass' : 'fail',
        summary: `${p.drill.expectVersion} answered healthy ${seconds(durationMs)} after the rollback started and stayed healthy for ${p.drill.settle}${inTime ? ` (within ${p.drill.within})` : ` — over the ${p.drill.within} allowed`}`,
      });
      if (rbFailed) fail(commandFailure('rollback', rb, p.rollbackTimeoutMs), rb.spawnError ? 'error' : 'fail');
      if (!inTime) fail(`rollback took ${seconds(durationMs)}, over the ${p.drill.within} allowed`);
    } else {
      const end = performance.now();
      const why = rbFailed
        ? commandFailure('rollback', rb, p.rollbackTimeoutMs)
        : back.stoppedBy === 'interrupted'
          ? 'interrupted during the rollback'
          : `the rollback never brought back ${p.drill.expectVersion} healthy within ${p.drill.within} (last: ${back.last})`;
      phases.push({ name: 'rollback', startMs: rel(rollbackStart), endMs: rel(end), ok: false, detail: why });
      checks.push({
        id: 'drill.rollback.previous-version',
        status: 'fail',
        summary: rbFailed ? `not confirmed: ${why}` : why,
      });
      fail(why, rb.spawnError || rb.interrupted || back.stoppedBy === 'interrupted' ? 'error' : 'fail');
    }
    return await finish();
  } finally {
    await traffic.stop();
  }

  async function finish(): Promise<Evidence> {
    const samples = await traffic.stop();
    const endMs = rel(performance.now());
    const errors = samples.filter((s) => !s.ok);
    const p95 = percentile(
      samples.map((s) => s.ms),
      0.95,
    );
    metrics.push(
      { name: 'drill.rollback.requests', value: samples.length, unit: 'count' },
      { name: 'drill.rollback.errors', value: errors.length, unit: 'count' },
      { name: 'drill.rollback.error_rate', value: samples.length ? errors.length / samples.length : 0, unit: 'ratio' },
    );
    if (p95 !== null) metrics.push({ name: 'drill.rollback.latency.p95', value: p95, unit: 'ms' });
    const firstErrors = [...new Set(errors.map((e) => e.error ?? 'error'))].slice(0, 3).join('; ');
    checks.push({
      id: 'drill.rollback.zero-downtime',
      status: errors.length === 0 ? 'pass' : 'fail',
      summary:
        errors.length === 0
          ? `${samples.length} probe requests at ${p.rate}/s during the drill, none failed`
          : `${errors.length} of ${samples.length} probe requests failed during the drill (${firstErrors})`,
    });
    if (errors.length > 0) fail(`${errors.length} of ${samples.length} probe requests failed: not zero-downtime`);
    const timeline = buildTimeline(samples, endMs);
    const fullPhases = phases.map((ph) => withPhaseStats(ph, samples));
    const rollbackMetric = metrics.find((m) => m.name === 'drill.rollback.duration');
    const summary =
      status === 'pass' && rollbackMetric
        ? `${p.newVersion} deployed and rolled back to ${p.drill.expectVersion} in ${seconds(rollbackMetric.value)} (within ${p.drill.within}); ${samples.length} probe requests, ${errors.length} errors`
        : `rollback drill failed: ${failure ?? 'see checks'}; ${samples.length} probe requests, ${errors.length} errors`;
    return drillEvidence({
      collector: 'drill.rollback',
      status,
      summary,
      startedAt,
      endedAt: ctx.now(),
      metrics,
      checks,
      artifacts,
      data: {
        deploy: commandLine(p.drill.deploy),
        rollback: commandLine(p.drill.rollback),
        newVersion: p.newVersion,
        expectVersion: p.drill.expectVersion,
        within: p.drill.within,
        settle: p.drill.settle,
        rate: p.rate,
        probeUrl: p.versionUrl,
        timeline,
        phases: fullPhases,
      },
      error: failure,
    });
  }
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
