import { randomBytes } from 'node:crypto';
import type { CollectContext } from '../collect/collector.js';
import type { Check } from '../model.js';
import type { AlarmDrillSpec } from '../spec/drills-ops.js';
import { sleep } from './alarm-poll.js';
import { statesInBody, type AlertState } from './alarm-notifications.js';
import { startReceiver, type ReceivedNotification, type WebhookReceiver } from './alarm-receiver.js';
import type { AlarmOutcome } from './alarm-timeline.js';
import { fmt } from './alarm-timeline.js';

/** The label that makes each test alert unique; users route `golive_drill=~".+"` to the receiver. */
export const DRILL_LABEL = 'golive_drill';

type AlertmanagerSpec = NonNullable<AlarmDrillSpec['alertmanager']>;

export interface AlertmanagerRun extends AlarmOutcome {
  /** Notifications golive's own receiver got (for the artifact). */
  notifications: ReceivedNotification[];
}

/**
 * The Alertmanager provider. Posts a test alert with a unique `golive_drill`
 * label to `POST /api/v2/alerts`, waits for the firing notification, then
 * posts the same alert with `endsAt` = now (which resolves it: Alertmanager
 * treats an alert whose end lies in the past as resolved) and waits for the
 * resolved notification (webhook `send_resolved: true`, the default).
 * Whatever happens, an alert that fired is resolved before returning, so a
 * failed drill never leaves a test alert firing.
 */
