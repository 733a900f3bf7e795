import { GoliveError } from '../errors.js';
import { Connection, type Endpoint, type Outcome } from './connection.js';
import type { ParsedResponse } from './response-parser.js';
import { randomUUID } from 'node:crypto';
import type { AbortPlan } from './abort.js';
import type { DataFeed } from './data.js';
import { extract, jsonPath, type Extractor } from './extract.js';
import { compileTemplate, MissingVariable, type Template, type Vars } from './template.js';
import { constantSchedule, rampingSchedule, type Stage } from './schedule.js';
import { LoadStats, type LoadResult } from './stats.js';
import { weightedPicker } from './mix.js';
import { fallingBehind } from './behind.js';
import {
  DEFAULT_GRACEFUL_STOP_MS,
  durationRange,
  formatMs,
  HEADER_HINT,
  HEADER_TOKEN,
  HEADER_VALUE,
  isHttpMethod,
  LOAD_LIMITS,
  METHOD_HINT,
  RATE_RANGE,
  REQUEST_PATH,
} from '../spec/load-limits.js';

/** One request of a scenario, as the user wrote it. */
export interface LoadRequest {
  /** Name in per-request metrics, e.g. `GET /products`. */
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Expected status; without it any 2xx/3xx passes. */
  expectStatus?: number;
  /** The body must contain this text. */
  expectContains?: string;
  /** The body must be JSON with a value at this path, e.g. `$.token`. */
  expectJson?: string;
  /** Values to take from the response for later requests of the iteration, e.g. `{ token: { json: '$.token' } }`. */
  extract?: Record<string, Extractor>;
  /** Pause after this request, before the next of the iteration. */
  thinkMs?: number;
}

export type Executor =
  'constant-arrival-rate' | 'ramping-arrival-rate' | 'constant-connections' | 'ramping-connections';

export interface LoadOptions {
  /** Base URL: scheme, host and port. */
  baseUrl: string;
  /**
   * With `iterate`, one arrival (or one turn of a connection) runs every request
   * in order — an iteration, with `${vu}`, `${iter}`, `${uuid}`, data columns and
   * extracted values filled in. Without it, each arrival sends the next request in turn.
   */
  requests: LoadRequest[];
  iterate?: boolean;
  /**
   * Weighted flows (with `iterate`): each iteration runs the requests of one
   * flow, picked by weight (see mix.ts). `requests` then lists every request of
   * every flow. Default: one flow, `requests`.
   */
  mix?: Array<{ name: string; weight: number; requests: LoadRequest[] }>;
  /** Data rows for iterations (CSV). */
  data?: DataFeed;
  executor: Executor;
  /** Arrivals per second (constant-arrival-rate). */
  rate?: number;
  /** ramping-arrival-rate: the rate at the start, per second. Default 0. */
  startRate?: number;
  /** Ramping executors: the rate (arrival-rate) or the connections (connections) move linearly to each stage's target over its duration. */
  stages?: Stage[];
  /** ramping-connections: connections at the start. Default 1. */
  startConnections?: number;
  /** Connections: the closed model's concurrency; in the open model, how many requests can be on the wire at once. */
  connections: number;
  /**
   * HTTP/1.1 pipelining: requests (iterations) in flight on each connection at
   * once, as autocannon's -p. Default 1: a connection waits for each response.
   */
  pipelining?: number;
  /**
   * Open model: the most arrivals outstanding at once — on the wire or waiting
   * for a free connection. An arrival beyond it is counted as dropped. Default:
   * one second of arrivals, and at least 10 per connection.
   */
  maxInFlight?: number;
  /** Hard stop after this long. */
  durationMs?: number;
  /** Hard stop after this many requests. */
  maxRequests?: number;
  /**
   * At the end (duration, request count, abort-on-fail) no new arrival or
   * iteration starts; what is in flight may take this long, then it is cut and
   * counted as interrupted. Default 5 s. An interrupt (Ctrl-C) cuts at once.
   */
  gracefulStopMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Accept any TLS certificate. */
  insecure?: boolean;
  /** Aborted on Ctrl-C: stop sending, keep what was measured. */
  signal?: AbortSignal;
  /** Called about 4 times a second with live figures. */
  onProgress?: (p: LoadProgress) => void;
  /** Stop early once a threshold can no longer pass (see abort.ts), after a minimum time. */
  abortOnFail?: { plan: AbortPlan; afterMs: number };
}

