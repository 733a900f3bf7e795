// Category 6: planted secrets. Distinctive values, passed through the environment into every
// place a spec can carry one (headers, query strings, request names, paths and bodies, cookies,
// URL userinfo, the start command and its environment, the ready URL, drill commands, probe
// credentials), plus a token committed in the scanned sources. After `golive check` (and the
// commands that read its results back) a value is handled when it appears nowhere: not in
// .golive/ (database bytes, write-ahead log, artifacts), golive-report/, stdout or stderr.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crashReason, firstLine, freePort, golive, pseudo, waitForNoProcesses, killPids } from './harness.js';
import { makeProject } from './project.js';

/** A value per place, built at runtime: the repository holds none of them. */
const value = (label) => `fa${label.toLowerCase().replace(/[^a-z]/g, '')}${pseudo(`fault-audit:${label}`, 24)}`;

const PLANTS = [
  ['S_HEADER', 'target.headers Authorization (Bearer)'],
  ['S_TENANT', 'target.headers X-Tenant (a header name that says nothing)'],
  ['S_QUERY', 'load request query string (?k=${S_QUERY}), declared in secrets:'],
  ['S_NAME', 'load request name, declared in secrets:'],
  ['S_PATH', 'load request path segment, declared in secrets:'],
  ['S_BODY', 'load request JSON body'],
  ['S_COOKIE', 'load request Cookie header'],
  ['S_CMD', 'target.start.command argument (the service prints it)'],
  ['S_STARTENV', 'target.start.env (the service prints it)'],
  ['S_READY', 'target.start.ready query string, declared in secrets:'],
  ['S_TRIGGER', 'drills.alarm trigger command (echoes it), declared in secrets:'],
  ['S_VERIFY', 'drills.alarm verify command (echoes it), declared in secrets:'],
  ['S_SMOKE', 'drills.smoke request query string, declared in secrets:'],
  ['S_CRED', 'probes.security.credentials bearer token'],
];

function spec() {
  return `version: 1
service: secret-audit
release: v1.0.0
# Values whose place says nothing of a secret (a query parameter named k, a request name, a
# command argument) are secret because the spec says so; the rest are found by where they are used.
secrets: [S_QUERY, S_NAME, S_PATH, S_READY, S_TRIGGER, S_VERIFY, S_SMOKE]
target:
  baseUrl: http://127.0.0.1:\${PORT}
  start:
    command: node server.js --token=\${S_CMD}
    ready: /health?ready=\${S_READY}
    timeout: 20s
    env: { APP_SECRET: '\${S_STARTENV}', ORDERS_TOKEN: '\${S_CRED}' }
  headers:
    Authorization: Bearer \${S_HEADER}
    X-Tenant: \${S_TENANT}
roles:
  Tech Lead: lead@example.com
thresholds:
  load.error_rate: '< 100%'
probes:
  ops: {}
  security:
    protected: [GET /orders]
    credentials: { user: { Authorization: 'Bearer \${S_CRED}' } }
scan:
  path: .
load:
  scenarios:
    browse:
      executor: constant-arrival-rate
      rate: 10/s
      duration: 1s
      requests:
        - GET /products?k=\${S_QUERY}
        - { name: 'lookup \${S_NAME}', method: GET, path: '/items/\${S_PATH}' }
        - { method: POST, path: /cart, json: { password: '\${S_BODY}' } }
        - { method: GET, path: /cart, headers: { Cookie: 'sid=\${S_COOKIE}' } }
drills:
  smoke:
    requests: ['GET /health?t=\${S_SMOKE}']
    rate: 5/s
    duration: 1s
    checkVersion: false
  alarm:
    generic: { trigger: 'echo trigger \${S_TRIGGER}', verify: 'echo seen \${S_VERIFY}' }
    within: 10s
    poll: 100ms
criteria:
  - { id: AC-1, type: AC, title: Load answers, thresholds: [load.error_rate] }
  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: Tech Lead }
signoff:
  required: [Tech Lead]
`;
}

/** The same service behind a base URL with a password in it. */
function userinfoSpec() {
  return `version: 1
service: secret-audit-userinfo
release: v1.0.0
target:
  baseUrl: http://audit:\${S_USERINFO}@127.0.0.1:\${PORT}
  start: { command: node server.js, ready: /health, timeout: 20s }
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops.health] }
`;
}

