/** The answer to one probe request; `error` is set instead of `status` when there was no HTTP answer. */
export interface ProbeResponse {
  url: string;
  status?: number;
  headers: Record<string, string>;
  /** At most `maxBytes` of the body, decoded as UTF-8. */
  body: string;
  /** Milliseconds from sending to the end of the (bounded) body. */
  ms: number;
  error?: string;
}

export interface ProbeRequest {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Body bytes read at most; the rest is discarded. Default 256 KiB. */
  maxBytes?: number;
  signal?: AbortSignal;
}

/**
 * One bounded GET: a timeout, a cap on the body read, no redirects followed
 * (a redirect is an answer worth reporting, and following one could leave the
 * target the user named).
 */
export async function probeGet(req: ProbeRequest): Promise<ProbeResponse> {
  const started = performance.now();
  const maxBytes = req.maxBytes ?? 256 * 1024;
  const signals = [AbortSignal.timeout(req.timeoutMs), ...(req.signal ? [req.signal] : [])];
  try {
    const res = await fetch(req.url, {
      headers: req.headers ?? {},
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      while (size < maxBytes) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value));
        size += value.byteLength;
      }
      await reader.cancel().catch(() => undefined);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return {
      url: req.url,
      status: res.status,
      headers,
      body: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'),
      ms: performance.now() - started,
    };
  } catch (e) {
    return {
      url: req.url,
      headers: {},
      body: '',
      ms: performance.now() - started,
      error: describeFetchError(e, req.timeoutMs),
    };
  }
}

export function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (err.name === 'AbortError') return 'interrupted';
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code) return `${code}: ${err.cause?.message ?? ''}`.trim();
  return err.cause?.message ?? err.message ?? String(e);
}
