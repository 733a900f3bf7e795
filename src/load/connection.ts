import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ParseError, ResponseParser, type ParsedResponse } from './response-parser.js';

/** What one request ended with: a response, or an error class. */
export type Outcome = { ok: true; response: ParsedResponse } | { ok: false; error: ErrorClass; message: string };
export type ErrorClass = 'refused' | 'reset' | 'timeout' | 'protocol' | 'other';

export interface Endpoint {
  host: string;
  port: number;
  tls: boolean;
  /** Accept any certificate (`--insecure`); off unless asked for. */
  insecure: boolean;
  /** Server name for TLS SNI. */
  servername: string;
}

/**
 * Plain-TCP reads land in this one buffer (net's `onread` option) instead of a
 * fresh 64 KiB allocation and a stream 'data' event per read: the parser
 * consumes each read synchronously and copies the little it keeps (a partial
 * head, captured bodies). One buffer serves every connection of the thread,
 * since a read callback runs to its end before the next read.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

interface Pending {
  isHead: boolean;
  capture: boolean;
  sentAt: number;
  done: (o: Outcome) => void;
}

/**
 * One keep-alive connection over a raw socket. `send` writes prepared request
 * bytes (built once per distinct request) and calls back once with the
 * outcome; requests may be pipelined. A connection that closes is reopened on
 * the next send; requests in flight when it dies end as `reset`.
 */
export class Connection {
  private socket: Socket | undefined;
  private parser: ResponseParser | undefined;
  private readonly queue: Pending[] = [];
  private connecting = false;
  private readonly outbox: Buffer[] = [];

  constructor(
    private readonly endpoint: Endpoint,
    private readonly timeoutMs: number,
    /** 1-based number of the connection in its pool: `${vu}` in templates. */
    readonly id = 1,
    /**
     * Pipelining: the requests sent while one read is parsed (one per response
     * it completes) go out in one system call (cork/uncork → writev), not one
     * each. Off for one request at a time, where there is only one write per read.
     */
    private readonly batchWrites = false,
  ) {}

  get inFlight(): number {
    return this.queue.length;
  }

  /** Sends prepared bytes; `capture` keeps the response's head and body (for checks and extraction). */
  send(bytes: Buffer, isHead: boolean, done: (o: Outcome) => void, capture = false): void {
    this.queue.push({ isHead, capture, sentAt: performance.now(), done });
    if (!this.socket) this.open();
    if (this.connecting) this.outbox.push(bytes);
    else this.socket?.write(bytes);
  }

  /**
   * Fails the requests in flight when the oldest has waited longer than the
   * timeout. The engine calls this from one periodic sweep: a timer per
   * request would cost more than the request.
   */
  expire(now: number): void {
    const oldest = this.queue[0];
    if (oldest && now - oldest.sentAt > this.timeoutMs) {
      if (this.socket) this.drop(this.socket);
      this.fail('timeout', `no response within ${this.timeoutMs} ms`);
    }
  }

  close(): void {
    if (this.socket) this.drop(this.socket);
    this.fail('reset', 'stopped');
  }

  private open(): void {
    const e = this.endpoint;
    this.connecting = true;
    const onData = (chunk: Buffer): void => {
      if (this.socket !== socket) return;
      if (this.batchWrites) socket.cork();
      try {
        this.parser?.feed(chunk);
      } catch (err) {
        if (this.socket !== socket) return;
        this.drop(socket);
        this.fail('protocol', err instanceof ParseError ? err.message : String(err));
      } finally {
        // The socket may have been dropped and replaced meanwhile; uncorking a destroyed one is harmless.
        if (this.batchWrites) socket.uncork();
      }
    };
    const socket: Socket = e.tls
      ? tlsConnect({ host: e.host, port: e.port, servername: e.servername, rejectUnauthorized: !e.insecure })
      : netConnect({
          host: e.host,
          port: e.port,
          onread: {
            buffer: READ_BUFFER,
            callback: (n: number, buf: Uint8Array): boolean => {
              onData((buf as Buffer).subarray(0, n));
              return true;
            },
          },
        });
    socket.setNoDelay(true);
    this.socket = socket;
    this.parser = new ResponseParser(
      () => this.queue[0]?.isHead ?? false,
      (response) => {
        if (this.socket !== socket) return; // bytes after a close-delimited response belong to no request
        const p = this.queue.shift();
        // A closing response orphans the requests pipelined behind it; taken before the
        // callback, which may send again on a new socket.
        const orphans = response.keepAlive ? [] : this.queue.splice(0);
        if (!response.keepAlive) this.drop(socket);
        p?.done({ ok: true, response });
        for (const o of orphans)
          o.done({ ok: false, error: 'reset', message: 'connection closed before the response' });
      },
      () => this.queue[0]?.capture ?? false,
    );
    socket.once(e.tls ? 'secureConnect' : 'connect', () => {
      this.connecting = false;
      for (const b of this.outbox.splice(0)) socket.write(b);
    });
    if (e.tls) socket.on('data', onData);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.socket !== socket) return;
      const cls: ErrorClass =
        err.code === 'ECONNREFUSED' ? 'refused' : err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'other';
      this.drop(socket);
      this.fail(cls, err.code ?? err.message);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const clean = this.parser?.end() ?? true;
      // Detach first: a callback may send again, and that must open a new socket.
      this.drop(socket);
      if (this.queue.length) {
        this.fail('reset', clean ? 'connection closed before the response' : 'connection closed mid-response');
      }
    });
  }

  /** Forgets a socket; the next send opens a new one. */
  private drop(socket: Socket): void {
    if (this.socket !== socket) return;
    socket.destroy();
    this.socket = undefined;
    this.parser = undefined;
    this.connecting = false;
    this.outbox.length = 0;
  }

  private fail(error: ErrorClass, message: string): void {
    for (const p of this.queue.splice(0)) p.done({ ok: false, error, message });
  }
}
