import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, tree } from '../helpers.js';
import { nginxBinary, startNginx, type RunningNginx } from '../servers/nginx.js';

const cleanups: Array<() => Promise<void>> = [];
const nginxes: RunningNginx[] = [];
afterEach(async () => {
  while (nginxes.length) await nginxes.pop()?.stop();
});
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
    expect(r.stderr).toMatch(/--pipelining: "0" must be a whole number from 1 to 1000/);
  });
});

/** A raw server that sends half of each response, then resets the connection (RST) or closes it (FIN). */
async function cutShortServer(how: 'reset' | 'close'): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf', () => {
        if (how === 'reset') socket.resetAndDestroy();
        else socket.end();
      });
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

describe.skipIf(!nginxBinary())('golive load --pipelining against nginx from Debian', () => {
  it('re-sends the requests pipelined behind the last response of a keep-alive connection: no false errors', async () => {
    // nginx answers 20 requests per connection, the 20th with `Connection: close`, and never reads
    // the ones pipelined behind it: they must go out again, not count as resets.
    const nginx = await startNginx(`server {
        listen {{PORT}} default_server;
        root {{ROOT}};
        keepalive_requests 20;
        location / { try_files $uri =404; }
      }`);
    nginxes.push(nginx);
    const r = await golive(
      ['load', `${nginx.url}/index.html`, '-c', '4', '-p', '10', '-n', '2000', '-d', '60s', '--json'],
      {
        cwd: tree(),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.errorClasses).toEqual({});
    expect(result.errors).toBe(0);
    expect(result.requests).toBe(2000);
    expect(result.statuses).toEqual({ 200: 2000 });
    // 2000 requests over connections of 20 requests each: about 100 reconnects, each re-sending what was behind.
    expect(result.resent).toBeGreaterThan(0);
    const text = await golive(['load', `${nginx.url}/index.html`, '-c', '2', '-p', '10', '-n', '200', '-d', '60s'], {
      cwd: tree(),
    });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/errors 0 .*re-sent after the server closed \d+/);
  });
});

describe('golive load --pipelining, a connection that dies mid-response', () => {
  for (const how of ['reset', 'close'] as const) {
    it(`counts the requests in flight as reset errors when the server ${how === 'reset' ? 'resets' : 'closes'} mid-response`, async () => {
      const url = await cutShortServer(how);
      const r = await golive(['load', url, '-c', '1', '-p', '2', '-n', '6', '-d', '30s', '--json'], { cwd: tree() });
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.requests).toBe(6);
      expect(result.errorClasses).toEqual({ reset: 6 });
      expect(result.resent ?? 0).toBe(0);
    });
  }
});
