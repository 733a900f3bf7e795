import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { evaluateThreshold, formatValue } from '../gate/threshold.js';
import { availableParallelism } from 'node:os';
import { planAbort } from '../load/abort.js';
import { runLoadInWorkers, type WorkerJob } from '../load/workers.js';
import { runLoad, validateLoadOptions, type Executor, type LoadOptions } from '../load/engine.js';
import { mergeParallel } from '../load/merge.js';
import { loadMetrics, requestMetrics } from '../load/metrics.js';
import { parseRate } from '../load/rate.js';
import {
  DEFAULT_GRACEFUL_STOP_MS,
  durationRange,
  HEADER_HINT,
  HEADER_TOKEN,
  HEADER_VALUE,
  isHttpMethod,
  LOAD_LIMITS,
  METHOD_HINT,
  RATE_RANGE,
} from '../spec/load-limits.js';
import { parseSegment, segmentProblem, shareOf } from '../load/segment.js';
import type { LoadResult } from '../load/stats.js';
import type { ThresholdResult } from '../model.js';
import { assertReachable } from '../target/reachable.js';
import { parseDuration } from '../target/duration.js';
import { parseFlags, type FlagTable } from './args.js';
import { errStyles, outStyles, type CliIo, type Styles } from './io.js';
import { progressPrinter } from './load-progress.js';

export const usage =
  'golive load URL [-c CONNECTIONS] [-p PIPELINING] [--rate N/s] [-d DURATION] [-n REQUESTS] [-m METHOD] [-H "Name: value"]… [-b BODY] [--threshold "METRIC EXPR"]… [--timeout 10s] [--graceful-stop 5s] [--insecure] [--stage 30s:200/s]… [--abort-on-fail [--abort-after 1s]] [-w WORKERS] [--segment i/n] [--json] [--out FILE]   ·   golive load merge FILE…';
export const summary = 'a quick load test of one URL: open model with --rate, closed model otherwise';

export const flags = {
  connections: {
    type: 'string',
    short: 'c',
    value: 'N',
    description: 'connections to open',
    default: '10; with --rate or --stage, half the peak rate (10 to 2000)',
  },
  pipelining: {
    type: 'string',
    short: 'p',
    value: 'N',
    description: 'requests in flight per connection',
    default: '1',
  },
  rate: {
    type: 'string',
    value: 'N/s',
    description: 'open model: send at this rate (500, 500/s, 30/m)',
    default: 'closed model',
  },
  duration: {
    type: 'string',
    short: 'd',
    value: 'DURATION',
    description: 'how long to send (30s, 2m; a bare number is seconds)',
    default: '10s unless -n or --stage',
  },
  requests: {
    type: 'string',
    short: 'n',
    value: 'N',
    description: 'stop after this many requests',
    default: 'no limit',
  },
  method: {
    type: 'string',
    short: 'm',
    value: 'METHOD',
    description: 'the HTTP method',
    default: 'GET, or POST with -b',
  },
  header: {
    type: 'string',
    short: 'H',
    multiple: true,
    value: '"Name: value"',
    description: 'a request header (repeatable)',
  },
  body: { type: 'string', short: 'b', value: 'BODY', description: 'the request body', default: 'none' },
  threshold: {
    type: 'string',
    multiple: true,
    value: '"METRIC EXPR"',
    description: 'a pass/fail bound, e.g. "load.latency.p99 < 250ms" (repeatable); exit 1 when one fails',
  },
  timeout: { type: 'string', value: 'DURATION', description: 'a request slower than this is an error', default: '10s' },
  insecure: { type: 'boolean', description: 'accept any TLS certificate' },
  json: { type: 'boolean', description: 'print the result as JSON' },
  out: {
    type: 'string',
    value: 'FILE',
    description: 'also write the result (JSON) to this file',
    default: 'not written',
  },
  segment: { type: 'string', value: 'i/n', description: 'run share i of n (merge the shares with golive load merge)' },
  stage: {
    type: 'string',
    multiple: true,
    value: 'DURATION:RATE',
    description: 'ramp the arrival rate to RATE over DURATION (repeatable)',
  },
  'abort-on-fail': { type: 'boolean', description: 'stop early once a --threshold has clearly failed' },
  workers: { type: 'string', short: 'w', value: 'N', description: 'worker threads generating load', default: '1' },
  'abort-after': {
    type: 'string',
    value: 'DURATION',
    description: 'with --abort-on-fail, how long a threshold must fail before stopping',
    default: '1s',
  },
  'graceful-stop': {
    type: 'string',
    value: 'DURATION',
    description: 'after the duration, how long requests in flight may finish before they are cut (0 to 1h)',
    default: '5s',
  },
} as const satisfies FlagTable;

