import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectContext, Collector } from '../collect/collector.js';
import { requestName, scenarioOptions } from '../load/collector.js';
import { runLoad, validateLoadOptions } from '../load/engine.js';
import { loadMetrics, metricSafe, requestMetrics } from '../load/metrics.js';
import type { Check, Evidence } from '../model.js';
import { readVersion } from '../probes/ops.js';
import { redactDeep } from '../spec/redact.js';
import type { LoadScenario, Spec } from '../spec/schema.js';
import { parseDuration } from '../target/duration.js';
import { freshGet } from './fresh-get.js';
import { sameVersion } from './wait-version.js';
import { withDrillRedaction } from './redact.js';

/**
 * `drills.smoke`: the post-deployment smoke test (`golive verify`). A short,
 * low-rate run of the critical paths through the load engine, then judged
 * against the post-deployment targets of the launch plan (error rate < 0.1 %,
 * p95 < 200 ms by default, both settable): missing one makes the evidence
 * `fail`, so `golive verify` exits 1 on its own, without thresholds. The
 * metrics (drill.smoke.latency.p95, drill.smoke.error_rate …) can also be
 * bound by thresholds for the gate.
 */
export const smokeCollector: Collector = {
  name: 'drill.smoke',
  description: 'post-deployment smoke test of the critical paths',
  produces: ['drill.smoke.'],
  enabled: (spec) => spec.drills?.smoke !== undefined,
  prepare(spec, specDir) {
    validateLoadOptions(smokeOptions(spec, {}, specDir));
  },
  collect: withDrillRedaction(collectSmoke),
};

/** The smoke test as a load run: constant arrival rate, a few connections, each iteration the requests in order. */
export function smokeOptions(
  spec: Spec,
  headers: Record<string, string>,
  specDir: string,
  redact?: (s: string) => string,
) {
  const s = spec.drills?.smoke;
  if (!s) throw new Error('drills.smoke is not configured');
  const scenario = {
    executor: 'constant-arrival-rate',
    rate: s.rate,
    duration: s.duration,
    timeout: s.timeout,
    requests: s.requests,
    connections: 4,
  } as LoadScenario;
  return scenarioOptions(scenario, spec.target.baseUrl, headers, specDir, redact);
}

/** The targets as numbers: error rate as a fraction, p95 in ms. */
export function smokeTargets(spec: Spec): { maxErrorRate: number; maxP95Ms: number } {
  const s = spec.drills?.smoke;
  if (!s) throw new Error('drills.smoke is not configured');
  return { maxErrorRate: Number(s.maxErrorRate.slice(0, -1)) / 100, maxP95Ms: parseDuration(s.maxP95) };
}

async function collectSmoke(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const s = ctx.spec.drills?.smoke;
  if (!s) throw new Error('drills.smoke is not configured');
  const { maxErrorRate, maxP95Ms } = smokeTargets(ctx.spec);
  const checks: Check[] = [];

  if (s.checkVersion) {
    const path = ctx.spec.probes?.ops?.version || '/version';
    const url = new URL(path, ctx.spec.target.baseUrl).toString();
    const r = await freshGet(url, { headers: ctx.headers, timeoutMs: parseDuration(s.timeout), signal: ctx.signal });
    const seen =
      r.status !== undefined && r.status < 300 ? readVersion({ url, headers: {}, body: r.body, ms: r.ms }) : undefined;
    const ok = seen !== undefined && sameVersion(seen, ctx.spec.release);
    checks.push({
      id: 'drill.smoke.version',
      status: ok ? 'pass' : 'fail',
      summary: ok
        ? `GET ${path} reports ${seen}`
        : `GET ${path} ${seen !== undefined ? `reports ${seen}` : r.status !== undefined ? `answered ${r.status} without a version` : `failed: ${r.error}`}, expected ${ctx.spec.release}`,
    });
  }

  ctx.progress(`${s.requests.length} request(s) per iteration at ${s.rate} for ${s.duration}`);
  const result = await runLoad({
    ...smokeOptions(ctx.spec, ctx.headers, ctx.specDir, ctx.redact),
    signal: ctx.signal,
    onProgress: (p) =>
      ctx.progress(`${(p.elapsedMs / 1000).toFixed(0)}s/${s.duration} · ${p.requests} requests · errors ${p.errors}`),
  });
  writeFileSync(join(ctx.artifactsDir, 'drill-smoke.json'), `${JSON.stringify(redactDeep(result, ctx.redact))}\n`);

  const pct = (r: number): string => `${(r * 100).toFixed(2)} %`;
  const errorOk = result.requests > 0 && result.errorRate < maxErrorRate;
  checks.push({
    id: 'drill.smoke.error_rate',
    status: errorOk ? 'pass' : 'fail',
    summary:
      result.requests === 0
        ? 'no request completed'
        : `error rate ${pct(result.errorRate)} (${result.errors} of ${result.requests}), target < ${s.maxErrorRate}`,
  });
  const latencyOk = result.requests > 0 && result.latency.p95 < maxP95Ms;
  checks.push({
    id: 'drill.smoke.latency',
    status: latencyOk ? 'pass' : 'fail',
    summary: `p95 ${result.latency.p95} ms, target < ${s.maxP95}`,
  });
  const names = s.requests.map((r) => requestName(r, ctx.redact));
  for (const name of [...new Set(names)]) {
    const st = result.perRequest[name] ?? (names.length === 1 ? result : undefined);
    if (!st) continue;
    checks.push({
      id: `drill.smoke.${metricSafe(name)}`,
      status: st.requests > 0 && st.errors === 0 ? 'pass' : 'fail',
      summary: `${name}: ${st.requests} requests, ${st.errors} errors, p95 ${st.latency.p95} ms`,
    });
  }
  const interrupted = ctx.signal.aborted;
  const failed = checks.filter((c) => c.status !== 'pass');
  return {
    collector: 'drill.smoke',
    status: interrupted ? 'error' : failed.length ? 'fail' : 'pass',
    summary: `${result.requests} requests on ${names.length} critical path${names.length === 1 ? '' : 's'} · error rate ${pct(result.errorRate)} · p95 ${result.latency.p95} ms${
      failed.length ? ` · failing: ${failed.map((c) => c.id).join(', ')}` : ' · post-deployment targets met'
    }`,
    startedAt,
    endedAt: ctx.now().toISOString(),
    metrics: [...loadMetrics(result, 'drill.smoke'), ...requestMetrics(result, 'drill.smoke')],
    checks,
    findings: [],
    artifacts: [{ name: 'smoke test result', path: 'drill-smoke.json', contentType: 'application/json' }],
    data: {
      targets: { maxErrorRate: s.maxErrorRate, maxP95: s.maxP95 },
      result: { ...result, histograms: undefined },
    },
    ...(interrupted ? { error: 'interrupted' } : {}),
  };
}
