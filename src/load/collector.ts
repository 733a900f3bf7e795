import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Collector, CollectContext } from '../collect/collector.js';
import type { Evidence, Metric } from '../model.js';
import type { LoadScenario } from '../spec/schema.js';
import { parseDuration } from '../target/duration.js';
import { planAbort } from './abort.js';
import { loadCsv } from './data.js';
import { GoliveError } from '../errors.js';
import { redactDeep } from '../spec/redact.js';
import { runLoad, validateLoadOptions, type LoadRequest } from './engine.js';
import { mergeConcurrent, mergeSequential } from './merge.js';
import { loadMetrics, mixMetrics, requestMetrics } from './metrics.js';
import { parseRate } from './rate.js';
import type { LoadResult } from './stats.js';

/**
 * The load collector: runs the scenarios of `load.scenarios` against the
 * target — together, each from its startTime (`run: concurrent`, the
 * default), or one after the other (`run: sequential`) — through the same
 * engine as `golive load`.
 * Metrics: `load.<scenario>.*` per scenario, `load.<scenario>.<request>.*` per
 * request name, and `load.*` over all scenarios (histograms merged exactly).
 */
export const loadCollector: Collector = {
  name: 'load',
  description: 'load scenarios',
  produces: ['load.'],
  enabled: (spec) => spec.load !== undefined && Object.keys(spec.load.scenarios).length > 0,
  prepare(spec, specDir) {
    for (const [name, scenario] of Object.entries(spec.load?.scenarios ?? {})) {
      const options = scenarioOptions(scenario, spec.target.baseUrl, {}, specDir);
      validateLoadOptions(options);
      const data = options.data;
      if (data?.mode === 'unique') {
        const planned =
          options.maxRequests ??
          (options.rate !== undefined && options.durationMs !== undefined
            ? Math.ceil((options.rate * options.durationMs) / 1000)
            : undefined);
        if (planned !== undefined && data.rows.length < planned) {
          throw new GoliveError(
            'GL_SPEC_INVALID',
            `load scenario ${name}: the unique data feed ${scenario.data?.file} has ${data.rows.length} rows, but the scenario plans up to ${planned} iterations`,
            {
              hint: 'add rows, lower the rate or duration, or use mode: sequential',
            },
          );
        }
      }
    }
  },
  collect: collectLoad,
};