const mergeFlags = {
  threshold: { type: 'string', multiple: true, value: '"METRIC EXPR"', description: 'a pass/fail bound (repeatable)' },
  json: { type: 'boolean', description: 'print the merged result as JSON' },
  out: {
    type: 'string',
    value: 'FILE',
    description: 'also write the merged result to this file',
    default: 'not written',
  },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'merge') return runMerge(args.slice(1), io);
  const { values, positionals } = parseFlags('load', args, flags, usage, 1);
  const segment = values.segment === undefined ? undefined : parseSegment(values.segment);
  if (values.segment !== undefined && !segment) {
    throw new GoliveError('GL_ARG_INVALID', `--segment: "${values.segment}" is not i/n`, {
      hint: 'write it like --segment 2/3 (the second of three shares)',
    });
  }
  const s = outStyles(io);
  const target = positionals[0];
  if (!target) throw new GoliveError('GL_ARG_INVALID', 'golive load: a URL is required', { hint: `usage: ${usage}` });
  let url: URL;
  try {
    url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new GoliveError('GL_ARG_INVALID', `golive load: "${target}" is not an http(s) URL`, {
      hint: 'write it like http://127.0.0.1:8080/path',
    });
  }
  const rate = values.rate === undefined ? undefined : parseRate(values.rate);
  if (values.rate !== undefined && rate === undefined) {
    throw new GoliveError('GL_ARG_INVALID', `--rate: "${values.rate}" is not a rate`, {
      hint: 'write it like 500, 500/s or 30/m',
    });
  }
  // The ranges bound what one process does: with --segment i/n it runs a share, so the whole may be n times more.
  const shares = segment?.count ?? 1;
  const perShare = segment ? ` (${segment.count} segments: at most ${LOAD_LIMITS.rate * shares}/s in all)` : '';
  if (rate !== undefined && !(rate > 0 && rate / shares <= LOAD_LIMITS.rate)) {
    const high = rate > 0;
    throw new GoliveError(
      'GL_ARG_INVALID',
      `--rate: "${values.rate}" must be ${RATE_RANGE}${high ? ` per process${perShare}: more than one process can schedule` : ''}`,
      {
        hint: high
          ? `split a higher rate across more processes with --segment i/n (n of at least ${Math.ceil(rate / LOAD_LIMITS.rate)})`
          : 'write it like 500/s',
      },
    );
  }
  const stages = (values.stage ?? []).map((text) => {
    const m = /^([^:]+):(.+)$/.exec(text);
    const target = m ? parseRate(m[2] as string) : undefined;
    if (!m || target === undefined) {
      throw new GoliveError('GL_ARG_INVALID', `--stage: "${text}" is not DURATION:RATE`, {
        hint: 'write it like --stage 30s:200/s',
      });
    }
    if (target / shares > LOAD_LIMITS.rate)
      throw new GoliveError(
        'GL_ARG_INVALID',
        `--stage: "${m[2]}" must be at most ${LOAD_LIMITS.rate}/s per process${perShare}`,
        {
          hint: `split a higher rate across more processes with --segment i/n (n of at least ${Math.ceil(target / LOAD_LIMITS.rate)})`,
        },
      );
    return { durationMs: durationFlag('stage', m[1] as string, 0, LOAD_LIMITS.durationMs) as number, target };
  });
  // A 0s stage is a jump to its rate (as in k6), but a ramp whose stages add up to nothing sends nothing.
  if (stages.length && stages.every((x) => x.durationMs === 0)) {
    throw new GoliveError('GL_ARG_INVALID', '--stage: the stages last 0s in all, so nothing would be sent', {
      hint: 'give at least one stage a duration, e.g. --stage 0s:100/s --stage 30s:100/s',
    });
  }
  if (stages.length && rate !== undefined) {
    throw new GoliveError('GL_ARG_INVALID', 'give either --rate or --stage, not both', {
      hint: '--stage ramps the rate; --rate keeps it constant',
    });
  }
  const executor: Executor = stages.length
    ? 'ramping-arrival-rate'
    : rate !== undefined
      ? 'constant-arrival-rate'
      : 'constant-connections';
  const peakRate = stages.length ? Math.max(...stages.map((x) => x.target)) : rate;
  const allConnections =
    intFlag('connections', values.connections, LOAD_LIMITS.connections * shares) ??
    (peakRate !== undefined ? Math.min(2000, Math.max(10, Math.ceil(peakRate / 2))) : 10);
  const allRequests = intFlag('requests', values.requests, LOAD_LIMITS.maxRequests * shares);
  // A segment runs its share: rate, connections and request count divided so the shares add up to the whole.
  const connections = segment ? Math.max(1, shareOf(allConnections, segment)) : allConnections;
  const maxRequests = segment && allRequests !== undefined ? shareOf(allRequests, segment) : allRequests;
  const segmentRate = segment && rate !== undefined ? rate / segment.count : rate;
  // A bare number is seconds, as autocannon's -d 10.
  const durationText =
    values.duration !== undefined && /^\d+(?:\.\d+)?$/.test(values.duration.trim())
      ? `${values.duration.trim()}s`
      : values.duration;
  const durationMs =
    durationFlag('duration', durationText, 1, LOAD_LIMITS.durationMs, values.duration) ??
    (maxRequests === undefined && !stages.length ? 10_000 : undefined);
  const timeoutMs = durationFlag('timeout', values.timeout, 1, LOAD_LIMITS.timeoutMs) ?? 10_000;
  const gracefulStopMs =
    durationFlag('graceful-stop', values['graceful-stop'], 0, LOAD_LIMITS.gracefulStopMs) ?? DEFAULT_GRACEFUL_STOP_MS;
  const abortAfterMs = durationFlag('abort-after', values['abort-after'], 0, LOAD_LIMITS.durationMs) ?? 1000;
  const headers = Object.fromEntries(
    (values.header ?? []).map((h) => {
      const i = h.indexOf(':');
      if (i <= 0)
        throw new GoliveError('GL_ARG_INVALID', `-H: "${h}" is not a header`, {
          hint: 'write it like -H "Authorization: Bearer …"',
        });
      const name = h.slice(0, i).trim();
      const value = h.slice(i + 1).trim();
      if (!HEADER_TOKEN.test(name))
        throw new GoliveError('GL_ARG_INVALID', `-H: ${JSON.stringify(name)} is not a header name`, {
          hint: HEADER_HINT,
        });
      if (!HEADER_VALUE.test(value))
        throw new GoliveError('GL_ARG_INVALID', `-H: the value of ${name} must not contain CR, LF or NUL`, {
          hint: 'give each header its own -H, on one line',
        });
      return [name, value];
    }),
  );
  const thresholds = parseThresholds(values.threshold ?? []);
  const method = (values.method ?? (values.body !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!isHttpMethod(method))
    throw new GoliveError('GL_ARG_INVALID', `--method: ${JSON.stringify(values.method)} is not an HTTP method`, {
      hint: METHOD_HINT,
    });
  const path = `${url.pathname}${url.search}`;

  const progress = progressPrinter(io, errStyles(io));
  const options: LoadOptions = {
    baseUrl: url.origin,
    requests: [
      {
        name: `${method} ${url.pathname}`,
        method,
        path,
        headers,
        ...(values.body !== undefined ? { body: values.body } : {}),
      },
    ],
    executor,
    ...(segmentRate !== undefined ? { rate: segmentRate } : {}),
    ...(stages.length
      ? { stages: segment ? stages.map((x) => ({ ...x, target: x.target / segment.count })) : stages, startRate: 0 }
      : {}),
    connections,
    ...(values.pipelining !== undefined
      ? { pipelining: intFlag('pipelining', values.pipelining, LOAD_LIMITS.pipelining) as number }
      : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(maxRequests !== undefined ? { maxRequests } : {}),
    timeoutMs,
    gracefulStopMs,
    insecure: Boolean(values.insecure),
    signal: io.signal,
    onProgress: progress,
    ...(values['abort-on-fail']
      ? {
          abortOnFail: {
            plan: planAbort(thresholds, 'load'),
            afterMs: abortAfterMs,
          },
        }
      : {}),
  };
  validateLoadOptions(options);
  if (values.out) assertWritable(resolve(io.cwd, values.out)); // before the test, not after it
  const maxWorkers = Math.max(1, availableParallelism()) * 4;
  const workers = intFlag('workers', values.workers, maxWorkers) ?? 1;
  await assertReachable(url.origin);
  const ran =
    workers === 1
      ? await runLoad(options)
      : await runLoadInWorkers(
          {
            options: withoutCallbacks(options),
            ...(values['abort-on-fail']
              ? {
                  abort: {
                    thresholds,
                    prefix: 'load',
                    afterMs: abortAfterMs,
                  },
                }
              : {}),
          },
          workers,
          { signal: io.signal, onProgress: progress },
        );
  const result: LoadResult = { ...ran, ...(segment ? { segment } : {}) };
  progress(undefined);
  return finish(result, thresholds, values, io, s);

  /** A whole-number flag from 1 to max, refused with its range where it is read. */
  function intFlag(flag: string, v: string | undefined, max: number): number | undefined {
    if (v === undefined) return undefined;
    const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!(Number.isInteger(n) && n >= 1 && n <= max))
      throw new GoliveError('GL_ARG_INVALID', `--${flag}: "${v}" must be a whole number from 1 to ${max}`, {
        ...(flag === 'workers'
          ? {
              hint: `more threads than ${max} on ${availableParallelism()} cores would measure the machine, not the target`,
            }
          : {}),
      });
    return n;
  }
  /** A duration flag within [minMs, maxMs]; `shown` is the text as typed, for the message. */
  function durationFlag(
    flag: string,
    v: string | undefined,
    minMs: number,
    maxMs: number,
    shown = v,
  ): number | undefined {
    if (v === undefined) return undefined;
    let ms: number;
    try {
      ms = parseDuration(v);
    } catch {
      throw new GoliveError('GL_ARG_INVALID', `--${flag}: "${shown}" is not a duration`, {
        hint: 'write it with a unit, like 30s, 500ms or 2m',
      });
    }
    if (!(ms >= minMs && ms <= maxMs))
      throw new GoliveError('GL_ARG_INVALID', `--${flag}: "${shown}" must be ${durationRange(minMs, maxMs)}`);
    return ms;
  }
}

