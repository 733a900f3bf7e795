import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ParseError, ResponseParser, type ParsedResponse } from './response-parser.js';

/** What one request ended with: a response, or an error class. */
export type Outcome = { ok: true; response: ParsedResponse } | { ok: false; error: ErrorClass; message: string };
/** `interrupted`: cut by the end of the run's graceful stop, or by Ctrl-C, before its response came. */
export type ErrorClass = 'refused' | 'reset' | 'timeout' | 'protocol' | 'other' | 'interrupted';

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

/** How often one request is sent again after the server closed the connection before reading it. */
const MAX_RESENDS = 3;

interface Pending {
  bytes: Buffer;
  /** Times it went out again on a new socket (see `requeue`). */
  resends: number;
  isHead: boolean;
  capture: boolean;
  sentAt: number;
  done: (o: Outcome) => void;
}

/**
 * One keep-alive connection over a raw socket. `send` writes prepared request
 * bytes (built once per distinct request) and calls back once with the
 * outcome; requests may be pipelined. A connection that closes is reopened on
 * the next send. Requests pipelined behind the server's last response (one with
 * `Connection: close`, or a clean close after a complete response) were never
 * read by it: they go out again on a new socket, keeping their send time, as wrk
 * and autocannon do. Any other death (a reset, a response cut short) ends the
 * requests in flight as `reset`.
 */
export class Connection {
  private socket: Socket | undefined;
  private parser: ResponseParser | undefined;
  private readonly queue: Pending[] = [];
  private connecting = false;
  private readonly outbox: Buffer[] = [];
  /** Requests sent again after the server closed the connection before reading them. */
  resent = 0;

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
    this.enqueue({ bytes, resends: 0, isHead, capture, sentAt: performance.now(), done });
  }

  private enqueue(p: Pending): void {
    this.queue.push(p);
    if (!this.socket) this.open();
    if (this.connecting) this.outbox.push(p.bytes);
    else this.socket?.write(p.bytes);
  }

  /**
   * The server closed the connection cleanly after answering what came before
   * these requests: it never read them. They go out again on a new socket,
   * first in line, keeping their original send time (the wait shows in their
   * latency); one the server keeps refusing fails as `reset`.
   */
  private requeue(orphans: Pending[]): void {
    for (const o of orphans) {
      if (o.resends >= MAX_RESENDS) {
        o.done({ ok: false, error: 'reset', message: `connection closed before the response, ${MAX_RESENDS} times` });
        continue;
      }
      o.resends++;
      this.resent++;
      this.enqueue(o);
    }
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

  /** Closes the socket; the requests still in flight end with `error` (e.g. `interrupted` at the end of a run). */
  close(error: ErrorClass = 'reset', message = 'stopped'): void {
    if (this.socket) this.drop(this.socket);
    this.fail(error, message);
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
    /** Responses completed on this socket: a clean close after one means the server ended the keep-alive. */
    let answered = 0;
    this.parser = new ResponseParser(
      () => this.queue[0]?.isHead ?? false,
      (response) => {
        if (this.socket !== socket) return; // bytes after a close-delimited response belong to no request
        answered++;
        const p = this.queue.shift();
        // A closing response is the last the server reads: the requests pipelined behind it
        // go out again on a new socket, ahead of what the callback sends next.
        if (!response.keepAlive) {
          const orphans = this.queue.splice(0);
          this.drop(socket);
          this.requeue(orphans);
        }
        p?.done({ ok: true, response });
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
      // Ending a close-delimited response may have moved on to a new socket already.
      if (this.socket !== socket) return;
      // Detach first: a callback may send again, and that must open a new socket.
      this.drop(socket);
      if (!this.queue.length) return;
      // A clean close after a complete response: the server ended the keep-alive without reading the rest.
      if (clean && answered > 0) this.requeue(this.queue.splice(0));
      else this.fail('reset', clean ? 'connection closed before the response' : 'connection closed mid-response');
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
