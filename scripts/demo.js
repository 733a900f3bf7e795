// npm run demo: the whole golive flow on the bundled example, as a new user would type it.
// check (not ready: manual items unattested) → attest → check (ready) → sign-offs → decide (GO) → audit verify.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = 'examples/checkout-api/golive.yaml';
rmSync(join(root, 'examples/checkout-api/.golive'), { recursive: true, force: true });

function golive(args, expected = 0) {
  const shown = args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
  console.log(`\n\x1b[1m$ golive ${shown}\x1b[0m`);
  const r = spawnSync(process.execPath, [join(root, 'bin/golive.js'), ...args, '-c', spec], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== expected) {
    console.error(`\ndemo: "golive ${shown}" exited ${r.status}, expected ${expected}`);
    process.exit(1);
  }
}

golive(['validate']);
golive(['check'], 1);
golive(['attest', 'AC-3', '--by', 'alex', '--role', 'DevOps', '--evidence', 'examples/checkout-api/runbooks/index.md']);
golive([
  'attest',
  'DoD-3',
  '--by',
  'sam',
  '--role',
  'Tech Lead',
  '--evidence',
  'https://tracker.example.com/SEC-42',
  '--comment',
  'no open findings',
]);
golive(['attest', 'DoD-4', '--by', 'pat', '--role', 'PM', '--evidence', 'https://chat.example.com/releases/1234']);
golive(['check']);
for (const [role, by] of [
  ['PM', 'pat'],
  ['Tech Lead', 'sam'],
  ['DevOps', 'alex'],
  ['QA Lead', 'kim'],
  ['Sponsor', 'lee'],
]) {
  golive(['signoff', '--role', role, '--by', by, '--decision', 'go']);
}
golive(['decide', '--by', 'lee']);
golive(['audit', 'verify']);
golive(['history']);
console.log('\nOpen golive-report/report.html for the full report.');