/** The end-of-run summary, in the spirit of autocannon's table. */
export function formatLoad(r: LoadResult, thresholds: ThresholdResult[], s: Styles): string {
  const lat = (p: LoadResult['latency']): string =>
    [p.p50, p.p90, p.p95, p.p99, p.p999, p.max].map((v) => formatValue(v, 'ms').padStart(10)).join('');
  const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  // The measured time runs past the window while the last responses drain (at most the graceful stop).
  const drained = r.windowMs !== undefined && r.durationMs - r.windowMs >= 100 ? ` (window ${secs(r.windowMs)})` : '';
  const lines = [
    `${s.bold(r.target)} · ${r.executor} · ${secs(r.durationMs)}${drained}${r.stoppedBy ? s.yellow(` · stopped early: ${r.stoppedBy}`) : ''}`,
    '',
    `${''.padEnd(14)}${['p50', 'p90', 'p95', 'p99', 'p99.9', 'max'].map((h) => h.padStart(10)).join('')}`,
    `${(r.corrected ? 'latency' : 'latency*').padEnd(14)}${lat(r.latency)}`,
    ...(r.corrected ? [`${'service time'.padEnd(14)}${lat(r.serviceTime)}`] : []),
    '',
    `requests ${r.requests}  ·  ${r.rps.toFixed(1)} req/s${r.offeredRps !== undefined ? ` (offered ${r.offeredRps.toFixed(1)}/s)` : ''}  ·  errors ${r.errors} (${formatValue(r.errorRate, 'ratio')})  ·  dropped ${r.dropped}${r.interrupted ? `  ·  interrupted ${r.interrupted}` : ''}${r.resent ? `  ·  re-sent after the server closed ${r.resent}` : ''}`,
    `statuses ${
      Object.entries(r.statuses)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ') || '—'
    }${
      Object.keys(r.errorClasses).length
        ? `  ·  error classes ${Object.entries(r.errorClasses)
            .map(([k, v]) => `${k}×${v}`)
            .join(' ')}`
        : ''
    }`,
    `bytes in ${r.bytesIn} · out ${r.bytesOut}${r.cache.ratio !== null ? ` · cache hit ratio ${formatValue(r.cache.ratio, 'ratio')}` : ''}`,
    ...(r.fallingBehind
      ? [
          s.yellow(
            `falling behind: the target served ${r.rps.toFixed(1)} of the ${(r.offeredRps ?? 0).toFixed(1)} req/s offered — ${r.fallingBehind}`,
          ),
        ]
      : []),
    ...(r.interrupted
      ? [
          s.dim(
            `interrupted: cut before their response, at the end of the graceful stop or by Ctrl-C (counted as errors)`,
          ),
        ]
      : []),
    r.corrected
      ? s.dim('latency counts from each request’s intended send time (coordinated omission corrected)')
      : s.dim(
          '* closed model: latency is service time, not corrected for coordinated omission; use --rate for an open model',
        ),
  ];
  if (thresholds.length) {
    lines.push('', 'thresholds');
    for (const t of thresholds) {
      lines.push(
        `  ${t.outcome === 'pass' ? s.green('✔') : s.red('✖')} ${t.name} ${t.expr}  ${t.display ?? ''}${t.outcome !== 'pass' && t.reason ? s.dim(`  ${t.reason}`) : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Evaluates thresholds on a result, prints or writes it, and decides the exit code. */
function finish(
  result: LoadResult,
  thresholds: Array<{ name: string; expr: string }>,
  values: { json?: boolean; out?: string },
  io: CliIo,
  s: Styles,
): number {
  const metrics = new Map([...loadMetrics(result), ...requestMetrics(result, 'load')].map((m) => [m.name, m]));
  const evaluated = thresholds.map((t) => evaluateThreshold(t.name, t.expr, metrics.get(t.name)));
  if (values.out)
    writeAtomic(resolve(io.cwd, values.out), `${JSON.stringify({ ...result, thresholds: evaluated }, null, 2)}\n`);
  if (values.json) io.stdout.write(`${JSON.stringify({ ...result, thresholds: evaluated }, null, 2)}\n`);
  else io.stdout.write(formatLoad(result, evaluated, s));
  if (result.stoppedBy === 'interrupted') return ExitCode.Incomplete;
  return evaluated.every((t) => t.outcome === 'pass') ? ExitCode.Ok : ExitCode.NoGo;
}

const mergeUsage = 'golive load merge FILE… [--threshold "METRIC EXPR"]… [--json] [--out FILE]';

/** `golive load merge`: combines the segment results of one test exactly (histograms merge, counts add, timelines align). */
async function runMerge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('load merge', args, mergeFlags, mergeUsage, Infinity);
  if (positionals.length === 0)
    throw new GoliveError('GL_ARG_INVALID', 'golive load merge: name the result files', {
      hint: `usage: ${mergeUsage}`,
    });
  const results = positionals.map((file) => readResult(resolve(io.cwd, file), file));
  const problem = segmentProblem(results.map((r) => r.segment));
  if (problem)
    throw new GoliveError('GL_ARG_INVALID', `golive load merge: ${problem}`, {
      hint: 'pass every segment file of one test once',
    });
  const merged: LoadResult = { ...mergeParallel(results), segments: results.length };
  delete merged.segment;
  return finish(merged, parseThresholds(values.threshold ?? []), values, io, outStyles(io));
}

function readResult(path: string, shown: string): LoadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new GoliveError(
      err.code === 'ENOENT' ? 'GL_FILE_NOT_FOUND' : 'GL_ARG_INVALID',
      `${shown}: ${err.code === 'ENOENT' ? 'no such file' : `not JSON (${err.message})`}`,
    );
  }
  const r = parsed as Partial<LoadResult>;
  if (r.kind !== 'golive-load-result' || r.version !== 1 || typeof r.histograms?.latency !== 'string') {
    throw new GoliveError('GL_ARG_INVALID', `${shown}: not a golive load result (version 1)`, {
      hint: 'write results with golive load … --segment i/n --out FILE',
    });
  }
  return r as LoadResult;
}

/** Parses `--threshold "METRIC EXPR"` flags, refusing a bad expression before anything is sent. */
function parseThresholds(flags: string[]): Array<{ name: string; expr: string }> {
  return flags.map((t) => {
    const m = /^\s*([\w.]+)\s*(.+)$/.exec(t);
    if (!m) {
      throw new GoliveError('GL_ARG_INVALID', `--threshold: "${t}" is not "METRIC EXPR"`, {
        hint: 'write it like --threshold "load.latency.p95 < 200ms"',
      });
    }
    const probe = evaluateThreshold(m[1] as string, m[2] as string, undefined);
    if (probe.outcome === 'invalid') throw new GoliveError('GL_ARG_INVALID', `--threshold "${t}": ${probe.reason}`);
    return { name: m[1] as string, expr: (m[2] as string).trim() };
  });
}

/** The serializable part of load options, for a worker thread. */
function withoutCallbacks(o: LoadOptions): WorkerJob['options'] {
  const { signal: _signal, onProgress: _onProgress, abortOnFail: _abort, data: _data, ...rest } = o;
  return rest;
}

function assertWritable(file: string): void {
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch (e) {
    throw new GoliveError('GL_FILE_NOT_WRITABLE', `--out: cannot write ${file}: ${(e as Error).message}`, {
      hint: 'pass --out with a file in a writable folder',
    });
  }
}

/** Writes to a temporary name and renames, so a reader never sees half a result. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new GoliveError('GL_FILE_NOT_WRITABLE', `--out: cannot write ${file}: ${(e as Error).message}`);
  }
}
