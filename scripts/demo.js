// npm run demo: the whole golive flow on the bundled example, as a new user would type it.
// check (not ready: manual items unattested) → findings triage (waive two) → attest → check (ready)
// → sign-offs → decide (GO) → audit verify.
// Each check starts the example's blue-green staging (blue v1.3.2, green v1.4.0 behind nginx, or a
// Node proxy when nginx is not installed) and runs the smoke test and the rollback rehearsal.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = 'examples/checkout-api/golive.yaml';
rmSync(join(root, 'examples/checkout-api/.golive'), { recursive: true, force: true });

// The example's proxy port: a free one, unless CHECKOUT_PORT names it.
const port =
  process.env.CHECKOUT_PORT ??
  String(
    await new Promise((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    }),
  );

function golive(args, expected = 0) {
  const shown = args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
  console.log(`\n\x1b[1m$ golive ${shown}\x1b[0m`);
  const r = spawnSync(process.execPath, [join(root, 'bin/golive.js'), ...args, '-c', spec], {
    cwd: root,
    env: { ...process.env, CHECKOUT_PORT: port },
    stdio: 'inherit',
  });
  if (r.status !== expected) {
    console.error(`\ndemo: "golive ${shown}" exited ${r.status}, expected ${expected}`);
    process.exit(1);
  }
}

golive(['validate']);
golive(['check'], 1);

// Findings triage: the two header findings that only hold because staging is plain HTTP are
// waived for this release, with a reason, an approver and an expiry; the rest stay open.
golive(['findings']);
const listed = spawnSync(process.execPath, [join(root, 'bin/golive.js'), 'findings', '--json', '-c', spec], {
  cwd: root,
  encoding: 'utf8',
});
const findings = JSON.parse(listed.stdout).findings;
const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
for (const rule of ['headers.hsts-not-implemented-no-https', 'headers.redirection-missing']) {
  const f = findings.find((x) => x.rule === rule);
  if (!f) continue;
  golive([
    'waive',
    f.fingerprint.slice(0, 12),
    '--reason',
    'TLS terminates at the load balancer in production; staging is plain HTTP on loopback',
    '--by',
    'sam@example.com',
    '--expires',
    expires,
  ]);
}
golive([
  'attest',
  'AC-3',
  '--by',
  'alex@example.com',
  '--role',
  'DevOps',
  '--evidence',
  'examples/checkout-api/runbooks/index.md',
]);
golive([
  'attest',
  'DoD-3',
  '--by',
  'sam@example.com',
  '--role',
  'Tech Lead',
  '--evidence',
  'https://tracker.example.com/SEC-42',
  '--comment',
  'no open findings',
]);
golive([
  'attest',
  'DoD-4',
  '--by',
  'pat@example.com',
  '--role',
  'PM',
  '--evidence',
  'https://chat.example.com/releases/1234',
]);
golive(['check']);
for (const [role, by] of [
  ['PM', 'pat@example.com'],
  ['Tech Lead', 'sam@example.com'],
  ['DevOps', 'alex@example.com'],
  ['QA Lead', 'kim@example.com'],
  ['Sponsor', 'lee@example.com'],
]) {
  golive(['signoff', '--role', role, '--by', by, '--decision', 'go']);
}
golive(['decide', '--by', 'lee@example.com']);
golive(['audit', 'verify']);
golive(['history']);
console.log('\nOpen examples/checkout-api/golive-report/report.html for the full report.');
