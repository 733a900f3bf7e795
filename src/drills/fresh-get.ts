import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The answer to one drill probe: `status` and `body`, or `error` when there was no HTTP answer in time. */
export interface FreshGetResult {
  status?: number;
  body: string;
  ms: number;
  error?: string;
}

/**
 * One GET on a new connection (no keep-alive), bounded by a timeout and a body
 * cap. Drills watch a switch between two deployments: a pooled connection
 * would keep talking to the old upstream (or fail on a socket the proxy closed
 * while idle), which says more about the client than about the switch. A fresh
 * connection per request is what a new visitor sees.
 */
export function freshGet(
  url: string,
  opts: { headers?: Record<string, string>; timeoutMs: number; maxBytes?: number; signal?: AbortSignal },
): Promise<FreshGetResult> {
  const started = performance.now();
  const maxBytes = opts.maxBytes ?? 16 * 1024;
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Omit<FreshGetResult, 'ms'>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve({ ...r, ms: performance.now() - started });
    };
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(u, { method: 'GET', headers: { ...opts.headers, connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < maxBytes) chunks.push(c);
        size += c.length;
      });
      res.on('end', () =>
        finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8') }),
      );
      res.on('error', (e) => finish({ body: '', error: describe(e) }));
    });
    req.on('error', (e) => finish({ body: '', error: describe(e) }));
    req.end();
    const timer = setTimeout(
      () => finish({ body: '', error: `no answer within ${opts.timeoutMs} ms` }),
      opts.timeoutMs,
    );
    const onAbort = (): void => finish({ body: '', error: 'interrupted' });
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(e: Error & { code?: string }): string {
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET') return 'connection reset';
  return e.code ? `${e.code}: ${e.message}` : e.message;
}
