import type { Evidence, ReportModel } from '../model.js';
import { inline, row } from './markdown-escape.js';

/**
 * The Markdown report's "Alarm test" section (seed 000's DoD row "trigger at
 * least one test alarm and verify notification and recovery") and, when the
 * restore drill ran, its "Backup and restore" evidence. Pure: reads the
 * drill.alarm / drill.restore evidence data, returns lines.
 */
export function renderOpsDrillsMarkdown(model: ReportModel): string[] {
  const out = alarmSection(model.evidence.find((e) => e.collector === 'drill.alarm'));
  const restore = model.evidence.find((e) => e.collector === 'drill.restore');
  if (restore) out.push(...restoreSection(restore));
  return out;
}

interface Timeline {
  firedAt?: string;
  firingNotifiedAt?: string;
  resolvedAt?: string;
  resolvedNotifiedAt?: string;
}

function alarmSection(e: Evidence | undefined): string[] {
  const out = ['## Alarm test', ''];
  if (!e) {
    out.push(
      'No alarm test ran in this run: nothing shows a test alarm was notified and recovered. Add `drills.alarm` to the spec (docs/drills.md).',
      '',
    );
    return out;
  }
  const verdict = e.status === 'pass' ? '**Passed**' : e.status === 'error' ? '**Could not run**' : '**Failed**';
  out.push(`${verdict}: ${inline(e.summary)}`, '');
  const d = (e.data ?? {}) as {
    provider?: string;
    id?: string;
    receiver?: string;
    withinMs?: number;
    testsResolve?: boolean;
    timeline?: Timeline;
  };
  const facts = [
    d.provider ? `provider ${d.provider}` : '',
    d.id ? `alert id \`${d.id}\`` : '',
    d.receiver ? `notifications at ${inline(d.receiver)}` : '',
    d.withinMs !== undefined ? `deadline ${seconds(d.withinMs)} per notification` : '',
  ].filter(Boolean);
  if (facts.length) out.push(`${facts.join(' · ')}`, '');
  const t = d.timeline ?? {};
  const ok = (id: string): string => {
    const c = e.checks.find((x) => x.id === id);
    return c ? (c.status === 'pass' ? '✔' : c.status === 'skipped' ? '– not tested' : '✖') : '—';
  };
  out.push('| Step | At (UTC) | After | Result |', '|---|---|---|---|');
  out.push(row(['Test alert fired', at(t.firedAt), '—', ok('drill.alarm.trigger')]));
  out.push(
    row([
      'Firing notification received',
      at(t.firingNotifiedAt),
      after(t.firedAt, t.firingNotifiedAt),
      ok('drill.alarm.firing'),
    ]),
  );
  if (d.testsResolve !== false) {
    out.push(row(['Alert resolved', at(t.resolvedAt), '—', ok('drill.alarm.resolve')]));
    out.push(
      row([
        'Resolved notification received',
        at(t.resolvedNotifiedAt),
        after(t.resolvedAt, t.resolvedNotifiedAt),
        ok('drill.alarm.resolved'),
      ]),
    );
  }
  out.push('');
  const failed = e.checks.filter((c) => c.status === 'fail');
  if (failed.length) out.push(...failed.map((c) => `- ✖ \`${c.id}\`: ${inline(c.summary)}`), '');
  return out;
}

function restoreSection(e: Evidence): string[] {
  const out = ['## Backup and restore', ''];
  const verdict = e.status === 'pass' ? '**Passed**' : e.status === 'error' ? '**Could not run**' : '**Failed**';
  out.push(`${verdict}: ${inline(e.summary)}`, '');
  const metric = (name: string): number | undefined => e.metrics.find((m) => m.name === name)?.value;
  const rto = metric('drill.restore.rto');
  const rpo = metric('drill.restore.rpo');
  const d = (e.data ?? {}) as {
    rpo?: { newest?: string; writtenAt?: string };
    tables?: Array<{ table: string; sourceRows?: number; restoredRows?: number; match: boolean; detail: string }>;
  };
  out.push(
    `RTO (restore duration): ${rto !== undefined ? seconds(rto) : 'not measured'} · RPO (age of the newest backup): ${
      rpo !== undefined
        ? `${seconds(rpo)}${d.rpo?.newest ? ` (\`${d.rpo.newest}\`, written ${at(d.rpo.writtenAt)} UTC)` : ''}`
        : 'not measured'
    }`,
    '',
  );
  if (d.tables?.length) {
    out.push('| Table | Source rows | Restored rows | Checksum |', '|---|---|---|---|');
    for (const t of d.tables) {
      out.push(
        row([
          `\`${t.table}\``,
          String(t.sourceRows ?? '—'),
          String(t.restoredRows ?? '—'),
          t.match ? '✔ equal' : `✖ ${t.detail}`,
        ]),
      );
    }
    out.push('');
  }
  for (const c of e.checks)
    out.push(`- ${c.status === 'pass' ? '✔' : c.status === 'skipped' ? '–' : '✖'} \`${c.id}\`: ${inline(c.summary)}`);
  out.push('');
  return out;
}

function at(iso: string | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

function after(from: string | undefined, to: string | undefined): string {
  if (!from || !to) return '—';
  return seconds(Math.max(0, Date.parse(to) - Date.parse(from)));
}

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
