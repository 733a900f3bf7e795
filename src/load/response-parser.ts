/**
 * An HTTP/1.1 response parser that works on buffers as they arrive, built for
 * the load client's hot path: it looks only at what the measurements need
 * (status, framing, connection, cache headers) and never copies the body.
 *
 * Framing, in RFC 9112 order: no body for HEAD, 1xx, 204 and 304; chunked
 * transfer coding; Content-Length; otherwise the body runs until the server
 * closes the connection. 1xx interim responses are skipped. Responses may
 * arrive pipelined, several in one packet, or split anywhere — including
 * inside a chunk-size line.
 */

export type CacheStatus = 'hit' | 'miss' | undefined;

export interface ParsedResponse {
  status: number;
  /** Body bytes received (after de-chunking). */
  bodyBytes: number;
  /** Whole response size on the wire, head included. */
  wireBytes: number;
  /** False when the server asked to close, or the body ran until close. */
  keepAlive: boolean;
  cache: CacheStatus;
  /** The head, lower-cased, when the request asked for it (extraction, body checks). */
  head?: string;
  /** The body (at most 1 MiB), when the request asked for it. */
  body?: Buffer;
}

const MAX_CAPTURE = 1024 * 1024;

export class ParseError extends Error {}

const CRLF2 = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  Trailers,
  UntilClose,
}

export class ResponseParser {
  private state = State.Head;
  private pending: Buffer | undefined;
  private remaining = 0;
  private current: ParsedResponse | undefined;
  private captured: Buffer[] | undefined;
  private capturedBytes = 0;

  /**
   * @param isHead tells whether the response now expected answers a HEAD request.
   * @param onResponse called for each complete response, in order.
   */
  constructor(
    private readonly isHead: () => boolean,
    private readonly onResponse: (r: ParsedResponse) => void,
    /** Whether the response now expected should keep its head and body. */
    private readonly wantsBody: () => boolean = () => false,
  ) {}

