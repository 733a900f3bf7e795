import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectContext, Collector } from '../collect/collector.js';
import type { Artifact, Evidence, Metric } from '../model.js';
import { redactDeep } from '../spec/redact.js';
import { parseDuration } from '../target/duration.js';
import { runAlertmanagerAlarm } from './alarm-alertmanager.js';
import { runGenericAlarm } from './alarm-generic.js';
import { alarmStatus, alarmSummary, between, type AlarmOutcome } from './alarm-timeline.js';
import { withDrillRedaction } from './redact.js';

/**
 * The alarm test (`drills.alarm`, `golive drill alarm`): seed 000's DoD row
 * "trigger at least one test alarm and verify notification and recovery".
 *
 * Checks: `drill.alarm.trigger`, `drill.alarm.firing`, `drill.alarm.resolve`,
 * `drill.alarm.resolved`. Metrics: `drill.alarm.notify_latency` (ms, fired →
 * firing notification), `drill.alarm.resolve_latency` (ms, resolved → resolved
 * notification), `drill.alarm.notified` (bool: both notifications arrived).
 * `data.timeline` holds the four moments for the report's "Alarm test" section.
 */
export const alarmCollector: Collector = {
  name: 'drill.alarm',
  description: 'alarm test: fire a test alert, verify the notification and the resolved notification',
  produces: ['drill.alarm.notify_latency', 'drill.alarm.resolve_latency', 'drill.alarm.notified'],
  enabled: (spec) => spec.drills?.alarm !== undefined,
  collect: withDrillRedaction(collectAlarm),
};

async function collectAlarm(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const spec = ctx.spec.drills?.alarm;
  if (!spec) throw new Error('drill.alarm ran without drills.alarm in the spec');
  const withinMs = parseDuration(spec.within);
  const pollMs = parseDuration(spec.poll);
  const timeoutMs = parseDuration(spec.timeout);
  const artifacts: Artifact[] = [];
  let outcome: AlarmOutcome;
  if (spec.alertmanager) {
    const run = await runAlertmanagerAlarm(spec.alertmanager, ctx, withinMs, pollMs, timeoutMs);
    outcome = run;
    if (run.notifications.length > 0) {
      const path = 'alarm-notifications.json';
      writeFileSync(
        join(ctx.artifactsDir, path),
        `${JSON.stringify(
          redactDeep(
            run.notifications.map((n) => ({ at: n.at.toISOString(), payload: n.payload })),
            ctx.redact,
          ),
          null,
          2,
        )}\n`,
      );
      artifacts.push({ name: 'notifications received', path, contentType: 'application/json' });
    }
  } else if (spec.generic) {
    outcome = await runGenericAlarm(spec.generic, ctx, withinMs, pollMs, timeoutMs);
    for (const step of ['trigger', 'resolve']) {
      if (outcome.checks.some((c) => c.id === `drill.alarm.${step}`)) {
        artifacts.push({ name: `${step} command output`, path: `alarm-${step}.log`, contentType: 'text/plain' });
      }
    }
  } else {
    throw new Error('drills.alarm names no provider');
  }

  if (ctx.signal.aborted) outcome.interrupted = true;
  const t = outcome.timeline;
  const notify = between(t.firedAt, t.firingNotifiedAt);
  const resolve = between(t.resolvedAt, t.resolvedNotifiedAt);
  const metrics: Metric[] = [];
  if (notify !== undefined) metrics.push({ name: 'drill.alarm.notify_latency', value: notify, unit: 'ms' });
  if (resolve !== undefined) metrics.push({ name: 'drill.alarm.resolve_latency', value: resolve, unit: 'ms' });
  if (outcome.error === undefined) {
    const both = notify !== undefined && (resolve !== undefined || !outcome.testsResolve);
    metrics.push({ name: 'drill.alarm.notified', value: both ? 1 : 0, unit: 'bool' });
  }
  return {
    collector: 'drill.alarm',
    status: alarmStatus(outcome),
    summary: alarmSummary(outcome, withinMs),
    startedAt,
    endedAt: ctx.now().toISOString(),
    metrics,
    checks: outcome.checks,
    findings: [],
    artifacts,
    data: {
      provider: outcome.provider,
      id: outcome.id,
      receiver: outcome.receiver,
      withinMs,
      testsResolve: outcome.testsResolve,
      timeline: t,
    },
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
  };
}