export interface LoadProgress {
  elapsedMs: number;
  totalMs: number | undefined;
  requests: number;
  rps: number;
  p99: number;
  errors: number;
  dropped: number;
  inFlight: number;
}

/** The most one process is asked to do, and the ranges of the other numbers; outside them a run is refused before anything is sent. */
export const LIMITS = LOAD_LIMITS;

/**
 * Runs one load test. Open model (`constant-arrival-rate`): arrivals follow an
 * absolute schedule, start + i/rate, so there is no drift; each request's
 * latency counts from its intended send time, so a stalled server shows its
 * real cost (coordinated omission corrected); when every allowed connection is
 * busy the arrival is counted as dropped, never hidden. Closed model
 * (`constant-connections`): N connections send back to back; latency is service
 * time and the result says it is not corrected.
 *
 * The end: at the duration (or the request count, or an abort) the window
 * closes: no new arrival, iteration or connection turn starts. What is in
 * flight gets `gracefulStopMs`: requests on the wire, an iteration's next steps
 * (as in k6), and in the open model the arrivals that came due before the end
 * and wait for a connection (their latency already runs; dropping them would
 * hide a stall at the end). Then what is on the wire is cut and counted as
 * interrupted, and what still waits is dropped. Ctrl-C cuts at once. `rps`
 * counts the responses over the measured time, from the start to the last
 * response or cut.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  validateLoadOptions(opts);
  const url = new URL(opts.baseUrl);
  const endpoint: Endpoint = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    tls: url.protocol === 'https:',
    insecure: Boolean(opts.insecure),
    servername: url.hostname,
  };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const prepared = opts.requests.map((r) => prepareStep(r, url.host));
  const iterate = Boolean(opts.iterate);
  const flows = opts.mix?.map((f) => ({ name: f.name, steps: f.requests.map((r) => prepareStep(r, url.host)) })) ?? [
    { name: '', steps: prepared },
  ];
  const pickFlow = weightedPicker(opts.mix?.map((f) => f.weight) ?? [1]);
  const flowIterations = flows.map(() => 0);
  let iterations = 0;
  const open = opts.executor === 'constant-arrival-rate' || opts.executor === 'ramping-arrival-rate';
  const ramp =
    opts.executor === 'ramping-connections' ? connectionRamp(opts.startConnections ?? 1, opts.stages ?? []) : undefined;
  const schedule =
    opts.executor === 'ramping-arrival-rate'
      ? rampingSchedule(opts.startRate ?? 0, opts.stages ?? [])
      : constantSchedule(opts.rate ?? 1, opts.durationMs);
  const peakRate =
    opts.executor === 'ramping-arrival-rate'
      ? Math.max(opts.startRate ?? 0, ...(opts.stages ?? []).map((x) => x.target))
      : (opts.rate ?? 0);
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const stats = new LoadStats(start, {
    serviceTime: open,
    perRequest: new Set(opts.requests.map((r) => r.name)).size > 1,
  });
  const pool: Connection[] = [];
  const idle: Connection[] = [];
  /** Connections busy with an iteration (or a single request). */
  let busy = 0;
  let sent = 0;
  /** Open model: arrivals (intended times) waiting for a free connection, oldest first. */
  const backlog: number[] = [];
  let backlogHead = 0;
  let arrivals = 0;
  const maxInFlight = opts.maxInFlight ?? Math.max(opts.connections * 10, Math.ceil(peakRate));
  const pipelining = opts.pipelining ?? 1;
  /** A new connection of the pool; `${vu}` is its 1-based number. */
  const addConnection = (): Connection => {
    const conn = new Connection(endpoint, timeoutMs, pool.length + 1, pipelining > 1);
    pool.push(conn);
    return conn;
  };
  let stopping = false;
  let stoppedBy: string | undefined;
  const gracefulStopMs = opts.gracefulStopMs ?? DEFAULT_GRACEFUL_STOP_MS;
  let graceTimer: NodeJS.Timeout | undefined;
  /** When the window closed (the run stopped admitting work); Infinity while it runs. */
  let windowEnd = Infinity;
  /** Iterations pausing between steps (think time): cut with the rest. */
  const thinking = new Map<NodeJS.Timeout, Connection>();
  /** Open model: arrivals outstanding at the middle of the window and when it closed (see behind.ts). */
  let inFlightMid: number | undefined;
  let inFlightEnd: number | undefined;
  const outstanding = (): number => busy + backlog.length - backlogHead;
  // A ramp runs for its stages' total; a `duration` as well cuts it short, never stretches it.
  const plannedMs = opts.executor === 'ramping-arrival-rate' ? schedule.totalMs : ramp ? ramp.totalMs : Infinity;
  const windowMs = Math.min(opts.durationMs ?? Infinity, plannedMs);
  const endAt = start + windowMs;
  const max = opts.maxRequests ?? Infinity;

  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  /** Starts an iteration (or a single request) on a free connection. */
  const dispatch = (conn: Connection, intendedAt: number, now?: number): void => {
    busy++;
    stats.inFlight(now ?? performance.now(), outstanding());
    if (!iterate) return runStep(conn, prepared[sent % prepared.length] as Step, undefined, intendedAt, now);
    const index = iterations++;
    const row = opts.data?.row(index);
    if (opts.data && !row) {
      stop(`data: the unique feed ran out after ${opts.data.rows.length} rows`);
      return release(conn, performance.now());
    }
    const vars: Vars = { vu: String(conn.id), iter: String(index), uuid: randomUUID(), ...row };
    const flow = pickFlow();
    flowIterations[flow] = (flowIterations[flow] ?? 0) + 1;
    const steps = (flows[flow] as (typeof flows)[number]).steps;
    runStep(conn, steps[0] as Step, { step: 0, vars, steps }, intendedAt, now);
  };

  const runStep = (
    conn: Connection,
    step: Step,
    it: { step: number; vars: Vars; steps: Step[] } | undefined,
    intendedAt: number,
    now?: number,
  ): void => {
    if (sent >= max) return release(conn, now ?? performance.now()); // the request bound cuts an iteration short
    let bytes: Buffer;
    try {
      bytes = step.bytes ?? step.build(it?.vars ?? {});
    } catch (e) {
      if (!(e instanceof MissingVariable) && !(e instanceof InvalidRequest)) throw e;
      const at = performance.now();
      const cls = e instanceof InvalidRequest ? 'invalid-request' : 'expectation';
      stats.record(step.name, intendedAt, at, at, undefined, cls, undefined, 0);
      return release(conn, at);
    }
    sent++;
    stats.bytesOut += bytes.length;
    const sentAt = now ?? performance.now();
    conn.send(
      bytes,
      step.isHead,
      (o: Outcome) => {
        const doneAt = performance.now();
        let error: string | undefined;
        if (o.ok) {
          error = check(step, o.response, it?.vars);
          stats.record(
            step.name,
            intendedAt,
            sentAt,
            doneAt,
            o.response.status,
            error,
            o.response.cache,
            o.response.wireBytes,
          );
        } else {
          error = o.error;
          stats.record(step.name, intendedAt, sentAt, doneAt, undefined, o.error, undefined, 0);
        }
        // The end of the run lets a started iteration finish (its steps are bounded); an interrupt or abort cuts it.
        const next = it && !error && !stoppedBy ? it.steps[it.step + 1] : undefined;
        if (!next || !it) return release(conn, doneAt);
        it.step++;
        if (step.thinkMs) {
          const pause = setTimeout(() => {
            thinking.delete(pause);
            if (stoppedBy) release(conn, performance.now());
            else runStep(conn, next, it, performance.now());
          }, step.thinkMs);
          thinking.set(pause, conn);
        } else runStep(conn, next, it, doneAt, doneAt);
      },
      step.capture,
    );
  };

  /** The connection finished its iteration: take the next arrival, or go idle; in the closed model, go again. */
  const release = (conn: Connection, doneAt: number): void => {
    busy--;
    if (open) {
      // The oldest arrival waiting for a connection goes now, in the graceful stop too (it came due before
      // the end, and its latency runs from then); an interrupted or aborted run leaves them.
      if (!stoppedBy && backlogHead < backlog.length) dispatch(conn, backlog[backlogHead++] as number);
      else idle.push(conn);
    } else if (!stopping && sent < max && doneAt < endAt && (!ramp || busy < ramp.at(doneAt - start))) {
      dispatch(conn, doneAt, doneAt);
    } else if (ramp) idle.push(conn); // ramping down: the connection rests until the ramp needs it again
    if (stopping && busy === 0) finish();
    // Nothing more to send: the window closes, and what is in flight gets the graceful stop.
    if (!open && !stopping && (sent >= max || doneAt >= endAt)) stop('done');
  };

  /**
   * Closes the window: nothing new starts; what is in flight has gracefulStopMs, then is cut.
   * `at` is when the window ends, when not now: a run stopped by its request count ends where the
   * next arrival would have been, so n arrivals span n / rate (not the n − 1 gaps up to the last).
   */
  const stop = (reason: string, at = performance.now()): void => {
    if (stopping) return;
    stopping = true;
    windowEnd = Math.min(at, endAt);
    if (reason !== 'done') stoppedBy = reason;
    if (open) inFlightEnd = outstanding();
    if (stoppedBy) dropBacklog();
    if (busy === 0) finish();
    else graceTimer = setTimeout(cut, gracefulStopMs);
  };

  /** Arrivals still waiting for a connection when the run is cut never went out: dropped. */
  const dropBacklog = (): void => {
    while (backlogHead < backlog.length) stats.drop(backlog[backlogHead++] as number);
  };

  /** Ends everything in flight now, as interrupted: the end of the graceful stop, or Ctrl-C. */
  const cut = (): void => {
    dropBacklog(); // first, so the connections freed below take none of them
    for (const [pause, conn] of thinking) {
      clearTimeout(pause);
      thinking.delete(pause);
      release(conn, performance.now());
    }
    for (const c of pool) c.close('interrupted', 'cut at the end of the run');
    finish();
  };

  /** Ctrl-C: stop at once, whatever the phase (the window or its graceful stop), keeping what was measured. */
  const interrupt = (): void => {
    stop('interrupted');
    stoppedBy = 'interrupted';
    cut();
  };

  // Open model: send what is due on the absolute schedule, then sleep until the next arrival.
  let timer: NodeJS.Timeout | undefined;
  /**
   * Sends every arrival due by `now` (and before the end): a timer that fires
   * late, on a busy machine, still admits the arrivals whose time has come.
   */
  const admit = (now: number): void => {
    const elapsed = Math.min(now, endAt) - start;
    while (arrivals < max && schedule.at(arrivals) <= elapsed && start + schedule.at(arrivals) < endAt) {
      const intendedAt = start + schedule.at(arrivals);
      arrivals++;
      let conn = idle.pop();
      if (!conn && pool.length < opts.connections) {
        conn = addConnection();
        // Pipelining: the new connection has more slots for the arrivals that follow.
        for (let k = 1; k < pipelining; k++) idle.push(conn);
      }
      if (conn) dispatch(conn, intendedAt);
      else if (outstanding() < maxInFlight) {
        backlog.push(intendedAt);
        stats.inFlight(now, outstanding());
      } else stats.drop(intendedAt);
    }
  };
  const tick = (): void => {
    timer = undefined;
    if (stopping) return;
    const now = performance.now();
    admit(now);
    if (arrivals >= max) return stop('done', start + schedule.at(arrivals));
    if (now >= endAt) return stop('done');
    if (backlogHead > 4096 && backlogHead * 2 > backlog.length) {
      backlog.splice(0, backlogHead);
      backlogHead = 0;
    }
    const next = start + schedule.at(arrivals);
    // After the last arrival of a ramp, the window stays open to the end of its stages.
    if (next === Infinity && endAt === Infinity) return stop('done');
    timer = setTimeout(tick, Math.max(0, Math.min(next, endAt) - performance.now()));
  };

  const onAbort = (): void => interrupt();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // A listener added to a signal already aborted never fires: a Ctrl-C before the start sends nothing.
  if (opts.signal?.aborted) interrupt();
  else if (open) tick();
  else {
    for (let i = 0; i < (ramp ? Math.max(1, ramp.at(0)) : opts.connections) && sent < max; i++) {
      const conn = addConnection();
      for (let k = 0; k < pipelining && sent < max; k++) dispatch(conn, performance.now());
    }
  }
  // One sweep does the timeouts, the progress line, the duration stop and abort-on-fail.
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const c of pool) c.expire(now);
    if (!stopping && now >= endAt) {
      if (open) admit(now);
      stop('done');
    }
    if (!open && !stopping && sent >= max) stop('done'); // every request sent, some may hang: the grace bounds them
    if (open && !stopping && inFlightMid === undefined && now - start >= windowMs / 2) inFlightMid = outstanding();
    // Ramping up: bring more connections in, up to the ramp's count for this moment.
    while (ramp && !stopping && sent < max && busy < ramp.at(now - start)) {
      dispatch(idle.pop() ?? addConnection(), now, now);
    }
    const recent = stats.recent(now);
    if (opts.abortOnFail && !stopping && now - start >= opts.abortOnFail.afterMs) {
      const planned = Math.min(max, open ? schedule.planned : Infinity);
      const reason = opts.abortOnFail.plan.check({
        elapsedMs: now - start,
        requests: stats.requests,
        errors: stats.errors,
        dropped: stats.dropped,
        planned: Number.isFinite(planned) ? planned : undefined,
        slower: stats.slower,
      });
      if (reason) stop(`abort-on-fail: ${reason}`);
    }
    opts.onProgress?.({
      elapsedMs: now - start,
      totalMs: Number.isFinite(windowMs) ? windowMs : undefined,
      requests: stats.requests,
      rps: recent.rps,
      p99: recent.p99,
      errors: stats.errors,
      dropped: stats.dropped,
      inFlight: outstanding(),
    });
  }, 250);

  await finished;
  clearInterval(sweep);
  if (timer) clearTimeout(timer);
  if (graceTimer) clearTimeout(graceTimer);
  opts.signal?.removeEventListener('abort', onAbort);
  for (const c of pool) c.close();
  // Measured time: from the start to the end of the window, or to the last response or cut after it.
  const windowSpan = windowEnd === endAt ? windowMs : windowEnd - start;
  const durationMs = Math.max(windowSpan, stats.lastDoneAt - start);
  const resent = pool.reduce((n, c) => n + c.resent, 0);
  const inFlightTrend =
    open && inFlightMid !== undefined && inFlightEnd !== undefined ? { mid: inFlightMid, end: inFlightEnd } : undefined;
  const result = stats.result({
    target: opts.baseUrl,
    executor: opts.executor,
    corrected: open,
    startedAt,
    durationMs,
    windowMs: windowSpan,
    ...(open ? { offeredRps: windowSpan > 0 ? (arrivals / windowSpan) * 1000 : 0 } : {}),
    ...(inFlightTrend ? { inFlightTrend } : {}),
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(opts.mix ? { mix: Object.fromEntries(flows.map((f, i) => [f.name, flowIterations[i] as number])) } : {}),
    ...(resent ? { resent } : {}),
  });
  const behind = open ? fallingBehind(result) : undefined;
  return behind ? { ...result, fallingBehind: behind } : result;
}

