import Database from 'better-sqlite3';
import express, { type Request } from 'express';
import rateLimit from 'express-rate-limit';
import helmet from 'helmet';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/model.js';
import { golive, tree } from '../helpers.js';
import { check, makeCert, metric, probe, rules, serious } from './probe-helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop() as Server;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const TOKENS: Record<string, string> = { 'tok-user-1234': 'user', 'tok-admin-5678': 'admin' };
const roleOf = (req: Request): string | undefined => TOKENS[(req.headers.authorization ?? '').replace(/^Bearer /, '')];

function catalog(): Database.Database {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE products (name TEXT); INSERT INTO products VALUES ('shoe'), ('sock');");
  return db;
}

/** An Express app written the careless way: string-built SQL, unescaped output, paths from the query, a role check forgotten. */
function bareApp(): express.Express {
  const db = catalog();
  const files = tree({ 'readme.txt': 'hello' });
  const app = express();
  app.get('/', (_req, res) => {
    res.cookie('sessionid', 'abc123');
    res.send('<html><body>shop</body></html>');
  });
  app.get('/search', (req, res) => {
    const q = String(req.query.q ?? '');
    const rows = db.prepare(`SELECT name FROM products WHERE name LIKE '%${q}%'`).all();
    res.send(`<html><body><h1>Results for ${q}</h1><p>${rows.length} products</p></body></html>`);
  });
  app.get('/file', (req, res) => {
    res.type('text/plain').send(readFileSync(join(files, String(req.query.name)), 'utf8'));
  });
  app.post('/comments', express.urlencoded({ extended: false }), (req, res) => {
    res.send(`<html><body><p>Thanks, ${String((req.body as Record<string, string>).text)}</p></body></html>`);
  });
  app.get('/orders', (req, res) => (roleOf(req) ? res.json([]) : res.status(401).json({ error: 'log in' })));
  app.get('/admin', (req, res) => (roleOf(req) ? res.send('<h1>Admin</h1>') : res.status(401).end()));
  app.post('/payments', (req, res) => {
    res.json({ by: (roleOf(req) as string).toUpperCase() });
  });
  app.post('/auth/login', (_req, res) => res.json({ token: 'x' }));
  return app;
}

/** The same app done right: helmet, express-rate-limit, placeholders, escaping, an allow-list, role checks, cookie flags. */
function hardenedApp(): express.Express {
  const db = catalog();
  const files = tree({ 'readme.txt': 'hello' });
  const esc = (s: string): string =>
    s.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
    );
  const app = express();
  app.use(helmet());
  app.get('/', (_req, res) => {
    res.cookie('sessionid', 'abc123', { secure: true, httpOnly: true, sameSite: 'lax' });
    res.send('<html><body>shop</body></html>');
  });
  app.get('/search', (req, res) => {
    const q = String(req.query.q ?? '');
    const rows = db.prepare('SELECT name FROM products WHERE name LIKE ?').all(`%${q}%`);
    res.send(`<html><body><h1>Results for ${esc(q)}</h1><p>${rows.length} products</p></body></html>`);
  });
  app.get('/file', (req, res) => {
    const name = basename(String(req.query.name));
    if (name !== 'readme.txt') return res.status(404).send('not found');
    return res.type('text/plain').send(readFileSync(join(files, name), 'utf8'));
  });
  const need =
    (...roles: string[]) =>
    (req: Request, res: express.Response, next: express.NextFunction) => {
      const role = roleOf(req);
      if (!role) return res.status(401).json({ error: 'log in' });
      if (roles.length && !roles.includes(role)) return res.status(403).json({ error: 'forbidden' });
      return next();
    };
  app.get('/orders', need(), (_req, res) => res.json([]));
  app.get('/admin', need('admin'), (_req, res) => res.send('<h1>Admin</h1>'));
  app.post('/payments', need(), (_req, res) => res.json({ ok: true }));
  app.post(
    '/auth/login',
    rateLimit({ windowMs: 60_000, limit: 10, standardHeaders: 'draft-7', legacyHeaders: false }),
    (_req, res) => res.json({ token: 'x' }),
  );
  app.use((_err: unknown, _req: Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).send('internal error');
  });
  return app;
}

const securitySpec = (url: string, extra = ''): string => `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: ${url}
probes:
  security:
    protected:
      - GET /orders
      - POST /payments
      - { route: GET /admin, roles: [admin] }
    # A login burst creates sessions (writes): opted in on purpose, against this test app.
    public: [{ route: POST /auth/login, allowWrites: true }]
    params: { /search: [q], /file: [name], /comments: [text] }
    injectionMethods: [GET, POST]
    credentials:
      user: { Authorization: "Bearer \${USER_TOKEN}" }
      admin: { Authorization: "Bearer \${ADMIN_TOKEN}" }
    burst: 30
${extra}`;

const env = { USER_TOKEN: 'tok-user-1234', ADMIN_TOKEN: 'tok-admin-5678' }; // golive:allow (test values)

