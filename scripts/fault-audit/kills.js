// Category 4: `golive check` killed with SIGKILL at random points (seeded) while it starts
// the service, probes it, load-tests it, stores the run and writes the reports. A kill
// gives golive no chance to clean up, so whatever it leaves must already be safe. Handled:
// - no process of the service left running (found through /proc, by working folder);
// - the store opens and `golive audit verify` passes;
// - every run `golive history` listed before the kill is still listed;
// - every folder under .golive/runs/ belongs to a listed run, or holds a file whose name says incomplete;
// - the next `golive check` runs to a verdict (exit 0 or 1) and its run is listed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crashReason, firstLine, freePort, golive, killPids, prng, subSeed, waitForNoProcesses } from './harness.js';
import { withRunners } from './in-process.js';
import { makeProject, projectSpec } from './project.js';

// A short open-model load on the service golive starts itself (loopback, 20 requests a second for
// one second), so kills also land while load workers run and write their timelines.
const LOAD = `load:
  scenarios:
    browse:
      executor: constant-arrival-rate
      rate: 20/s
      duration: 1s
      requests: [GET /products, GET /health]
`;

function runIds(r) {
  try {
    return JSON.parse(r.stdout).map((x) => x.id);
  } catch {
    return undefined;
  }
}

export async function runKills(ctx) {
  if (ctx.kills === 0) return { cases: [] };
  const dir = makeProject('kills', { spec: projectSpec({ service: 'kill-audit', extra: LOAD }) });
  const env = { PORT: String(await freePort()) };
  const storeRuns = join(dir, '.golive', 'runs');
  const items = Array.from({ length: ctx.kills }, (_, i) => i);
  const reported = new Set();
  // One runner: the cases follow each other on one store, and the commands after a kill need no new Node each.
  const cases = await withRunners(items, 1, 120_000, async (i, run) => {
    const cli = async (argv) => ({ args: argv, ...(await run({ op: 'cli', argv, cwd: dir, env })) });
    if (i === 0) {
      // Calibration: one undisturbed check gives the store its first run and the span kills are drawn from.
      const first = await golive(['check'], { cwd: dir, env, timeoutMs: 120_000 });
      if (first.code !== 0 && first.code !== 1) {
        throw new Error(`fault-audit: the calibration check exited ${first.code}: ${first.stderr.slice(-600)}`);
      }
      runKills.span = first.ms;
    }
    const before = runIds(await cli(['history', '--json', '--limit', '1000'])) ?? [];
    const r = prng(subSeed(ctx.seed, 'kills', i));
    const delay = Math.round(50 + r.next() * runKills.span);
    let killedAt;
    const killed = await golive(['check'], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
      onSpawn: (child) =>
        setTimeout(() => {
          // golive alone, as the kernel's OOM killer or a lost CI runner would: not its process group.
          if (child.exitCode === null && child.signalCode === null) {
            killedAt = delay;
            child.kill('SIGKILL');
          }
        }, delay),
    });
    const problems = [];
    const orphans = await waitForNoProcesses(dir, 3000);
    if (orphans.length) {
      problems.push(
        `left ${orphans.length} process(es) running: ${orphans.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`,
      );
      killPids(orphans); // ours: the audit started them through golive
      await waitForNoProcesses(dir, 2000);
    }
    const verify = await cli(['audit', 'verify']);
    if (crashReason(verify) || verify.code !== 0) {
      problems.push(
        `audit verify ${crashReason(verify) ?? `exit ${verify.code}`}: ${firstLine(verify.stdout + verify.stderr)}`,
      );
    }
    let folders = [];
    try {
      folders = readdirSync(storeRuns);
    } catch {
      // killed before the first artifact: nothing to check
    }
    const next = await cli(['check']);
    const nextCrash = crashReason(next);
    if (nextCrash || (next.code !== 0 && next.code !== 1)) {
      problems.push(`the next check ${nextCrash ?? `exited ${next.code}`}: ${firstLine(next.stderr)}`);
    }
    // The runner runs the next check in-process; its service must be gone once it returns.
    killPids(await waitForNoProcesses(dir, 3000));
    const after = runIds(await cli(['history', '--json', '--limit', '1000']));
    if (!after) {
      problems.push('golive history --json gave no list');
    } else {
      const lost = before.filter((id) => !after.includes(id));
      if (lost.length) problems.push(`lost ${lost.length} committed run(s): ${lost.join(', ')}`);
      if (after.length <= before.length - lost.length && next.code !== undefined) {
        problems.push('the next check left no run in the history');
      }
      // Each stray folder is blamed on the kill that left it, not again on every later one. A folder
      // the next check removed (it cleans up what a dead run left) is no stray.
      const stray = folders.filter(
        (f) =>
          !reported.has(f) &&
          !after.includes(f) &&
          existsSync(join(storeRuns, f)) &&
          !readdirSync(join(storeRuns, f)).some((n) => /incomplete/i.test(n)),
      );
      for (const f of stray) reported.add(f);
      if (stray.length) problems.push(`run folder(s) with no run and no incomplete marker: ${stray.join(', ')}`);
    }
    const reason = problems.length ? problems.join('; ') : undefined;
    const when = killedAt === undefined ? `finished before the kill at ${delay} ms` : `killed at ${delay} ms`;
    ctx.log(reason ? `  ✗ kill #${i} (${when}): ${reason}` : undefined);
    return {
      id: `kill-${i}`,
      delayMs: delay,
      killed: killedAt !== undefined,
      killedExit: killed.code,
      handled: reason === undefined,
      ...(reason ? { reason } : {}),
    };
  });
  // A kill drawn after the check had already finished still checks the store; say how many hit a running check.
  return { cases, summary: { killedWhileRunning: cases.filter((c) => c.killed).length, seed: ctx.seed } };
}
