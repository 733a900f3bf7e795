import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tree } from '../helpers.js';
import { check, makeCert, metric, probe, rules } from './probe-helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop() as Server;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function https(cert: { key: string; cert: string }): Promise<string> {
  const server = createServer({ key: readFileSync(cert.key), cert: readFileSync(cert.cert) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('golive probe: TLS', () => {
  it('reports an untrusted, soon-expiring certificate issued for another host, never trusting it silently', async () => {
    const cert = makeCert(tree(), { days: 5, cn: 'other.example', san: 'DNS:other.example' });
    const url = await https(cert);
    const { code, ev } = await probe([url, '--only', 'tls,headers']);
    expect(code).toBe(1);
    expect(rules(ev)).toEqual(
      expect.arrayContaining(['tls.cert-expiring', 'tls.cert-untrusted', 'tls.hostname-mismatch']),
    );
    expect(ev.findings.find((f) => f.rule === 'tls.cert-expiring')?.severity).toBe('high');
    expect(metric(ev, 'security.tls.days_left')).toBeGreaterThanOrEqual(4);
    expect(metric(ev, 'security.tls.days_left')).toBeLessThanOrEqual(5);
    expect(metric(ev, 'security.tls.trusted')).toBe(0);
    const tls = ev.data?.tls as { subject: string; trustError: string; hostnameMatches: boolean };
    expect(tls.subject).toContain('CN=other.example');
    expect(tls.trustError).toMatch(/SELF_SIGNED/);
    // The headers probe still ran over the untrusted connection, and HSTS counts the bad chain as the Observatory does.
    const obs = ev.data?.observatory as { tests: { name: string; result: string }[] };
    expect(obs.tests.find((t) => t.name === 'strict-transport-security')?.result).toBe('hsts-invalid-cert');
  });

  it('trusts a staging CA named with --ca and passes a valid certificate for the host', async () => {
    const dir = tree();
    const cert = makeCert(dir, { days: 60 });
    const url = await https(cert);
    const { ev } = await probe([url, '--only', 'tls', '--ca', cert.cert]);
    expect(check(ev, 'security.tls')?.status).toBe('pass');
    expect(check(ev, 'security.tls')?.summary).toMatch(
      /TLSv1\.3, certificate trusted, matches 127\.0\.0\.1, 5\d days left/,
    );
    expect(ev.findings).toEqual([]);
  });
});