/** Refuses options one process cannot honour, or numbers out of range, before anything is sent. */
export function validateLoadOptions(o: LoadOptions): void {
  const bad = (flag: string, message: string, hint?: string): never => {
    throw new GoliveError('GL_ARG_INVALID', `${flag}: ${message}`, hint ? { hint } : {});
  };
  const whole = (flag: string, n: number | undefined, min: number, max: number): void => {
    if (n !== undefined && !(Number.isInteger(n) && n >= min && n <= max))
      bad(flag, `${n} is not a whole number from ${min} to ${max}`);
  };
  const span = (flag: string, ms: number | undefined, min: number, max: number): void => {
    if (ms !== undefined && !(ms >= min && ms <= max)) bad(flag, `must be ${durationRange(min, max)}`);
  };
  if (o.requests.length === 0) bad('requests', 'no request to send');
  for (const r of [...o.requests, ...(o.mix ?? []).flatMap((f) => f.requests)]) {
    if (!isHttpMethod(r.method)) bad('--method', `${JSON.stringify(r.method)} is not an HTTP method`, METHOD_HINT);
    // What is written is checked here; what variables fill in is checked per iteration (safePath, safeHeaderValue).
    if (!REQUEST_PATH.test(r.path))
      bad('path', `${JSON.stringify(r.path)} must start with / and hold no space or control character`);
    for (const [k, v] of Object.entries(r.headers ?? {}))
      if (!HEADER_TOKEN.test(k) || !HEADER_VALUE.test(v))
        bad('--header', `${JSON.stringify(`${k}: ${v}`)} is not a header`, HEADER_HINT);
  }
  if (
    o.mix &&
    (!o.iterate || o.mix.some((f) => !(f.weight > 0 && f.weight <= LIMITS.weight) || f.requests.length === 0))
  )
    bad(
      'mix',
      `every flow needs a weight above 0 and at most ${LIMITS.weight} and at least one request, and the run must iterate`,
    );
  if (o.durationMs === undefined && o.maxRequests === undefined && !o.executor.startsWith('ramping-'))
    bad('--duration', 'a run needs a duration or a request count', 'pass -d 10s or -n 1000');
  span('--duration', o.durationMs, 1, LIMITS.durationMs);
  whole('--requests', o.maxRequests, 1, LIMITS.maxRequests);
  whole('--connections', o.connections, 1, LIMITS.connections);
  whole('--pipelining', o.pipelining, 1, LIMITS.pipelining);
  whole('maxInFlight', o.maxInFlight, 1, LIMITS.maxInFlight);
  span('--timeout', o.timeoutMs, 1, LIMITS.timeoutMs);
  span('--graceful-stop', o.gracefulStopMs, 0, LIMITS.gracefulStopMs);
  for (const r of o.requests) span('think', r.thinkMs, 0, LIMITS.thinkMs);
  if ((o.pipelining ?? 1) > 1 && o.executor === 'ramping-connections')
    bad('--pipelining', 'ramping-connections counts connections, one request each; pipelining does not apply');
  if (o.stages) {
    for (const st of o.stages) span('stages', st.durationMs, 0, LIMITS.durationMs);
    if (o.stages.reduce((a, st) => a + st.durationMs, 0) > LIMITS.durationMs)
      bad('stages', `the stages add up to more than ${formatMs(LIMITS.durationMs)}`);
  }
  if (o.executor === 'ramping-connections') {
    if (!o.stages?.length)
      bad(
        'stages',
        'ramping-connections needs at least one stage',
        'write stages like [{ duration: 30s, target: 50 }]',
      );
    const peak = Math.max(o.startConnections ?? 1, ...(o.stages ?? []).map((x) => x.target));
    if (peak > LIMITS.connections)
      bad('stages', `${peak} connections is more than one process can hold (${LIMITS.connections})`);
  }
  if (o.executor === 'ramping-arrival-rate') {
    if (!o.stages?.length)
      bad(
        'stages',
        'ramping-arrival-rate needs at least one stage',
        'write stages like [{ duration: 30s, target: 200/s }]',
      );
    const peak = Math.max(o.startRate ?? 0, ...(o.stages ?? []).map((x) => x.target));
    if (peak <= 0) bad('stages', 'every stage has a rate of 0');
    if (peak > LIMITS.rate) bad('stages', `${peak}/s is more than one process can schedule (${LIMITS.rate}/s)`);
  }
  if (o.executor === 'constant-arrival-rate') {
    if (o.rate === undefined || !(o.rate > 0)) bad('--rate', `the open model needs a rate ${RATE_RANGE}, like 500/s`);
    if ((o.rate as number) > LIMITS.rate)
      bad(
        '--rate',
        `${o.rate}/s is more than one process can schedule: must be ${RATE_RANGE}`,
        'split the test with --segment across processes',
      );
  }
}

