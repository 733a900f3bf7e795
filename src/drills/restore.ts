import { join } from 'node:path';
import type { CollectContext, Collector } from '../collect/collector.js';
import type { Artifact, Check, Evidence, Metric } from '../model.js';
import { drillEvidence } from './drill-evidence.js';
import { parseDuration } from '../target/duration.js';
import { fmt } from './alarm-timeline.js';
import { describeCommandResult, runCommand, type CommandResult } from './command.js';
import { newestBackup, type NewestBackup } from './restore-rpo.js';
import { compareSums, sumTables, type TableComparison } from './restore-tables.js';
import { withDrillRedaction } from './redact.js';

/**
 * Backup and restore drill (`drills.restore`, `golive drill restore`): seed
 * 001 "database backup and restore tested", seed 004 "RTO 1 hour, RPO < 1 hour".
 *
 * Runs the backup command (optional), the restore command, then verifies:
 * row count and checksum of each listed table, source vs restored, and/or a
 * verify command. Checks: `drill.restore.backup`, `drill.restore.restore`,
 * `drill.restore.tables`, `drill.restore.verify`. Metrics:
 * `drill.restore.rto` (ms, the restore command's duration),
 * `drill.restore.rpo` (ms, age of the newest backup in `backups`),
 * `drill.restore.backup_duration` (ms), `drill.restore.mismatches` (count of
 * tables that differ), `drill.restore.tables` (count compared).
 */
export const restoreCollector: Collector = {
  name: 'drill.restore',
  description: 'backup and restore drill: restore into a scratch database, verify tables, measure RTO and RPO',
  produces: [
    'drill.restore.rto',
    'drill.restore.rpo',
    'drill.restore.backup_duration',
    'drill.restore.mismatches',
    'drill.restore.tables',
  ],
  enabled: (spec) => spec.drills?.restore !== undefined,
  collect: withDrillRedaction(collectRestore),
};