/** Every file under `dir` as bytes (the database, its log, artifacts, reports). */
function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (statSync(p).size < 64 * 1024 * 1024) out.push({ path: p, bytes: readFileSync(p) });
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Where `secret` (as written, or base64 as HTTP Basic would send it) shows: paths of files and streams. */
function leaks(secret, dir, outputs, forms = [secret]) {
  const where = [];
  for (const f of [...filesUnder(join(dir, '.golive')), ...filesUnder(join(dir, 'golive-report'))]) {
    if (forms.some((s) => f.bytes.includes(Buffer.from(s)))) where.push(f.path.slice(dir.length + 1));
  }
  for (const [name, text] of Object.entries(outputs)) if (forms.some((s) => text.includes(s))) where.push(name);
  return where;
}

/** Runs check and then the commands that read its results back, collecting everything they print. */
async function exercise(dir, env) {
  const outputs = {};
  const runs = [];
  for (const args of [['check'], ['findings', '--json'], ['history', '--json'], ['report'], ['audit', 'verify']]) {
    const r = await golive(args, { cwd: dir, env, timeoutMs: 120_000 });
    runs.push(r);
    outputs[`stdout of golive ${args.join(' ')}`] = r.stdout;
    outputs[`stderr of golive ${args.join(' ')}`] = r.stderr;
  }
  killPids(await waitForNoProcesses(dir, 3000));
  return { outputs, check: runs[0], runs };
}

export async function runSecrets(ctx) {
  const secrets = Object.fromEntries(PLANTS.map(([name]) => [name, value(name)]));
  // A token committed in the scanned sources: the scan must report it, redacted.
  const committed = `${['gh', 'p_'].join('')}${pseudo('fault-audit:committed', 36)}`;
  const main = makeProject('secrets/main', {
    spec: spec(),
    files: { 'src/config.js': `export const token = '${committed}';\n` },
  });
  const env = { PORT: String(await freePort()), ...secrets };
  const ran = await exercise(main, env);
  const cases = [];
  const broken = crashReason(ran.check);
  // Leaks can only be judged on a run that gathered evidence: a check that stopped early proves nothing.
  const incomplete =
    broken ??
    (ran.check.code === 0 || ran.check.code === 1
      ? undefined
      : `check exited ${ran.check.code}: ${firstLine(ran.check.stderr)}`);
  const crashed = ran.runs.map(crashReason).find(Boolean);
  for (const [name, where] of [...PLANTS, ['COMMITTED', 'a token committed in src/ (found by the scan)']]) {
    const secret = name === 'COMMITTED' ? committed : secrets[name];
    const seen = leaks(secret, main, ran.outputs);
    const reason = incomplete
      ? `not judged: ${incomplete}`
      : crashed
        ? `a command crashed: ${crashed}`
        : seen.length
          ? `leaked into ${seen.join(', ')}`
          : undefined;
    cases.push({ id: name.toLowerCase(), where, handled: reason === undefined, ...(reason ? { reason } : {}) });
  }

  // URL userinfo: golive may refuse such a base URL (exit 2) or use it; either way the password stays out.
  const password = value('S_USERINFO');
  const other = makeProject('secrets/userinfo', { spec: userinfoSpec() });
  const ranB = await exercise(other, { PORT: String(await freePort()), S_USERINFO: password });
  const basic = Buffer.from(`audit:${password}`).toString('base64');
  const seen = leaks(password, other, ranB.outputs, [password, basic, encodeURIComponent(password)]);
  const crashB = ranB.runs.map(crashReason).find(Boolean);
  const reasonB = crashB ? `a command crashed: ${crashB}` : seen.length ? `leaked into ${seen.join(', ')}` : undefined;
  cases.push({
    id: 's_userinfo',
    where: 'target.baseUrl userinfo (http://user:${S_USERINFO}@host)',
    handled: reasonB === undefined,
    ...(reasonB ? { reason: reasonB } : {}),
    checkExit: ranB.check.code,
  });
  for (const c of cases) if (!c.handled) ctx.log(`  ✗ secret ${c.id} (${c.where}): ${c.reason}`);
  return { cases, summary: { checkExit: ran.check.code } };
}
