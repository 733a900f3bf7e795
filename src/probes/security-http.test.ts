import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecClient } from './security-http.js';

let url = '';
let hits = 0;
const server = createServer((req, res) => {
  hits++;
  res.setHeader('set-cookie', ['a=1; HttpOnly', 'b=2']);
  res.end(req.headers.authorization ?? 'anonymous');
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (maxRequests = 10) =>
  new SecClient({
    origin: url,
    headers: { Authorization: 'Bearer t' },
    timeoutMs: 2000,
    maxBytes: 1024,
    concurrency: 2,
    maxRequests,
  });

describe('SecClient', () => {
  it('refuses any origin but the target, without sending', async () => {
    const before = hits;
    const r = await client().send({ url: 'http://127.0.0.2:9/' });
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/not the target/);
    expect(hits).toBe(before);
  });
  it('stops at its request budget', async () => {
    const c = client(3);
    const answers = await Promise.all(Array.from({ length: 5 }, () => c.send({ url: c.url('/') })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.error?.includes('budget'))).toHaveLength(2);
  });
  it('keeps every Set-Cookie and leaves target headers out of anonymous requests', async () => {
    const c = client();
    const withHeaders = await c.send({ url: c.url('/') });
    expect(withHeaders.body).toBe('Bearer t');
    expect(withHeaders.setCookies).toEqual(['a=1; HttpOnly', 'b=2']);
    expect((await c.send({ url: c.url('/'), anonymous: true })).body).toBe('anonymous');
  });
});