async function collectLoad(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const load = ctx.spec.load;
  const scenarios = Object.entries(load?.scenarios ?? {});
  const concurrent = (load?.run ?? 'concurrent') === 'concurrent';

  const runScenario = async (name: string, scenario: LoadScenario): Promise<LoadResult> => {
    ctx.progress(`${name}: starting`);
    const abort = load?.abortOnFail;
    const thresholds = Object.entries(ctx.spec.thresholds).map(([metric, expr]) => ({
      // With one scenario, the overall load.* thresholds are that scenario's too.
      name:
        scenarios.length === 1 && !metric.startsWith(`load.${name}.`)
          ? metric.replace(/^load\./, `load.${name}.`)
          : metric,
      expr,
    }));
    const result = await runLoad({
      ...scenarioOptions(scenario, ctx.spec.target.baseUrl, ctx.headers, ctx.specDir, ctx.redact),
      ...(abort
        ? {
            abortOnFail: {
              plan: planAbort(thresholds, `load.${name}`),
              afterMs: typeof abort === 'object' ? parseDuration(abort.after) : 1000,
            },
          }
        : {}),
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress(
          `${name}: ${(p.elapsedMs / 1000).toFixed(0)}s${p.totalMs ? `/${(p.totalMs / 1000).toFixed(0)}s` : ''} · ${p.rps} req/s · p99 ${p.p99.toFixed(1)} ms · errors ${p.errors} · dropped ${p.dropped}`,
        ),
    });
    writeFileSync(join(ctx.artifactsDir, `load-${name}.json`), `${JSON.stringify(redactDeep(result, ctx.redact))}\n`);
    return result;
  };

  /** Scenario name, result, and when it started (ms after the load phase began). */
  const results: Array<[string, LoadResult, number]> = [];
  if (concurrent) {
    const ran = await Promise.all(
      scenarios.map(async ([name, scenario]): Promise<[string, LoadResult, number] | undefined> => {
        const offset = scenario.startTime !== undefined ? parseDuration(scenario.startTime) : 0;
        if (offset > 0) await sleep(offset, ctx.signal);
        if (ctx.signal.aborted) return undefined;
        return [name, await runScenario(name, scenario), offset];
      }),
    );
    for (const r of ran) if (r) results.push(r);
  } else {
    for (const [name, scenario] of scenarios) {
      if (ctx.signal.aborted) break;
      results.push([name, await runScenario(name, scenario), 0]);
    }
  }
  const metrics: Metric[] = results.flatMap(([name, r]) => [
    ...loadMetrics(r, `load.${name}`),
    ...requestMetrics(r, `load.${name}`),
    ...mixMetrics(r, `load.${name}`),
  ]);
  const overall = !results.length
    ? undefined
    : concurrent
      ? mergeConcurrent(
          results.map(([, r]) => r),
          results.map(([, , offset]) => offset),
        )
      : mergeSequential(results.map(([, r]) => r));
  if (overall) metrics.unshift(...loadMetrics(overall, 'load'));
  const failing = results.filter(([, r]) => !kept(r));
  const mixText = (r: LoadResult): string =>
    r.mix
      ? `, mix ${Object.entries(r.mix)
          .map(([flow, n]) => `${flow}×${n}`)
          .join(' ')}`
      : '';
  return {
    collector: 'load',
    status: results.length < scenarios.length ? 'error' : failing.length ? 'fail' : 'pass',
    summary: overall
      ? `${overall.requests} requests in ${results.length} scenario${results.length === 1 ? '' : 's'}${results.length > 1 ? (concurrent ? ' (concurrent)' : ' (sequential)') : ''} · ${overall.rps.toFixed(1)} req/s${offered(overall)} · p95 ${overall.latency.p95} ms · p99 ${overall.latency.p99} ms · errors ${overall.errors} · dropped ${overall.dropped}${overall.interrupted ? ` · interrupted ${overall.interrupted}` : ''}${behindList(results)}`
      : 'no scenario ran',
    startedAt,
    endedAt: ctx.now().toISOString(),
    metrics,
    checks: results.map(([name, r]) => ({
      id: `load.${name}`,
      status: kept(r) ? ('pass' as const) : ('fail' as const),
      summary: `${r.executor}${r.corrected ? '' : ' (closed model, not corrected)'}: ${r.requests} requests, ${r.rps.toFixed(1)} req/s${offered(r)}, p95 ${r.latency.p95} ms, p99 ${r.latency.p99} ms, errors ${r.errors}, dropped ${r.dropped}${r.interrupted ? `, interrupted ${r.interrupted}` : ''}${mixText(r)}${r.stoppedBy ? `, stopped: ${r.stoppedBy}` : ''}${r.fallingBehind ? `, falling behind: ${r.fallingBehind}` : ''}`,
    })),
    findings: [],
    artifacts: results.map(([name]) => ({
      name: `load result ${name}`,
      path: `load-${name}.json`,
      contentType: 'application/json',
    })),
    data: { scenarios: Object.fromEntries(results) },
    ...(results.length < scenarios.length ? { error: 'interrupted' } : {}),
  };
}

/** A scenario passes its check when nothing failed, nothing was dropped or cut, it ran to its end and kept up with its rate. */
function kept(r: LoadResult): boolean {
  return r.errors === 0 && r.dropped === 0 && !r.interrupted && !r.stoppedBy && !r.fallingBehind;
}

/** " (offered 200.0/s)": the rate asked for beside the one achieved, in the open model. */
function offered(r: LoadResult): string {
  return r.offeredRps !== undefined ? ` (offered ${r.offeredRps.toFixed(1)}/s)` : '';
}

/** " · falling behind: browse (…)": the scenarios whose target did not keep up with the rate. */
function behindList(results: Array<[string, LoadResult, number]>): string {
  const behind = results.filter(([, r]) => r.fallingBehind);
  return behind.length
    ? ` · falling behind: ${behind.map(([name, r]) => `${name} (${r.fallingBehind})`).join(', ')}`
    : '';
}