describe('golive probe against Express', () => {
  it('finds what a bare Express app gets wrong, with credentials from the environment never shown', async () => {
    const port = await listen(createHttpServer(bareApp()));
    const dir = tree({ 'golive.yaml': securitySpec(`http://127.0.0.1:${port}`) });
    const { code, ev, stdout, stderr } = await probe(['-c', 'golive.yaml'], { cwd: dir, env });
    expect(code, stderr).toBe(1);
    expect(rules(ev)).toEqual(
      expect.arrayContaining([
        'auth.anonymous-error',
        'auth.role-not-enforced',
        'cookies.no-httponly',
        'cookies.no-samesite',
        'cookies.no-secure',
        'headers.csp-not-implemented',
        'headers.x-powered-by',
        'injection.path-traversal',
        'injection.sql-error',
        'injection.stack-trace',
        'injection.xss-reflected',
        'ratelimit.missing',
      ]),
    );
    const byRule = (r: string) => ev.findings.find((f) => f.rule === r);
    expect(byRule('injection.path-traversal')?.location).toBe('GET /file (name)');
    expect(byRule('injection.path-traversal')?.severity).toBe('critical');
    expect(byRule('injection.sql-error')?.location).toBe('GET /search (q)');
    // POST is allowed by the spec: the form field is reflected unescaped too.
    expect(ev.findings.filter((f) => f.rule === 'injection.xss-reflected').map((f) => f.location)).toEqual(
      expect.arrayContaining(['GET /search (q)', 'POST /comments (text)']),
    );
    expect(byRule('injection.sql-error')?.evidence).toMatch(/SqliteError|unrecognized token/);
    expect(byRule('auth.role-not-enforced')?.location).toBe('GET /admin (user)');
    expect(byRule('auth.anonymous-error')?.location).toBe('POST /payments');
    expect(byRule('ratelimit.missing')?.title).toMatch(/no 429 after 30 requests/);
    expect(check(ev, 'security.auth')?.status).toBe('fail');
    expect(ev.scansForFindings).toBe(true);
    // The credentials came from the environment: never in the output or the evidence file.
    const written = readFileSync(join(dir, 'golive-report', 'security', 'evidence.json'), 'utf8');
    for (const secret of Object.values(env)) {
      expect(stdout).not.toContain(secret);
      expect(written).not.toContain(secret);
    }
  });

  it('gives fingerprints that survive a port change', async () => {
    const a = await listen(createHttpServer(bareApp()));
    const b = await listen(createHttpServer(bareApp()));
    const fp = (ev: Evidence) => ev.findings.map((f) => f.fingerprint).sort();
    const args = ['--only', 'headers,cookies,injection', '--param', '/search:q'];
    const first = await probe([`http://127.0.0.1:${a}`, ...args]);
    const second = await probe([`http://127.0.0.1:${b}`, ...args]);
    expect(first.ev.findings.length).toBeGreaterThan(3);
    expect(fp(second.ev)).toEqual(fp(first.ev));
  });

  it('passes Express with helmet and express-rate-limit over https', async () => {
    const dir = tree();
    const { key, cert } = makeCert(dir);
    const port = await listen(createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, hardenedApp()));
    const redirect = await listen(
      createHttpServer((req, res) => {
        res.writeHead(301, { location: `https://127.0.0.1:${port}${req.url}` });
        res.end();
      }),
    );
    const extra = `    httpUrl: http://127.0.0.1:${redirect}\n    tls: { ca: cert.pem }\n`;
    const specDir = tree({ 'golive.yaml': securitySpec(`https://127.0.0.1:${port}`, extra) });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(specDir, 'cert.pem'), readFileSync(cert));
    const { code, ev, stderr } = await probe(['-c', 'golive.yaml'], { cwd: specDir, env });
    expect(serious(ev)).toEqual([]);
    expect(code, stderr).toBe(0);
    const obs = ev.data?.observatory as { grade: string; score: number };
    // helmet: CSP with unsafe-inline only in style-src (0), frame-ancestors (+5), Referrer-Policy no-referrer (+5),
    // cookies Secure+HttpOnly+SameSite (+5), HSTS one year, nosniff, CORP same-origin.
    expect(obs.score).toBe(115);
    expect(obs.grade).toBe('A+');
    for (const id of ['tls', 'headers', 'cookies', 'cors', 'exposure', 'auth', 'ratelimit', 'injection']) {
      expect(check(ev, `security.${id}`)?.status, id).toBe('pass');
    }
    expect((ev.data?.ratelimit as { headers?: string[] }[])[0]?.headers?.join(' ')).toMatch(/ratelimit/i);
    expect(metric(ev, 'security.injection.found')).toBe(0);
  });
});

