import type { Collector, CollectContext } from '../collect/collector.js';
import type { Check, Evidence, Metric } from '../model.js';
import { parseDuration } from '../target/duration.js';
import { probeGet, type ProbeResponse } from './http.js';
import { parsePrometheusText, type MetricFamily } from './prometheus-text.js';

/**
 * The ops-endpoints collector: seed 001's "/status /health /metrics /version".
 *
 * Checks: `ops.health` (2xx), `ops.version` (reports the spec's release),
 * `ops.metrics` (valid Prometheus text exposition), `ops.status` (2xx).
 * Metrics: `ops.health.latency` (ms), `ops.endpoints.failing` (count),
 * `ops.metrics.families` (count). The observed version is in `data.version`.
 */
export const opsCollector: Collector = {
  name: 'ops',
  description: 'operational endpoints: /health, /version, /metrics, /status',
  produces: ['ops.health.latency', 'ops.endpoints.failing', 'ops.metrics.families'],
  enabled: (spec) => spec.probes?.ops !== undefined,
  collect: collectOps,
};

async function collectOps(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const ops = ctx.spec.probes?.ops ?? {
    health: '/health',
    version: '/version',
    metrics: '/metrics',
    status: '/status',
  };
  const timeoutMs = parseDuration(ctx.spec.target.timeout);
  const get = (path: string): Promise<ProbeResponse> => {
    ctx.progress(`ops: GET ${path}`);
    return probeGet({
      url: new URL(path, ctx.spec.target.baseUrl).toString(),
      headers: ctx.headers,
      timeoutMs,
      signal: ctx.signal,
    });
  };

  const health = await get(ops.health);
  const version = await get(ops.version);
  const metrics = await get(ops.metrics);
  const status = await get(ops.status);

  const observed = readVersion(version);
  const exposition =
    metrics.status !== undefined && is2xx(metrics.status) ? parsePrometheusText(metrics.body) : undefined;
  const checks: Check[] = [
    statusCheck('ops.health', ops.health, health),
    versionCheck(ops.version, version, observed, ctx.spec.release),
    metricsCheck(ops.metrics, metrics, exposition),
    statusCheck('ops.status', ops.status, status),
  ];
  const failing = checks.filter((c) => c.status !== 'pass').length;
  const out: Metric[] = [{ name: 'ops.endpoints.failing', value: failing, unit: 'count' }];
  if (health.status !== undefined) out.push({ name: 'ops.health.latency', value: round(health.ms), unit: 'ms' });
  if (exposition) out.push({ name: 'ops.metrics.families', value: exposition.families.length, unit: 'count' });

  const families: MetricFamily[] = exposition?.families ?? [];
  return {
    collector: 'ops',
    status: failing === 0 ? 'pass' : 'fail',
    summary: failing === 0 ? 'all 4 ops endpoints answer as expected' : `${failing} of 4 ops endpoints fail`,
    startedAt,
    endedAt: ctx.now().toISOString(),
    metrics: out,
    checks,
    findings: [],
    artifacts: [],
    data: {
      ...(observed !== undefined ? { version: observed } : {}),
      metricFamilies: families.map((f) => ({ name: f.name, type: f.type, samples: f.samples })),
    },
  };
}

function statusCheck(id: string, path: string, res: ProbeResponse): Check {
  if (res.status === undefined) return { id, status: 'fail', summary: `GET ${path}: ${res.error}` };
  const ok = is2xx(res.status);
  return {
    id,
    status: ok ? 'pass' : 'fail',
    summary: `GET ${path} → ${res.status} in ${round(res.ms)} ms${ok ? '' : ' (expected 2xx)'}`,
  };
}

function versionCheck(path: string, res: ProbeResponse, observed: string | undefined, release: string): Check {
  const id = 'ops.version';
  if (res.status === undefined || !is2xx(res.status)) return statusCheck(id, path, res);
  if (observed === undefined) {
    return {
      id,
      status: 'fail',
      summary: `GET ${path} → ${res.status} but no version found (expected JSON {"version": …} or plain text)`,
    };
  }
  const same = normalizeVersion(observed) === normalizeVersion(release);
  return {
    id,
    status: same ? 'pass' : 'fail',
    summary: same ? `GET ${path} reports ${observed}` : `GET ${path} reports ${observed}, expected ${release}`,
  };
}

function metricsCheck(
  path: string,
  res: ProbeResponse,
  exposition: ReturnType<typeof parsePrometheusText> | undefined,
): Check {
  const id = 'ops.metrics';
  if (!exposition) return statusCheck(id, path, res);
  const first = exposition.errors[0];
  if (first) {
    return {
      id,
      status: 'fail',
      summary: `GET ${path}: not Prometheus text format (line ${first.line}: ${first.message}${exposition.errors.length > 1 ? `; ${exposition.errors.length - 1} more` : ''})`,
    };
  }
  if (exposition.families.length === 0)
    return { id, status: 'fail', summary: `GET ${path}: no metric families exposed` };
  return {
    id,
    status: 'pass',
    summary: `GET ${path}: ${exposition.families.length} metric families in Prometheus text format`,
  };
}

/** Reads a version from JSON ({"version": …} or {"build": {"version": …}}) or a short plain-text body. */
export function readVersion(res: ProbeResponse): string | undefined {
  const body = res.body.trim();
  if (!body) return undefined;
  if (body.startsWith('{')) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      const v = json.version ?? json.release ?? (json.build as Record<string, unknown> | undefined)?.version;
      return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
    } catch {
      return undefined;
    }
  }
  return body.length <= 64 && !body.includes('\n') && !body.startsWith('<') ? body : undefined;
}

const normalizeVersion = (v: string): string => v.trim().replace(/^v/i, '');
const is2xx = (s: number): boolean => s >= 200 && s < 300;
const round = (ms: number): number => Math.round(ms * 10) / 10;