/** Waits ms, or less when the run is interrupted. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

type SpecRequest = NonNullable<LoadScenario['requests']>[number];

/**
 * The name a request is reported under: its `name`, else "METHOD path". Names
 * become keys and metric names (`load.browse.get_x_k_redacted.latency.p95`),
 * so they are redacted here, before any of that: a path can hold a secret
 * (`GET /x?k=${TOKEN}`), and a metric-safe form of it would no longer match.
 */
export function requestName(r: SpecRequest, redact: (s: string) => string = (s) => s): string {
  return redact(typeof r === 'string' ? r : (r.name ?? `${r.method} ${r.path}`));
}

/** A request as written in golive.yaml, as the engine takes it. */
function toRequest(r: SpecRequest, headers: Record<string, string>, redact?: (s: string) => string): LoadRequest {
  const name = requestName(r, redact);
  if (typeof r === 'string') {
    const [method, path] = r.split(' ') as [string, string];
    return { name, method, path, headers };
  }
  const body = r.json !== undefined ? JSON.stringify(r.json) : r.body;
  const expect = typeof r.expect === 'number' ? { status: r.expect } : r.expect;
  return {
    name,
    method: r.method,
    path: r.path,
    headers: { ...headers, ...(r.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...r.headers },
    ...(body !== undefined ? { body } : {}),
    ...(expect?.status !== undefined ? { expectStatus: expect.status } : {}),
    ...(expect?.contains !== undefined ? { expectContains: expect.contains } : {}),
    ...(expect?.json !== undefined ? { expectJson: expect.json } : {}),
    ...(r.extract
      ? {
          extract: Object.fromEntries(
            Object.entries(r.extract).map(([k, e]) => [k, typeof e === 'string' ? { json: e } : e]),
          ),
        }
      : {}),
    ...(r.think !== undefined ? { thinkMs: parseDuration(r.think) } : {}),
  };
}

/** A scenario as the engine takes it; `redact` masks secrets in request names (requestName). */
export function scenarioOptions(
  s: LoadScenario,
  baseUrl: string,
  headers: Record<string, string>,
  specDir = '.',
  redact?: (s: string) => string,
) {
  const mix = s.mix?.map((f, i) => ({
    name: f.name ?? `flow-${i + 1}`,
    weight: f.weight,
    requests: f.requests.map((r) => toRequest(r, headers, redact)),
  }));
  const requests = mix ? mix.flatMap((f) => f.requests) : (s.requests ?? []).map((r) => toRequest(r, headers, redact));
  const rate = s.rate !== undefined ? parseRate(s.rate) : undefined;
  const open = s.executor.endsWith('arrival-rate');
  const stages = s.stages?.map((st) => ({
    durationMs: parseDuration(st.duration),
    target: parseRate(String(st.target)) ?? 0,
  }));
  const peak = Math.max(rate ?? 0, ...(stages ?? []).map((st) => st.target));
  return {
    baseUrl: new URL(baseUrl).origin,
    requests,
    ...(mix ? { mix } : {}),
    iterate: true,
    ...(s.data ? { data: loadCsv(resolve(specDir, s.data.file), s.data.file, s.data.mode) } : {}),
    executor: s.executor,
    ...(rate !== undefined ? { rate } : {}),
    ...(stages && open ? { stages, startRate: s.startRate !== undefined ? (parseRate(s.startRate) ?? 0) : 0 } : {}),
    ...(stages && !open ? { stages, startConnections: s.startConnections ?? 1 } : {}),
    connections:
      s.connections ??
      (open ? Math.min(2000, Math.max(10, Math.ceil((peak || 10) / 2))) : stages ? Math.max(1, peak) : 10),
    ...(s.maxInFlight !== undefined ? { maxInFlight: s.maxInFlight } : {}),
    ...(s.pipelining !== undefined ? { pipelining: s.pipelining } : {}),
    // A ramp lasts as long as its stages add up to; only the constant executors default to 10 s.
    ...(s.duration !== undefined
      ? { durationMs: parseDuration(s.duration) }
      : s.maxRequests === undefined && !stages
        ? { durationMs: 10_000 }
        : {}),
    ...(s.maxRequests !== undefined ? { maxRequests: s.maxRequests } : {}),
    timeoutMs: parseDuration(s.timeout),
    ...(s.gracefulStop !== undefined ? { gracefulStopMs: parseDuration(s.gracefulStop) } : {}),
  };
}
