import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golive, opsHandler, serve, tree } from '../helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A shop with login → token → orders, and the ops endpoints. Records what it saw. */
async function shop(seen: { logins: string[]; orders: string[] }) {
  const ops = opsHandler();
  const s = await serve((req, res) => {
    if (req.method === 'POST' && req.url === '/auth/login') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        const user = (JSON.parse(body) as { user: string }).user;
        seen.logins.push(user);
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-session', `s-${user}`);
        res.end(JSON.stringify({ token: `tok-${user}`, profile: { id: user } }));
      });
      return;
    }
    if (req.url?.startsWith('/orders')) {
      const auth = req.headers.authorization ?? '';
      seen.orders.push(`${auth} ${req.headers['x-session'] ?? ''} ${req.url}`);
      res.statusCode = auth.startsWith('Bearer tok-') ? 200 : 401;
      return res.end('{"orders":[]}');
    }
    ops(req, res);
  });
  cleanups.push(s.close);
  return s.url;
}

const spec = (url: string, scenario: string) => `version: 1
service: shop
release: v1.0.0
target: { baseUrl: ${url} }
thresholds:
  load.error_rate: "< 1%"
load:
  scenarios:
${scenario}
criteria:
  - { id: AC-1, type: AC, title: Logins under load, thresholds: [load.error_rate] }
`;

describe('load scenarios: iterations, extraction, data', () => {
  it('logs in, carries the token and a header into the next request, with rows from a CSV', async () => {
    const seen = { logins: [] as string[], orders: [] as string[] };
    const url = await shop(seen);
    const dir = tree({
      'golive.yaml': spec(
        url,
        `    login:
      executor: constant-connections
      connections: 1
      maxRequests: 12
      data: { file: users.csv, mode: sequential }
      requests:
        - { method: POST, path: /auth/login, json: { user: "\${user}" }, expect: { status: 200, json: $.token }, extract: { token: $.token, session: { header: X-Session } } }
        - { method: GET, path: "/orders?iter=\${iter}", headers: { Authorization: "Bearer \${token}", X-Session: "\${session}" }, expect: 200 }
`,
      ),
      'users.csv': 'user,password\nann,x\nbob,y\n"c,d",z\n',
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(seen.logins).toHaveLength(6);
    expect(new Set(seen.logins)).toEqual(new Set(['ann', 'bob', 'c,d']));
    expect(seen.orders).toHaveLength(6);
    for (const o of seen.orders) expect(o).toMatch(/^Bearer tok-(ann|bob|c,d) s-(ann|bob|c,d) \/orders\?iter=\d$/);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const names = json.evidence
      .find((e: { collector: string }) => e.collector === 'load')
      .metrics.map((m: { name: string }) => m.name);
    expect(names).toContain('load.login.post_auth_login.latency.p95');
    expect(names).toContain('load.login.get_orders_iter_iter.latency.p95');
  });

  it('counts a JSON path that matches nothing as an expectation failure and skips the rest of the iteration', async () => {
    const seen = { logins: [] as string[], orders: [] as string[] };
    const url = await shop(seen);
    const dir = tree({
      'golive.yaml': spec(
        url,
        `    login:
      executor: constant-connections
      connections: 1
      maxRequests: 5
      requests:
        - { method: POST, path: /auth/login, json: { user: u }, extract: { token: $.nope } }
        - { method: GET, path: /orders, headers: { Authorization: "Bearer \${token}" } }
`,
      ),
    });
    const r = await golive(['check'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(seen.orders).toEqual([]);
    const json = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8'));
    const load = json.evidence.find((e: { collector: string }) => e.collector === 'load');
    expect(load.data.scenarios.login.errorClasses).toEqual({ expectation: 5 });
  });

  it('refuses a missing CSV and a unique feed too short for the plan before any traffic', async () => {
    const seen = { logins: [] as string[], orders: [] as string[] };
    const url = await shop(seen);
    const scenario = (file: string, mode: string) => `    login:
      executor: constant-arrival-rate
      rate: 10/s
      duration: 2s
      data: { file: ${file}, mode: ${mode} }
      requests: [ "GET /orders" ]
`;
    const missing = tree({ 'golive.yaml': spec(url, scenario('nope.csv', 'sequential')) });
    const a = await golive(['check'], { cwd: missing });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/data file nope.csv: no such file/);
    const short = tree({ 'golive.yaml': spec(url, scenario('users.csv', 'unique')), 'users.csv': 'user\nann\nbob\n' });
    const b = await golive(['check'], { cwd: short });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unique data feed users.csv has 2 rows, but the scenario plans up to 20 iterations/);
    expect(seen.orders).toEqual([]);
  });
});
