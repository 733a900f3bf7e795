import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/**
 * A raw HTTP/1.1 server that answers only in batches: it holds requests until
 * `batch` have arrived on a connection, then answers them all. A client that
 * waits for each response before sending the next never gets one.
 */
async function batchingServer(batch: number, stats: { maxWaiting: number }): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    let waiting = 0;
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) !== -1) {
        buffered = buffered.slice(end + 4);
        waiting++;
      }
      stats.maxWaiting = Math.max(stats.maxWaiting, waiting);
      if (waiting >= batch) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'.repeat(waiting));
        waiting = 0;
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('golive load --pipelining', () => {
  it('keeps N requests in flight on each connection, and without it a connection waits for each response', async () => {
    const stats = { maxWaiting: 0 };
    const url = await batchingServer(4, stats);
    const piped = await golive(['load', url, '-c', '2', '-p', '4', '-n', '400', '-d', '30s', '--json'], {
      cwd: tree(),
    });
    expect(piped.code, piped.stderr).toBe(0);
    const r = JSON.parse(piped.stdout);
    expect(r.requests).toBe(400);
    expect(r.statuses).toEqual({ 200: 400 });
    expect(r.errors).toBe(0);
    expect(stats.maxWaiting).toBe(4);

    // One request at a time: the server never has a batch, so every request times out.
    const single = await golive(['load', url, '-c', '1', '-n', '2', '-d', '30s', '--timeout', '300ms', '--json'], {
      cwd: tree(),
    });
    expect(single.code, single.stderr).toBe(0);
    expect(JSON.parse(single.stdout).errorClasses).toEqual({ timeout: 2 });
  });

  it('refuses a pipelining depth that is not a whole number, naming the flag', async () => {
    const r = await golive(['load', 'http://127.0.0.1:9/', '-p', '0'], { cwd: tree() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pipelining: "0" is not a whole number ≥ 1/);
  });
});
