import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CollectContext } from '../collect/collector.js';
import type { Check } from '../model.js';
import type { AlarmDrillSpec, VerifySpec } from '../spec/drills-ops.js';
import { pollVerify } from './alarm-poll.js';
import { fmt, type AlarmOutcome } from './alarm-timeline.js';
import { describeCommandResult, runCommand } from './command.js';

type GenericSpec = NonNullable<AlarmDrillSpec['generic']>;

/**
 * The generic provider: a trigger command fires the test alert (any alerting
 * system: PagerDuty, Opsgenie, Grafana …), then a verify command or URL is
 * polled until the notification is seen or the deadline passes; optionally a
 * resolve command and a resolved verify. Each command has a timeout and its
 * output is kept as an artifact; $GOLIVE_DRILL_ID carries a unique id.
 */
export async function runGenericAlarm(
  g: GenericSpec,
  ctx: CollectContext,
  withinMs: number,
  pollMs: number,
  timeoutMs: number,
): Promise<AlarmOutcome> {
  const id = `golive-${randomBytes(6).toString('hex')}`;
  const checks: Check[] = [];
  const out: AlarmOutcome = {
    provider: 'generic',
    id,
    receiver: describeVerify(g.verify, ctx.redact),
    timeline: {},
    checks,
    testsResolve: g.resolve !== undefined,
  };
  const env = { ...g.env, GOLIVE_DRILL_ID: id };
  const run = (command: string, name: string) =>
    runCommand({
      command,
      cwd: ctx.specDir,
      env,
      timeoutMs,
      signal: ctx.signal,
      redact: ctx.redact,
      outputFile: join(ctx.artifactsDir, `alarm-${name}.log`),
    });
  const poll = (verify: VerifySpec, deadline: number) =>
    pollVerify({
      verify,
      id,
      deadline,
      intervalMs: pollMs,
      commandTimeoutMs: timeoutMs,
      cwd: ctx.specDir,
      env,
      signal: ctx.signal,
      redact: ctx.redact,
      now: ctx.now,
    });

  ctx.progress('alarm: running the trigger command');
  const trigger = await run(g.trigger, 'trigger');
  const triggerLine = `\`${ctx.redact(g.trigger)}\` ${describeCommandResult(trigger, timeoutMs)}`;
  checks.push({ id: 'drill.alarm.trigger', status: trigger.ok ? 'pass' : 'fail', summary: triggerLine });
  if (trigger.spawnError !== undefined) {
    out.error = `the trigger command could not start: ${trigger.spawnError}`;
    return out;
  }
  if (!trigger.ok) {
    checks.push({ id: 'drill.alarm.firing', status: 'skipped', summary: 'not tested: the trigger command failed' });
    return out;
  }
  const firedAt = ctx.now();
  out.timeline.firedAt = firedAt.toISOString();

  ctx.progress(`alarm: polling for the notification, up to ${fmt(withinMs)}`);
  const firing = await poll(g.verify, firedAt.getTime() + withinMs);
  if (firing.at) out.timeline.firingNotifiedAt = firing.at.toISOString();
  checks.push(
    firing.ok && firing.at
      ? {
          id: 'drill.alarm.firing',
          status: 'pass',
          summary: `notification seen ${fmt(firing.at.getTime() - firedAt.getTime())} after the trigger (${firing.attempts} polls)`,
        }
      : {
          id: 'drill.alarm.firing',
          status: 'fail',
          summary: ctx.signal.aborted
            ? 'interrupted while waiting for the notification'
            : `no notification within ${fmt(withinMs)} after ${firing.attempts} polls; last: ${firing.last}`,
        },
  );

  if (g.resolve === undefined || g.verifyResolved === undefined) return out;
  // Resolve even when the firing notification never came: a drill must not leave an alert firing.
  ctx.progress('alarm: running the resolve command');
  const resolve = await run(g.resolve, 'resolve');
  checks.push({
    id: 'drill.alarm.resolve',
    status: resolve.ok ? 'pass' : 'fail',
    summary: `\`${ctx.redact(g.resolve)}\` ${describeCommandResult(resolve, timeoutMs)}`,
  });
  if (!resolve.ok || !firing.ok) {
    checks.push({
      id: 'drill.alarm.resolved',
      status: 'skipped',
      summary: firing.ok
        ? 'not tested: the resolve command failed'
        : 'not tested: the firing notification never arrived',
    });
    return out;
  }
  const resolvedAt = ctx.now();
  out.timeline.resolvedAt = resolvedAt.toISOString();
  ctx.progress(`alarm: polling for the resolved notification, up to ${fmt(withinMs)}`);
  const resolved = await poll(g.verifyResolved, resolvedAt.getTime() + withinMs);
  if (resolved.at) out.timeline.resolvedNotifiedAt = resolved.at.toISOString();
  checks.push(
    resolved.ok && resolved.at
      ? {
          id: 'drill.alarm.resolved',
          status: 'pass',
          summary: `resolved notification seen ${fmt(resolved.at.getTime() - resolvedAt.getTime())} after the resolve`,
        }
      : {
          id: 'drill.alarm.resolved',
          status: 'fail',
          summary: ctx.signal.aborted
            ? 'interrupted while waiting for the resolved notification'
            : `no resolved notification within ${fmt(withinMs)} after ${resolved.attempts} polls; last: ${resolved.last}`,
        },
  );
  return out;
}

function describeVerify(v: VerifySpec, redact: (s: string) => string): string {
  return typeof v === 'string' ? `verify command \`${redact(v)}\`` : `GET ${redact(v.url)}`;
}
