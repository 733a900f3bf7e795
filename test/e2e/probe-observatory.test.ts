import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from './probe-helpers.js';

/** Mozilla's current rules, through the real CLI against a page that sends the headers named. */
const servers: Server[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop() as Server;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function page(headers: Record<string, string>): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', ...headers });
    res.end('<html><body>shop</body></html>');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

interface Test {
  name: string;
  result: string;
  modifier: number;
}
const graded = async (headers: Record<string, string>) => {
  const { ev } = await probe([await page(headers), '--only', 'headers']);
  const tests = (ev.data?.observatory as { tests: Test[] }).tests;
  return { ev, test: (name: string) => tests.find((t) => t.name === name) };
};

describe('golive probe: the Observatory grade follows Mozilla', () => {
  it('reports Content-Security-Policy-Report-Only alone as not enforced, reporting on', async () => {
    const { ev, test } = await graded({ 'content-security-policy-report-only': "default-src 'none'" });
    expect(test('content-security-policy')).toMatchObject({
      result: 'csp-not-implemented-but-reporting-enabled',
      modifier: -25,
    });
    const f = ev.findings.find((x) => x.rule === 'headers.csp-not-implemented-but-reporting-enabled');
    expect(f?.evidence).toContain("content-security-policy-report-only: default-src 'none'");
  });

  it("passes Google's strict CSP and fails Referrer-Policy no-referrer-when-downgrade", async () => {
    const { ev, test } = await graded({
      'content-security-policy':
        "default-src 'self'; script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'",
      'referrer-policy': 'no-referrer-when-downgrade',
    });
    expect(test('content-security-policy')).toMatchObject({ result: 'csp-implemented-with-no-unsafe', modifier: 5 });
    expect(test('referrer-policy')).toMatchObject({ result: 'referrer-policy-unsafe', modifier: -5 });
    expect(ev.findings.map((f) => f.rule)).toContain('headers.referrer-policy-unsafe');
  });
});