export async function runAlertmanagerAlarm(
  am: AlertmanagerSpec,
  ctx: CollectContext,
  withinMs: number,
  pollMs: number,
  requestTimeoutMs: number,
): Promise<AlertmanagerRun> {
  const id = `golive-${randomBytes(6).toString('hex')}`;
  const labels = { ...am.labels, alertname: am.alertname, [DRILL_LABEL]: id };
  const endpoint = new URL('api/v2/alerts', am.url.endsWith('/') ? am.url : `${am.url}/`).toString();
  const checks: Check[] = [];
  const out: AlertmanagerRun = {
    provider: 'alertmanager',
    id,
    receiver: 'url' in am.receiver ? am.receiver.url : `golive's webhook receiver on ${am.receiver.listen}`,
    timeline: {},
    checks,
    notifications: [],
    testsResolve: true,
  };

  let receiver: WebhookReceiver | undefined;
  if ('listen' in am.receiver) {
    try {
      receiver = await startReceiver(am.receiver.listen, DRILL_LABEL, id, ctx.now);
      out.receiver = `golive's webhook receiver at ${receiver.url}`;
      out.notifications = receiver.received;
    } catch (e) {
      out.error = `cannot listen on ${am.receiver.listen} for notifications: ${(e as Error).message} (free the port or set drills.alarm.alertmanager.receiver.listen)`;
      return out;
    }
  }
  const waitFor = (state: AlertState, deadline: number): Promise<Date | undefined> =>
    receiver
      ? receiver.waitFor(state, deadline, ctx.signal)
      : pollReceiverPage((am.receiver as { url: string }).url, state, id, deadline, pollMs, ctx);

  // The resolve ignores Ctrl-C (bounded by its own timeout): an interrupted drill must not leave the alert firing.
  const post = async (endsAt: Date, interruptible = true): Promise<string | undefined> => {
    const body = [
      {
        labels,
        annotations: {
          summary: 'golive alarm test: a test alert, resolved by golive within the drill',
          description: `golive drill alarm for ${ctx.spec.service} ${ctx.spec.release} (${id})`,
        },
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        generatorURL: 'https://github.com/golive/golive/blob/main/docs/drills.md',
      },
    ];
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: interruptible
          ? AbortSignal.any([ctx.signal, AbortSignal.timeout(requestTimeoutMs)])
          : AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.text();
      if (res.status < 200 || res.status >= 300) return `POST ${endpoint} → ${res.status} ${text.slice(0, 200).trim()}`;
      return undefined;
    } catch (e) {
      return `POST ${endpoint}: ${(e as Error).message}${causeOf(e)}`;
    }
  };

  const startsAt = ctx.now();
  try {
    ctx.progress(`alarm: posting test alert ${id} to ${am.url}`);
    // Ends well after the drill: only golive's resolve (or Alertmanager's own timeout, if golive is killed) ends it.
    const problem = await post(new Date(startsAt.getTime() + 2 * withinMs + 5 * 60_000));
    if (problem !== undefined) {
      out.error = `Alertmanager did not take the test alert: ${problem}`;
      checks.push({ id: 'drill.alarm.trigger', status: 'fail', summary: problem });
      await receiver?.close();
      return out;
    }
    const firedAt = ctx.now();
    out.timeline.firedAt = firedAt.toISOString();
    checks.push({
      id: 'drill.alarm.trigger',
      status: 'pass',
      summary: `test alert ${am.alertname}{${DRILL_LABEL}="${id}"} posted to ${endpoint}`,
    });

    ctx.progress(`alarm: waiting up to ${fmt(withinMs)} for the firing notification`);
    const notified = await waitFor('firing', firedAt.getTime() + withinMs);
    if (notified) out.timeline.firingNotifiedAt = notified.toISOString();
    checks.push(
      notified
        ? {
            id: 'drill.alarm.firing',
            status: 'pass',
            summary: `firing notification reached ${out.receiver} ${fmt(notified.getTime() - firedAt.getTime())} after the alert`,
          }
        : {
            id: 'drill.alarm.firing',
            status: 'fail',
            summary: ctx.signal.aborted
              ? 'interrupted while waiting for the firing notification'
              : `no firing notification reached ${out.receiver} within ${fmt(withinMs)} (check the route for ${DRILL_LABEL} in the Alertmanager config)`,
          },
    );
  } finally {
    if (out.timeline.firedAt !== undefined) {
      const resolvedAt = ctx.now();
      const problem = await post(resolvedAt, false);
      if (problem === undefined) out.timeline.resolvedAt = resolvedAt.toISOString();
      checks.push(
        problem === undefined
          ? {
              id: 'drill.alarm.resolve',
              status: 'pass',
              summary: `test alert resolved (endsAt ${resolvedAt.toISOString()})`,
            }
          : { id: 'drill.alarm.resolve', status: 'fail', summary: `could not resolve the test alert: ${problem}` },
      );
    }
  }

  const resolvedAt = out.timeline.resolvedAt;
  if (resolvedAt !== undefined && out.timeline.firingNotifiedAt !== undefined) {
    ctx.progress(`alarm: waiting up to ${fmt(withinMs)} for the resolved notification`);
    const notified = await waitFor('resolved', Date.parse(resolvedAt) + withinMs);
    if (notified) out.timeline.resolvedNotifiedAt = notified.toISOString();
    checks.push(
      notified
        ? {
            id: 'drill.alarm.resolved',
            status: 'pass',
            summary: `resolved notification reached ${out.receiver} ${fmt(notified.getTime() - Date.parse(resolvedAt))} after the resolve`,
          }
        : {
            id: 'drill.alarm.resolved',
            status: 'fail',
            summary: ctx.signal.aborted
              ? 'interrupted while waiting for the resolved notification'
              : `no resolved notification reached ${out.receiver} within ${fmt(withinMs)} (is send_resolved: false set on the webhook?)`,
          },
    );
  } else {
    checks.push({
      id: 'drill.alarm.resolved',
      status: 'skipped',
      summary: 'not tested: the firing notification never arrived',
    });
  }
  await receiver?.close();
  return out;
}

async function pollReceiverPage(
  url: string,
  state: AlertState,
  id: string,
  deadline: number,
  pollMs: number,
  ctx: CollectContext,
): Promise<Date | undefined> {
  while (!ctx.signal.aborted && Date.now() < deadline) {
    try {
      const res = await fetch(url, {
        signal: AbortSignal.any([
          ctx.signal,
          AbortSignal.timeout(Math.max(1, Math.min(10_000, deadline - Date.now()))),
        ]),
      });
      const body = await res.text();
      if (res.ok && statesInBody(body, DRILL_LABEL, id).has(state)) return ctx.now();
    } catch {
      // the receiver may be down for a moment; keep polling until the deadline
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), ctx.signal);
  }
  return undefined;
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message ?? ''})` : '';
}