  /** Feeds bytes; throws ParseError on garbage (the connection must then be dropped). */
  feed(chunk: Buffer): void {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let pos = 0;
    while (pos < buf.length) {
      switch (this.state) {
        case State.Head: {
          const end = buf.indexOf(CRLF2, pos);
          if (end === -1) {
            if (buf.length - pos > MAX_HEAD) throw new ParseError(`response head larger than ${MAX_HEAD} bytes`);
            this.pending = Buffer.from(buf.subarray(pos)); // a copy: the caller may reuse its buffer
            return;
          }
          const headLength = end + 4 - pos;
          this.head(buf.toString('latin1', pos, end), headLength);
          pos = end + 4;
          break;
        }
        case State.Body: {
          const take = Math.min(this.remaining, buf.length - pos);
          if (this.captured) this.keep(buf, pos, pos + take);
          this.remaining -= take;
          pos += take;
          this.addBody(take);
          if (this.remaining === 0) this.finish();
          break;
        }
        case State.ChunkSize: {
          const eol = buf.indexOf('\r\n', pos, 'latin1');
          if (eol === -1) {
            if (buf.length - pos > 1024) throw new ParseError('chunk-size line too long');
            this.pending = Buffer.from(buf.subarray(pos)); // a copy: the caller may reuse its buffer
            return;
          }
          const line = buf.toString('latin1', pos, eol);
          const size = parseInt(line.split(';', 1)[0] as string, 16);
          if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+/.test(line))
            throw new ParseError(`bad chunk size "${line.slice(0, 20)}"`);
          this.wire(eol + 2 - pos);
          pos = eol + 2;
          if (size === 0) this.state = State.Trailers;
          else {
            this.remaining = size + 2; // data + CRLF
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, buf.length - pos);
          const dataPart = Math.max(0, Math.min(take, this.remaining - 2));
          if (this.captured && dataPart > 0) this.keep(buf, pos, pos + dataPart);
          this.remaining -= take;
          pos += take;
          if (this.current) {
            this.current.bodyBytes += dataPart;
            this.current.wireBytes += take;
          }
          if (this.remaining === 0) this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const eol = buf.indexOf('\r\n', pos, 'latin1');
          if (eol === -1) {
            this.pending = Buffer.from(buf.subarray(pos)); // a copy: the caller may reuse its buffer
            return;
          }
          this.wire(eol + 2 - pos);
          const empty = eol === pos;
          pos = eol + 2;
          if (empty) this.finish();
          break;
        }
        case State.UntilClose: {
          if (this.captured) this.keep(buf, pos, buf.length);
          this.addBody(buf.length - pos);
          pos = buf.length;
          break;
        }
      }
      if (pos === buf.length) return;
      if (pos > 0 && this.state === State.Head) {
        buf = buf.subarray(pos);
        pos = 0;
      }
    }
  }

  /** The connection closed: completes a body that runs until close; false when a response was cut short. */
  end(): boolean {
    if (this.state === State.UntilClose) {
      this.finish();
      return true;
    }
    return this.state === State.Head && this.pending === undefined;
  }

  /** True between the first byte of a response and its end. */
  get busy(): boolean {
    return this.state !== State.Head || this.pending !== undefined;
  }

  private head(text: string, length: number): void {
    // Hot path: no split, no per-header strings. The status line is read by
    // character codes; the few headers that matter are found with indexOf on
    // the lower-cased head.
    if (!text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 32) {
      throw new ParseError(`not an HTTP/1.x status line: "${text.slice(0, 40).split('\r\n')[0]}"`);
    }
    const d0 = text.charCodeAt(9) - 48;
    const d1 = text.charCodeAt(10) - 48;
    const d2 = text.charCodeAt(11) - 48;
    const after = text.charCodeAt(12);
    if (
      d0 < 0 ||
      d0 > 9 ||
      d1 < 0 ||
      d1 > 9 ||
      d2 < 0 ||
      d2 > 9 ||
      (after !== 32 && after !== 13 && !Number.isNaN(after))
    ) {
      throw new ParseError(`not an HTTP/1.x status line: "${text.slice(0, 40).split('\r\n')[0]}"`);
    }
    const status = d0 * 100 + d1 * 10 + d2;
    const lower = text.toLowerCase();
    let close = text.charCodeAt(7) === 48; // HTTP/1.0
    let contentLength = -1;
    let chunked = false;
    let cache: CacheStatus;
    const cl = headerValue(lower, '\r\ncontent-length:');
    if (cl !== undefined) {
      contentLength = Number(cl);
      if (!Number.isInteger(contentLength) || contentLength < 0 || cl === '')
        throw new ParseError(`bad Content-Length "${cl}"`);
    }
    const te = headerValue(lower, '\r\ntransfer-encoding:');
    if (te !== undefined) chunked = /(^|,)\s*chunked\s*$/.test(te);
    const conn = headerValue(lower, '\r\nconnection:');
    if (conn !== undefined) {
      if (/\bclose\b/.test(conn)) close = true;
      else if (/\bkeep-alive\b/.test(conn)) close = false;
    }
    if (lower.includes('\r\nx-cache:') || lower.includes('\r\ncf-cache-status:') || lower.includes('\r\nage:')) {
      const xc = headerValue(lower, '\r\nx-cache:') ?? headerValue(lower, '\r\ncf-cache-status:');
      if (xc !== undefined) cache = xc.includes('hit') ? 'hit' : 'miss';
      if (Number(headerValue(lower, '\r\nage:')) > 0) cache = 'hit';
    }
    if (status >= 100 && status < 200 && status !== 101) return; // interim response: the real one follows
    this.current = { status, bodyBytes: 0, wireBytes: length, keepAlive: !close, cache };
    if (this.wantsBody()) {
      this.current.head = lower;
      this.captured = [];
      this.capturedBytes = 0;
    }
    if (this.isHead() || status === 204 || status === 304 || status === 101) return this.finish();
    if (chunked) this.state = State.ChunkSize;
    else if (contentLength >= 0) {
      if (contentLength === 0) return this.finish();
      this.remaining = contentLength;
      this.state = State.Body;
    } else {
      this.current.keepAlive = false;
      this.state = State.UntilClose;
    }
  }

  private addBody(n: number): void {
    if (this.current) {
      this.current.bodyBytes += n;
      this.current.wireBytes += n;
    }
  }

  private wire(n: number): void {
    if (this.current) this.current.wireBytes += n;
  }

  private keep(buf: Buffer, from: number, to: number): void {
    const room = MAX_CAPTURE - this.capturedBytes;
    if (room <= 0 || !this.captured) return;
    const end = Math.min(to, from + room);
    this.captured.push(Buffer.from(buf.subarray(from, end)));
    this.capturedBytes += end - from;
  }

  private finish(): void {
    const r = this.current;
    this.current = undefined;
    if (r && this.captured) r.body = Buffer.concat(this.captured);
    this.captured = undefined;
    this.state = State.Head;
    if (r) this.onResponse(r);
  }
}

/** The trimmed value of the first header named by `marker` ("\r\nname:"), in a lower-cased head. */
function headerValue(lowerHead: string, marker: string): string | undefined {
  const i = lowerHead.indexOf(marker);
  if (i === -1) return undefined;
  const from = i + marker.length;
  const eol = lowerHead.indexOf('\r\n', from);
  return lowerHead.slice(from, eol === -1 ? undefined : eol).trim();
}
