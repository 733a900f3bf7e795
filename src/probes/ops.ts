import type { Collector, CollectContext } from '../collect/collector.js';
import type { Check, Evidence, Metric } from '../model.js';
import { parseDuration } from '../target/duration.js';
import { probeGet, type ProbeResponse } from './http.js';
import { parsePrometheusText, type MetricFamily } from './prometheus-text.js';

/**
 * The ops-endpoints collector: seed 001's "/status /health /metrics /version".
 *
 * Checks: `ops.health` (2xx), `ops.version` (reports the spec's release),
 * `ops.metrics` (valid Prometheus text exposition), `ops.status` (2xx). An
 * endpoint set to `false` in probes.ops is not requested; its check is
 * `skipped` ("not checked").
 * Metrics: `ops.health.latency` (ms), `ops.endpoints.failing` (count; left
 * out when no endpoint is checked), `ops.metrics.families` (count). The observed version is in `data.version`.
 */
export const opsCollector: Collector = {
  name: 'ops',
  description: 'operational endpoints: /health, /version, /metrics, /status',
  produces: ['ops.health.latency', 'ops.endpoints.failing', 'ops.metrics.families'],
  enabled: (spec) => spec.probes?.ops !== undefined,
  collect: collectOps,
};

/** The four endpoints, in the order they are requested. */
const ENDPOINTS = ['health', 'version', 'metrics', 'status'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

async function collectOps(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const ops: Record<Endpoint, string | false> = ctx.spec.probes?.ops ?? {
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
  // An endpoint set to false is never requested: its check is skipped ("not checked"), neither passed nor failed.
  const res: Partial<Record<Endpoint, ProbeResponse>> = {};
  for (const e of ENDPOINTS) {
    const path = ops[e];
    if (path !== false) res[e] = await get(path);
  }

  const observed = res.version ? readVersion(res.version) : undefined;
  const exposition =
    res.metrics?.status !== undefined && is2xx(res.metrics.status) ? parsePrometheusText(res.metrics.body) : undefined;
  const check = (e: Endpoint, make: (path: string, r: ProbeResponse) => Check): Check => {
    const path = ops[e];
    const r = res[e];
    if (path === false || !r)
      return { id: `ops.${e}`, status: 'skipped', summary: `not checked (probes.ops.${e}: false)` };
    return make(path, r);
  };
  const checks: Check[] = [
    check('health', (p, r) => statusCheck('ops.health', p, r)),
    check('version', (p, r) => versionCheck(p, r, observed, ctx.spec.release)),
    check('metrics', (p, r) => metricsCheck(p, r, exposition)),
    check('status', (p, r) => statusCheck('ops.status', p, r)),
  ];
  const checked = checks.filter((c) => c.status !== 'skipped').length;
  const failing = checks.filter((c) => c.status === 'fail' || c.status === 'error').length;
  // With no endpoint checked there is no count: a "== 0" threshold must report no data, never pass.
  const out: Metric[] = checked > 0 ? [{ name: 'ops.endpoints.failing', value: failing, unit: 'count' }] : [];
  if (res.health?.status !== undefined)
    out.push({ name: 'ops.health.latency', value: round(res.health.ms), unit: 'ms' });
  if (exposition) out.push({ name: 'ops.metrics.families', value: exposition.families.length, unit: 'count' });

  const off = ENDPOINTS.filter((e) => ops[e] === false).map((e) => `/${e}`);
  const notChecked = off.length ? `; not checked: ${off.join(', ')}` : '';
  const families: MetricFamily[] = exposition?.families ?? [];
  return {
    collector: 'ops',
    status: checked === 0 ? 'skipped' : failing === 0 ? 'pass' : 'fail',
    summary:
      checked === 0
        ? 'no ops endpoint checked (all four are false in probes.ops)'
        : failing === 0
          ? `${checked === 4 ? 'all 4' : checked} ops endpoints answer as expected${notChecked}`
          : `${failing} of ${checked} ops endpoints fail${notChecked}`,
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