/** The bytes of one request, built once and reused for every send. */
export function requestBytes(r: LoadRequest, host: string): Buffer {
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  const headers: Record<string, string> = { Host: host, 'User-Agent': 'golive', ...r.headers };
  if (body) headers['Content-Length'] = String(body.length);
  const head = `${r.method.toUpperCase()} ${r.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

/**
 * A filled-in value (data row, extracted) that cannot go on the wire as it is:
 * the iteration counts an error of class `invalid-request` and nothing is sent.
 */
export class InvalidRequest extends Error {}

/** A path filled in from variables: spaces percent-encoded; CR, LF and other control characters refused. */
export function safePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(path)) throw new InvalidRequest('a control character (CR, LF …) in the path');
  return path.includes(' ') ? path.replaceAll(' ', '%20') : path;
}

/** A header value filled in from variables: CR, LF and NUL refused (they would end the header). */
export function safeHeaderValue(name: string, value: string): string {
  if (!HEADER_VALUE.test(value)) throw new InvalidRequest(`CR, LF or NUL in the value of header ${name}`);
  return value;
}

interface Step {
  name: string;
  isHead: boolean;
  /** Prebuilt bytes when nothing in the request varies. */
  bytes: Buffer | undefined;
  build: (vars: Vars) => Buffer;
  capture: boolean;
  thinkMs: number | undefined;
  request: LoadRequest;
}

/** Compiles a request once: static bytes when it has no placeholders, a builder otherwise. */
function prepareStep(r: LoadRequest, host: string): Step {
  const path = compileTemplate(r.path);
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => [k, compileTemplate(v)] as const);
  const body = r.body === undefined ? undefined : compileTemplate(r.body);
  const all: Template[] = [path, ...headers.map(([, t]) => t), ...(body ? [body] : [])];
  const fill = (t: Template, vars: Vars): string => (t.static ? t.value : t.render(vars));
  const build = (vars: Vars): Buffer =>
    requestBytes(
      {
        ...r,
        path: path.static ? path.value : safePath(path.render(vars)),
        headers: Object.fromEntries(
          headers.map(([k, t]) => [k, t.static ? t.value : safeHeaderValue(k, t.render(vars))]),
        ),
        ...(body ? { body: fill(body, vars) } : {}),
      },
      host,
    );
  return {
    name: r.name,
    isHead: r.method.toUpperCase() === 'HEAD',
    bytes: all.every((t) => t.static) ? build({}) : undefined,
    build,
    capture: Boolean(r.extract || r.expectContains !== undefined || r.expectJson !== undefined),
    thinkMs: r.thinkMs,
    request: r,
  };
}

/** Checks a response against the step's expectations and extracts its values into `vars`; returns the error class. */
function check(step: Step, response: ParsedResponse, vars: Vars | undefined): string | undefined {
  const r = step.request;
  const status = response.status;
  if (r.expectStatus !== undefined ? status !== r.expectStatus : status >= 400)
    return r.expectStatus !== undefined ? 'expectation' : 'status';
  if (!step.capture) return undefined;
  const captured = { head: response.head ?? '', body: response.body?.toString('utf8') ?? '' };
  if (r.expectContains !== undefined && !captured.body.includes(r.expectContains)) return 'expectation';
  if (r.expectJson !== undefined) {
    try {
      if (jsonPath(JSON.parse(captured.body), r.expectJson) === undefined) return 'expectation';
    } catch {
      return 'expectation';
    }
  }
  for (const [name, e] of Object.entries(r.extract ?? {})) {
    const v = extract(e, captured);
    if (v === undefined) return 'expectation';
    if (vars) vars[name] = v;
  }
  return undefined;
}

/** ramping-connections: how many connections should be busy `elapsedMs` into the run (linear between stages). */
function connectionRamp(
  startConnections: number,
  stages: Stage[],
): { at: (elapsedMs: number) => number; totalMs: number } {
  const totalMs = stages.reduce((a, s) => a + s.durationMs, 0);
  return {
    totalMs,
    at(elapsedMs) {
      let from = startConnections;
      let t0 = 0;
      for (const s of stages) {
        if (elapsedMs < t0 + s.durationMs)
          return Math.round(from + ((s.target - from) * (elapsedMs - t0)) / s.durationMs);
        t0 += s.durationMs;
        from = s.target;
      }
      return Math.round(from);
    },
  };
}