describe('golive check with probes.security', () => {
  it('feeds findings.* thresholds and security checks into the AC/DoD matrix', async () => {
    const port = await listen(createHttpServer(bareApp()));
    const spec = `version: 1
service: shop
release: v1.0.0
target: { baseUrl: "http://127.0.0.1:${port}" }
roles: { QA Lead: kim@example.com }
thresholds:
  findings.critical: "== 0"
  findings.high: "== 0"
  security.headers.score: ">= 70"
probes:
  security:
    protected: [{ route: GET /admin, roles: [admin] }]
    params: { /file: [name] }
    credentials:
      user: { Authorization: "Bearer \${USER_TOKEN}" }
      admin: { Authorization: "Bearer \${ADMIN_TOKEN}" }
criteria:
  - { id: AC-2, type: AC, title: Security review has no critical findings, thresholds: [findings.critical, findings.high] }
  - { id: AC-5, type: AC, title: Admin is restricted to admins, evidence: [security.auth] }
signoff: { required: [QA Lead] }
`;
    const dir = tree({ 'golive.yaml': spec });
    const r = await golive(['check'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'golive-report', 'report.json'), 'utf8')) as {
      evaluation: {
        findings: Record<string, number>;
        criteria: { id: string; status: string }[];
        thresholds: { name: string; outcome: string }[];
      };
    };
    expect(report.evaluation.findings.critical).toBeGreaterThanOrEqual(2); // traversal, admin open to user
    const status = Object.fromEntries(report.evaluation.criteria.map((c) => [c.id, c.status]));
    expect(status).toEqual({ 'AC-2': 'Unmet', 'AC-5': 'Unmet' });
    const th = Object.fromEntries(report.evaluation.thresholds.map((t) => [t.name, t.outcome]));
    expect(th['security.headers.score']).toBe('fail');
    for (const secret of Object.values(env)) expect(r.stdout + JSON.stringify(report)).not.toContain(secret);
    const md = readFileSync(join(dir, 'golive-report', 'report.md'), 'utf8');
    expect(md).toMatch(/## Security headers\n\nGraded with the HTTP Observatory's method: \*\*F\*\* \(0\/100/);
    expect(md).toContain('| content-security-policy | ✖ csp-not-implemented | -25 |');
  });
});

describe('the auth probe never writes with credentials unless a route opts in', () => {
  it('sends only the anonymous request to POST / DELETE routes; credentials only to GET and to allowWrites routes', async () => {
    const accepted: string[] = [];
    const app = express();
    const need = (req: Request, res: express.Response, next: express.NextFunction) =>
      roleOf(req) ? next() : res.status(401).json({ error: 'log in' });
    const write = (req: Request, res: express.Response) => {
      accepted.push(`${req.method} ${req.path} ${roleOf(req)}`);
      res.json({ ok: true });
    };
    app.get('/orders', need, (_req, res) => res.json([]));
    app.post('/payments', need, write);
    app.delete('/orders/1', need, write);
    app.post('/refunds', need, write);
    const port = await listen(createHttpServer(app));
    const dir = tree({
      'golive.yaml': `version: 1
service: shop
release: v1.0.0
target: { baseUrl: "http://127.0.0.1:${port}" }
probes:
  security:
    run: [auth]
    protected:
      - GET /orders
      - POST /payments
      - DELETE /orders/1
      - { route: POST /refunds, allowWrites: true }
    credentials:
      user: { Authorization: "Bearer \${USER_TOKEN}" }
      admin: { Authorization: "Bearer \${ADMIN_TOKEN}" }
`,
    });
    const v = await golive(['validate'], { cwd: dir, env });
    expect(v.stderr + v.stdout).toMatch(
      /golive\.yaml:\d+:\d+.*protected route POST \/payments writes \(POST\): the auth probe sends it only the anonymous request/,
    );
    expect(v.stderr + v.stdout).toMatch(/protected route DELETE \/orders\/1 writes/);
    expect(v.stderr + v.stdout).not.toMatch(/protected route POST \/refunds/);
    const { code, ev, stderr } = await probe(['-c', 'golive.yaml'], { cwd: dir, env });
    expect(code, stderr).toBe(0);
    // No authenticated write reached /payments or /orders/1; /refunds opted in, once per role.
    expect(accepted.sort()).toEqual(['POST /refunds admin', 'POST /refunds user']);
    const auth = check(ev, 'security.auth');
    expect(auth?.status).toBe('pass');
    expect(auth?.summary).toMatch(
      /credentials not sent \(writes, no allowWrites\): POST \/payments, DELETE \/orders\/1/,
    );
    const rows = ev.data?.auth as { route: string; who: string; status: number | string }[];
    expect(rows.filter((r) => r.route === 'POST /payments')).toEqual([
      { route: 'POST /payments', who: 'anonymous', status: 401 },
      {
        route: 'POST /payments',
        who: 'user, admin',
        status: expect.stringMatching(/^not sent: POST writes.*allowWrites: true/),
      },
    ]);
    expect(rows.filter((r) => r.route === 'GET /orders').map((r) => r.who)).toEqual(['anonymous', 'user', 'admin']);
  });
});
