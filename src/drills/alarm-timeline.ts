import type { Check, EvidenceStatus } from '../model.js';

/** The moments of one alarm test, as ISO date-times; absent when it never happened. */
export interface AlarmTimeline {
  /** When golive fired the test alert (posted it / the trigger command ended). */
  firedAt?: string;
  /** When the firing notification was seen. */
  firingNotifiedAt?: string;
  /** When golive resolved the alert. */
  resolvedAt?: string;
  /** When the resolved notification was seen. */
  resolvedNotifiedAt?: string;
}

/** What a provider hands back to the alarm collector. */
export interface AlarmOutcome {
  provider: 'alertmanager' | 'generic';
  /** Unique id of this test alert (label `golive_drill`, $GOLIVE_DRILL_ID). */
  id: string;
  /** Where notifications were expected, in words. */
  receiver: string;
  timeline: AlarmTimeline;
  checks: Check[];
  /** Set when the drill could not run at all (Alertmanager unreachable, receiver port taken, trigger not startable). */
  error?: string;
  /** True when Ctrl-C stopped the drill before it finished. */
  interrupted?: boolean;
  /** False when the spec does not test the resolved notification (generic provider without `resolve`). */
  testsResolve: boolean;
}

/** Milliseconds between two ISO instants, when both exist. */
export function between(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  return Math.max(0, Date.parse(to) - Date.parse(from));
}

/** Evidence status of an alarm test: error when it could not run, fail when any check failed. */
export function alarmStatus(o: AlarmOutcome): EvidenceStatus {
  if (o.error !== undefined) return 'error';
  return o.checks.every((c) => c.status === 'pass' || c.status === 'skipped') ? 'pass' : 'fail';
}

/** One line for the evidence summary. */
export function alarmSummary(o: AlarmOutcome, withinMs: number): string {
  if (o.error !== undefined) return `alarm test could not run: ${o.error}`;
  const notify = between(o.timeline.firedAt, o.timeline.firingNotifiedAt);
  const resolve = between(o.timeline.resolvedAt, o.timeline.resolvedNotifiedAt);
  const within = fmt(withinMs);
  if (o.timeline.firedAt === undefined) return 'the test alert was not fired';
  if (o.interrupted) return 'alarm test interrupted (the test alert was resolved)';
  if (notify === undefined) return `no firing notification within ${within} of the test alert`;
  if (!o.testsResolve) return `test alert notified in ${fmt(notify)} (resolve not tested)`;
  if (o.timeline.resolvedAt === undefined) return `test alert notified in ${fmt(notify)}, but it could not be resolved`;
  if (resolve === undefined)
    return `test alert notified in ${fmt(notify)}, but no resolved notification within ${within}`;
  return `test alert notified in ${fmt(notify)}, resolved notification in ${fmt(resolve)}`;
}

export function fmt(ms: number): string {
  return ms >= 10_000
    ? `${Math.round(ms / 100) / 10} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${Math.round(ms)} ms`;
}
