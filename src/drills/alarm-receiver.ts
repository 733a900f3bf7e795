import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertStates, type AlertState } from './alarm-notifications.js';

/** A notification golive's receiver got: when, and the payload as sent. */
export interface ReceivedNotification {
  at: Date;
  payload: unknown;
}

export interface WebhookReceiver {
  /** `http://host:port/`, the URL Alertmanager's webhook_config must point at. */
  url: string;
  received: ReceivedNotification[];
  /** Resolves with the time the alert was first seen in `state`, or undefined at the deadline / on abort. */
  waitFor(state: AlertState, deadline: number, signal: AbortSignal): Promise<Date | undefined>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const MAX_KEPT = 200;

/**
 * golive's own webhook receiver for the alarm test: an HTTP server on the
 * given loopback address that accepts Alertmanager webhook POSTs (any path)
 * and notices the drill's alert going firing, then resolved. Bounded: bodies
 * over 1 MiB are refused and at most 200 notifications are kept.
 */
export async function startReceiver(
  listen: string,
  label: string,
  id: string,
  now: () => Date,
): Promise<WebhookReceiver> {
  const received: ReceivedNotification[] = [];
  const seen = new Map<AlertState, Date>();
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const at = now();
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end('expected a JSON webhook payload');
        return;
      }
      if (received.length < MAX_KEPT) received.push({ at, payload });
      for (const s of alertStates(payload, label, id)) if (!seen.has(s)) seen.set(s, at);
      res.writeHead(200).end('ok');
      for (const w of waiters) w();
    });
  });
  const { host, port } = splitListen(listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    received,
    waitFor(state, deadline, signal) {
      return new Promise((resolve) => {
        const check = (): void => {
          const at = seen.get(state);
          if (at !== undefined || signal.aborted || Date.now() >= deadline) {
            clearTimeout(timer);
            waiters.delete(check);
            signal.removeEventListener('abort', check);
            resolve(at);
          }
        };
        const timer = setTimeout(check, Math.max(0, deadline - Date.now()));
        waiters.add(check);
        signal.addEventListener('abort', check, { once: true });
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(listen.slice(i + 1)) };
}
