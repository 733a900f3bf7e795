import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tree } from '../helpers.js';
import { makeCert, probe } from './probe-helpers.js';

/**
 * An https target on the default port 443 with no --http-url: the redirection
 * test asks http://host/ (port 80). Each test takes its own loopback address
 * (127.x.y.z) so ports 443 and 80 are free for it; where binding a port below
 * 1024 is not allowed, the test is skipped.
 */
const servers: (Server | TcpServer)[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop() as Server;
    s.closeAllConnections?.();
    await new Promise((r) => s.close(r));
  }
});

function loopback(): string {
  const b = () => 1 + Math.floor(Math.random() * 250);
  return `127.${b()}.${b()}.${b()}`;
}

async function listen(server: Server | TcpServer, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL' ? resolve(false) : reject(e),
    );
    server.listen(port, host, () => {
      servers.push(server);
      resolve(true);
    });
  });
}

/** The https page on host:443; false when port 443 cannot be bound here. */
async function httpsTarget(host: string): Promise<{ ok: boolean; ca: string; dir: string }> {
  const dir = tree();
  const { key, cert } = makeCert(dir, { san: `IP:${host}`, cn: host });
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=63072000' });
    res.end('<html><body>shop</body></html>');
  });
  return { ok: await listen(server, host, 443), ca: cert, dir };
}

const redirection = async (host: string, ca: string, dir: string, extra: string[] = []) => {
  const { ev, stderr } = await probe([`https://${host}/`, '--only', 'headers', '--ca', ca, ...extra], { cwd: dir });
  const tests = (
    ev.data?.observatory as { tests: { name: string; result: string; modifier: number; description: string }[] }
  )?.tests;
  const t = tests?.find((x) => x.name === 'redirection');
  if (!t) throw new Error(`no redirection test:\n${JSON.stringify(ev.checks)}\n${stderr}`);
  return t;
};

describe('golive probe: https on 443, the redirection test asks http://host/', () => {
  it('checks the http URL on port 80: a redirect to https passes', async (ctx) => {
    const host = loopback();
    const target = await httpsTarget(host);
    if (!target.ok) return ctx.skip();
    const http = createHttpServer((req, res) => {
      res.writeHead(301, { location: `https://${host}${req.url}` });
      res.end();
    });
    expect(await listen(http, host, 80)).toBe(true);
    expect((await redirection(host, target.ca, target.dir)).result).toBe('redirection-to-https');
  });

  it('fails an http URL on port 80 that answers without redirecting', async (ctx) => {
    const host = loopback();
    const target = await httpsTarget(host);
    if (!target.ok) return ctx.skip();
    const http = createHttpServer((_req, res) => res.end('plain http'));
    expect(await listen(http, host, 80)).toBe(true);
    const t = await redirection(host, target.ca, target.dir);
    expect(t.result).toBe('redirection-missing');
    expect(t.modifier).toBe(-20);
  });

  it('counts a refused connection on port 80 as no http', async (ctx) => {
    const host = loopback();
    const target = await httpsTarget(host);
    if (!target.ok) return ctx.skip();
    expect((await redirection(host, target.ca, target.dir)).result).toBe('redirection-not-needed-no-http');
  });

  it('counts no answer on port 80 as not checked, with a note, never as no http', async (ctx) => {
    const host = loopback();
    const target = await httpsTarget(host);
    if (!target.ok) return ctx.skip();
    // Accepts the connection and never answers.
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => void sockets.push(socket));
    silent.on('close', () => sockets.forEach((x) => x.destroy()));
    expect(await listen(silent, host, 80)).toBe(true);
    const t = await redirection(host, target.ca, target.dir, ['--timeout', '1s']);
    sockets.forEach((x) => x.destroy());
    expect(t.result).toBe('redirection-not-checked');
    expect(t.modifier).toBe(0);
    expect(t.description).toMatch(new RegExp(`GET http://${host.replaceAll('.', '\\.')}/ got no answer`));
  });
});