async function collectRestore(ctx: CollectContext): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  const spec = ctx.spec.drills?.restore;
  if (!spec) throw new Error('drill.restore ran without drills.restore in the spec');
  const timeoutMs = parseDuration(spec.timeout);
  const checks: Check[] = [];
  const metrics: Metric[] = [];
  const artifacts: Artifact[] = [];
  const data: Record<string, unknown> = {};
  let error: string | undefined;

  const run = async (step: string, command: string): Promise<CommandResult> => {
    ctx.progress(`restore: ${step}`);
    const path = `restore-${step}.log`;
    const r = await runCommand({
      command,
      cwd: ctx.specDir,
      ...(spec.env ? { env: spec.env } : {}),
      timeoutMs,
      signal: ctx.signal,
      redact: ctx.redact,
      outputFile: join(ctx.artifactsDir, path),
    });
    artifacts.push({ name: `${step} command output`, path, contentType: 'text/plain' });
    const line = `\`${ctx.redact(command)}\` ${describeCommandResult(r, timeoutMs)}`;
    checks.push({ id: `drill.restore.${step}`, status: r.ok ? 'pass' : 'fail', summary: line });
    if (r.spawnError !== undefined) error = `the ${step} command could not start: ${r.spawnError}`;
    return r;
  };

  // RPO before the drill's own backup: the age of the newest backup the schedule produced is what a loss now would cost.
  let newest: NewestBackup | undefined;
  let rpoMeasuredAfterBackup = false;
  if (spec.backups !== undefined) newest = newestBackup(spec.backups, ctx.specDir);

  let ok = true;
  if (spec.backup !== undefined) {
    const b = await run('backup', spec.backup);
    if (b.ok) metrics.push({ name: 'drill.restore.backup_duration', value: Math.round(b.durationMs), unit: 'ms' });
    ok = b.ok;
  }
  if (spec.backups !== undefined && newest === undefined && ok) {
    newest = newestBackup(spec.backups, ctx.specDir);
    rpoMeasuredAfterBackup = newest !== undefined;
  }
  if (spec.backups !== undefined) {
    if (newest) {
      const age = Math.max(0, ctx.now().getTime() - newest.mtime.getTime());
      metrics.push({ name: 'drill.restore.rpo', value: age, unit: 'ms' });
      data.rpo = {
        newest: ctx.redact(newest.path),
        writtenAt: newest.mtime.toISOString(),
        ageMs: age,
        files: newest.count,
        measuredAfterBackup: rpoMeasuredAfterBackup,
      };
    } else {
      checks.push({
        id: 'drill.restore.rpo',
        status: 'fail',
        summary: `no backup file found at ${ctx.redact(spec.backups)}: RPO unknown`,
      });
    }
  }

  let comparisons: TableComparison[] = [];
  if (ok && error === undefined) {
    const r = await run('restore', spec.restore);
    ok = r.ok;
    if (r.ok) {
      const rto = Math.round(r.durationMs);
      metrics.push({ name: 'drill.restore.rto', value: rto, unit: 'ms' });
      data.rtoMs = rto;
    }
  }
  if (!ok || error !== undefined) {
    for (const id of ['restore', 'tables', 'verify'] as const) {
      const wanted = id === 'restore' || (id === 'tables' ? spec.tables !== undefined : spec.verify !== undefined);
      if (wanted && !checks.some((c) => c.id === `drill.restore.${id}`)) {
        checks.push({ id: `drill.restore.${id}`, status: 'skipped', summary: 'not run: an earlier step failed' });
      }
    }
  } else {
    if (spec.tables && spec.source && spec.restored) {
      ctx.progress(`restore: comparing ${spec.tables.length} tables`);
      try {
        const [source, restored] = [
          await sumTables(spec.source, spec.tables, timeoutMs),
          await sumTables(spec.restored, spec.tables, timeoutMs),
        ];
        comparisons = source.map((s, i) => compareSums(s, restored[i] ?? { table: s.table, error: 'not read' }));
        const bad = comparisons.filter((c) => !c.match);
        metrics.push({ name: 'drill.restore.mismatches', value: bad.length, unit: 'count' });
        metrics.push({ name: 'drill.restore.tables', value: comparisons.length, unit: 'count' });
        checks.push({
          id: 'drill.restore.tables',
          status: bad.length === 0 ? 'pass' : 'fail',
          summary:
            bad.length === 0
              ? `${comparisons.length === 1 ? 'the table matches' : `${comparisons.length} tables match`} (row counts and checksums): ${comparisons.map((c) => `${c.table} ${c.source.rows} rows`).join(', ')}`
              : `${bad.length} of ${comparisons.length} tables differ: ${bad.map((c) => c.detail).join('; ')}`,
        });
        data.tables = comparisons.map((c) => ({
          table: c.table,
          match: c.match,
          sourceRows: c.source.rows,
          restoredRows: c.restored.rows,
          sourceChecksum: c.source.checksum,
          restoredChecksum: c.restored.checksum,
          detail: c.detail,
        }));
      } catch (e) {
        error = `cannot connect to compare tables: ${ctx.redact((e as Error).message)}`;
        checks.push({ id: 'drill.restore.tables', status: 'error', summary: error });
      }
    }
    if (spec.verify !== undefined) await run('verify', spec.verify);
  }

  const failed = checks.filter((c) => c.status === 'fail' || c.status === 'error');
  const status = error !== undefined ? 'error' : failed.length === 0 ? 'pass' : 'fail';
  const rto = metrics.find((m) => m.name === 'drill.restore.rto')?.value;
  const rpo = metrics.find((m) => m.name === 'drill.restore.rpo')?.value;
  const figures = [
    rto !== undefined ? `RTO ${fmt(rto)}` : '',
    rpo !== undefined
      ? `RPO ${fmtAge(rpo)}${rpoMeasuredAfterBackup ? " (no earlier backup: the drill's own)" : ''}`
      : '',
  ]
    .filter(Boolean)
    .join(', ');
  const summary =
    error !== undefined
      ? `restore drill could not complete: ${error}`
      : status === 'pass'
        ? `restore verified${comparisons.length ? ` (${comparisons.length} ${comparisons.length === 1 ? 'table matches' : 'tables match'})` : ''}${figures ? `; ${figures}` : ''}`
        : `restore drill failed: ${failed.map((c) => c.summary).join('; ')}`;
  return drillEvidence({
    collector: 'drill.restore',
    status,
    summary,
    startedAt,
    endedAt: ctx.now(),
    metrics,
    checks,
    artifacts,
    data,
    error,
  });
}

function fmtAge(ms: number): string {
  if (ms < 60_000) return fmt(ms);
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
