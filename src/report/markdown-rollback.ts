import type { TimelineBucket } from '../drills/timeline.js';
import type { Evidence, ReportModel } from '../model.js';
import { code, inline, row } from './markdown-escape.js';
import { rollbackFigures } from './rollback-figures.js';

/**
 * The Markdown report's "Rollback test evidence" section: what the launch
 * issue's DoD row ("Rollback test evidence … attached") asks for — which
 * commands ran, how long the switch back took against the allowed time,
 * whether any request failed during it, phase by phase, and where the command
 * output is. Empty when the run has no rollback drill and no threshold on it.
 */
export function renderRollbackEvidence(model: ReportModel): string[] {
  const ev = model.evidence.find((e) => e.collector === 'drill.rollback');
  const thresholds = model.evaluation.thresholds.filter(
    (t) => t.name.startsWith('drill.rollback.') || t.name.startsWith('drill.deploy.'),
  );
  if (!ev && thresholds.length === 0) return [];
  const out = ['## Rollback test evidence', ''];
  if (!ev) {
    out.push(
      '⚠️ No rollback rehearsal in this run: add `drills.rollback` to the spec (docs/drills.md) or run `golive drill rollback`.',
      '',
    );
  } else {
    out.push(...headline(ev), '');
    const { phases } = rollbackFigures(ev);
    if (phases.length) {
      out.push(
        '| Phase | From | To | Requests | Errors | p95 | Versions seen | Result |',
        '|---|---|---|---|---|---|---|---|',
      );
      for (const p of phases) {
        out.push(
          row([
            p.name,
            secs(p.startMs),
            secs(p.endMs),
            String(p.requests ?? '—'),
            String(p.errors ?? '—'),
            p.p95 === null || p.p95 === undefined ? '—' : `${p.p95} ms`,
            p.versions.length ? p.versions.join(' → ') : '—',
            `${p.ok ? '✅' : '❌'} ${p.detail ?? ''}`.trim(),
          ]),
        );
      }
      out.push('');
    }
    const timeline = (Array.isArray(ev.data?.timeline) ? ev.data.timeline : []) as Pick<
      TimelineBucket,
      't' | 'requests' | 'errors'
    >[];
    const bad = timeline.filter((b) => b.errors > 0);
    if (timeline.length) {
      out.push(
        bad.length
          ? `Seconds with failed probe requests: ${bad
              .slice(0, 20)
              .map((b) => `${secs(b.t)} (${b.errors} of ${b.requests})`)
              .join(', ')}${bad.length > 20 ? ` and ${bad.length - 20} more` : ''}.`
          : `No probe request failed in any of the ${timeline.length} seconds of the drill.`,
        '',
      );
    }
    for (const a of ev.artifacts) out.push(`- ${inline(a.name)}: ${code(a.path)}`);
    if (ev.artifacts.length) out.push('');
  }
  if (thresholds.length) {
    out.push(
      thresholds
        .map(
          (t) =>
            `${t.outcome === 'pass' ? '✅' : t.outcome === 'fail' ? '❌' : '⚠️'} ${code(t.name)} ${t.display ?? 'no data'} ${code(t.expr)}`,
        )
        .join(' · '),
      '',
    );
  }
  return out;
}

function headline(ev: Evidence): string[] {
  const d = ev.data ?? {};
  const metric = (name: string): number | undefined => ev.metrics.find((m) => m.name === name)?.value;
  const rollbackMs = metric('drill.rollback.duration');
  const deployMs = metric('drill.deploy.duration');
  const requests = metric('drill.rollback.requests');
  const errors = metric('drill.rollback.errors');
  const str = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const traffic =
    requests !== undefined
      ? ` ${requests} probe requests${typeof d.rate === 'number' ? ` at ${d.rate}/s` : ''} during the drill, ${errors ?? 0} failed${errors === 0 ? ' (zero-downtime)' : ''}.`
      : '';
  if (ev.status === 'pass' && rollbackMs !== undefined) {
    return [
      `✅ **Rollback rehearsed** at ${ev.startedAt.replace('T', ' ').slice(0, 19)} UTC: ${code(str('deploy') ?? 'deploy')} put ${inline(str('newVersion') ?? 'the release')} live${deployMs !== undefined ? ` in ${secs(deployMs)}` : ''}; ${code(str('rollback') ?? 'rollback')} brought ${inline(str('expectVersion') ?? 'the previous version')} back healthy in **${secs(rollbackMs)}**${str('within') ? ` (allowed ${inline(str('within') as string)})` : ''}${str('settle') ? ` and it stayed healthy for ${inline(str('settle') as string)}` : ''}.${traffic}`,
    ];
  }
  return [
    `${ev.status === 'error' ? '⚠️' : '❌'} **Rollback rehearsal ${ev.status === 'error' ? 'could not complete' : 'failed'}**: ${inline(ev.error ?? ev.summary)}.${traffic}`,
  ];
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
