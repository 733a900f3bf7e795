import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The answer to one security-probe request; `error` is set instead of `status` when there was no HTTP answer. */
export interface SecResponse {
  method: string;
  url: string;
  status?: number;
  /** Header values joined with ", " (lower-case names), except `set-cookie`, kept apart in `setCookies`. */
  headers: Record<string, string>;
  setCookies: string[];
  /** At most `maxBytes` of the body, decoded as latin1 so any bytes survive. */
  body: string;
  /** True when the body was longer than `maxBytes` and the rest was discarded. */
  truncated: boolean;
  ms: number;
  error?: string;
}

export interface SecRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Leave out target.headers (they usually carry a token): for requests that must be anonymous. */
  anonymous?: boolean;
}

/** Bounds every request shares: timeout, body cap, concurrency, total count, the one origin allowed. */
export interface SecClientOptions {
  /** The only origin requests may go to (plus `extraOrigins`). */
  origin: string;
  /** Other origins the user named (e.g. the http URL that must redirect to https). */
  extraOrigins?: string[];
  /** Headers sent with every request (target.headers), under the request's own. */
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  concurrency: number;
  /** Requests sent at most over the client's life. */
  maxRequests: number;
  /** No request starts after this many ms from the client's creation, and none outlives it. */
  maxDurationMs?: number;
  signal?: AbortSignal;
}

/**
 * A bounded HTTP client for the security probes, on node:http(s) rather than
 * fetch: it never follows redirects, reads at most a prefix of each body,
 * keeps every Set-Cookie, answers a garbage reply with an error instead of
 * throwing, and accepts an untrusted certificate (the TLS probe reports the
 * certificate's facts; a self-signed staging certificate must not stop the
 * other probes). Requests to any origin but the target's are refused.
 */
export class SecClient {
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  /** Requests sent so far. */
  sent = 0;
  private readonly allowed: Set<string>;
  private readonly deadline: number;

  constructor(private readonly opts: SecClientOptions) {
    this.deadline = performance.now() + (opts.maxDurationMs ?? Number.POSITIVE_INFINITY);
    this.allowed = new Set([opts.origin, ...(opts.extraOrigins ?? [])].map((o) => new URL(o).origin));
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  get budgetLeft(): number {
    return this.opts.maxRequests - this.sent;
  }

  url(path: string): string {
    return new URL(path, this.opts.origin).toString();
  }

  /** Waits `ms`, or less when the run is interrupted or its time budget ends (pacing a burst). */
  pause(ms: number): Promise<void> {
    const wait = Math.min(ms, this.deadline - performance.now());
    const signal = this.opts.signal;
    if (wait <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async send(req: SecRequest): Promise<SecResponse> {
    const method = req.method ?? 'GET';
    const target = new URL(req.url);
    if (!this.allowed.has(target.origin)) {
      return fail(method, req.url, 0, `refused: ${target.origin} is not the target`);
    }
    if (this.opts.signal?.aborted) return fail(method, req.url, 0, 'interrupted');
    if (this.sent >= this.opts.maxRequests) {
      return fail(method, req.url, 0, `request budget of ${this.opts.maxRequests} spent`);
    }
    if (performance.now() >= this.deadline) return fail(method, req.url, 0, 'time budget of the run spent');
    this.sent++;
    await this.acquire();
    try {
      if (performance.now() >= this.deadline) return fail(method, req.url, 0, 'time budget of the run spent');
      return await this.once(method, target, req);
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.opts.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.inFlight--;
  }

  private once(method: string, url: URL, req: SecRequest): Promise<SecResponse> {
    const started = performance.now();
    const { maxBytes } = this.opts;
    const timeoutMs = Math.max(1, Math.min(this.opts.timeoutMs, Math.ceil(this.deadline - performance.now())));
    const headers: Record<string, string> = {
      'user-agent': 'golive-probe',
      ...(req.anonymous ? {} : lower(this.opts.headers ?? {})),
      ...lower(req.headers ?? {}),
    };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<SecResponse>((resolve) => {
      let settled = false;
      const done = (r: SecResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.opts.signal?.removeEventListener('abort', onAbort);
        r.ms = Math.round((performance.now() - started) * 10) / 10;
        resolve(r);
      };
      const cr = send(url, {
        method,
        headers,
        agent: false,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: false, servername: sni(url.hostname) } : {}),
      });
      const timer = setTimeout(() => {
        done(fail(method, url.toString(), 0, `no answer within ${timeoutMs} ms`));
        cr.destroy();
      }, timeoutMs);
      const onAbort = (): void => {
        done(fail(method, url.toString(), 0, 'interrupted'));
        cr.destroy();
      };
      this.opts.signal?.addEventListener('abort', onAbort, { once: true });
      cr.on('error', (e: NodeJS.ErrnoException) => done(fail(method, url.toString(), 0, describe(e))));
      cr.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = (): void => {
          const { headers: h, setCookies } = flatten(res.headers);
          done({
            method,
            url: url.toString(),
            status: res.statusCode ?? 0,
            headers: h,
            setCookies,
            body: Buffer.concat(chunks).subarray(0, maxBytes).toString('latin1'),
            truncated,
            ms: 0,
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (size < maxBytes) chunks.push(chunk);
          size += chunk.length;
          if (size > maxBytes) {
            // The prefix is enough: stop reading a huge body rather than download it.
            truncated = true;
            finish();
            res.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', () => finish());
        res.on('close', finish);
      });
      cr.end(req.body);
    });
  }
}

function fail(method: string, url: string, ms: number, error: string): SecResponse {
  return { method, url, headers: {}, setCookies: [], body: '', truncated: false, ms, error };
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function flatten(h: IncomingHttpHeaders): { headers: Record<string, string>; setCookies: string[] } {
  const headers: Record<string, string> = {};
  let setCookies: string[] = [];
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    if (k === 'set-cookie') setCookies = Array.isArray(v) ? v : [v];
    else headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return { headers, setCookies };
}

/** SNI must be a host name, never an IP address. */
function sni(host: string): string | undefined {
  return /^[\d.]+$/.test(host) || host.includes(':') ? undefined : host;
}

function describe(e: NodeJS.ErrnoException): string {
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET') return 'connection reset';
  if (e.code?.startsWith('HPE_')) return `not an HTTP answer (${e.code})`;
  return e.code ? `${e.code}: ${e.message}` : e.message;
}
