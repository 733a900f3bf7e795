import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Collector } from '../collect/collector.js';
import { collectors as defaultCollectors } from '../collect/registry.js';
import { GoliveError, isGoliveError, type Problem } from '../errors.js';
import { compareFrozen } from '../gate/frozen.js';
import type { Evidence, Finding, ReportModel, Run } from '../model.js';
import { redactDeep, redactError, redactSpec, specRedactor } from '../spec/redact.js';
import { writtenCriterionHashes } from '../spec/criterion-hash.js';
import type { EvidenceStore, StoredRun } from '../store/types.js';
import { claimRunFolder, OWNER_FILE, reapAbandonedRuns } from '../target/owner.js';
import { parseDuration } from '../target/duration.js';
import { assertReachable, hostPort } from '../target/reachable.js';
import { startOptionsFromSpec, startTarget, type StartedTarget, type StopOutcome } from '../target/start.js';
import { buildReportModel } from './model.js';
import { loadProject, reportDir, withStore, type ProjectOptions } from './project.js';
import {
  appendStepSummary,
  discardOutDir,
  prepareOutDir,
  writeReports,
  type ReportFormat,
  REPORT_FORMATS,
} from './reports.js';

export type CheckEvent =
  | { type: 'abandoned-run'; runId: string; stopped: number }
  /** Run folders left alone: not runs of this store, and not provably abandoned by a check of it. */
  | { type: 'unknown-run-folders'; dir: string; runIds: string[] }
  | { type: 'target-starting'; command: string }
  | { type: 'target-ready'; ms: number }
  | { type: 'collector-start'; name: string; description: string }
  | { type: 'collector-progress'; name: string; message: string }
  | { type: 'collector-end'; name: string; evidence: Evidence };

export interface CheckOptions extends ProjectOptions {
  /** Folder for the reports, relative to cwd. Default `golive-report/` beside the spec. */
  outDir?: string;
  /** Report formats to write. Default all. */
  formats?: readonly ReportFormat[];
  /** Collectors to run (those the spec enables). Default: every registered collector. */
  collectors?: readonly Collector[];
  /** Aborted on Ctrl-C: collectors stop, partial evidence is kept, the run is marked incomplete. */
  signal?: AbortSignal;
  now?: () => Date;
  onEvent?: (event: CheckEvent) => void;
}

export interface CheckResult {
  run: Run;
  model: ReportModel;
  reportFiles: string[];
  warnings: Problem[];
  /** Function that removes every secret (see redact.ts, secretValues). */
  redact: (s: string) => string;
}

/**
 * `golive check`: gathers evidence against the target, stores the run and
 * writes the reports. Throws GL_* errors for invalid input (exit 2) and for a
 * target that cannot be reached or started (exit 3); a completed check returns
 * its result whatever the readiness is.
 */
export async function check(opts: CheckOptions = {}): Promise<CheckResult> {
  const now = opts.now ?? (() => new Date());
  const signal = opts.signal ?? new AbortController().signal;
  const cwd = opts.cwd ?? process.cwd();
  const project = loadProject(opts);
  const { spec, specHash, dir: specDir } = project.loaded;
  const redact = specRedactor(project.loaded);
  const outDir = reportDir(project, opts.outDir, cwd);
  const formats = opts.formats ?? REPORT_FORMATS;
  // Progress goes to a terminal or a CI log: never with a value from the environment in it.
  const emit = (event: CheckEvent): void => opts.onEvent?.(redactDeep(event, redact));

  // A check that fails before storing its run takes away the store and folder it created.
  const storeDir = dirname(project.storePath);
  const created = { dir: !existsSync(storeDir), store: !existsSync(project.storePath) };
  let removeStore = false;
  // Whatever fails, no secret leaves in the error (the inner catch also tidies up a failed run).
  return withStore(project, async (store) => {
    const runsDir = join(storeDir, 'runs');
    // What a check killed with SIGKILL left behind: its processes and its folder, never a stored run.
    let storedIds: Promise<Set<string>> | undefined;
    const isStored = async (id: string): Promise<boolean> =>
      (await (storedIds ??= store.listRuns().then((runs) => new Set(runs.map((r) => r.id))))).has(id);
    const reaped = await reapAbandonedRuns(runsDir, project.storePath, isStored);
    for (const a of reaped.removed) emit({ type: 'abandoned-run', ...a });
    if (reaped.unknown.length) emit({ type: 'unknown-run-folders', dir: runsDir, runIds: reaped.unknown });
    // Until the run is stored, a failure takes away what this check created.
    let createdOut: string | undefined;
    let createdRunDir: string | undefined;
    let runStored = false;
    try {
      const frozen = await store.frozenThresholds(project.key);
      if (frozen) assertThresholdsUnchanged(frozen, redactDeep(spec.thresholds, redact), project.loaded.file);
      createdOut = prepareOutDir(outDir);
      const enabled = (opts.collectors ?? defaultCollectors).filter((c) => c.enabled(spec));
      for (const c of enabled) c.prepare?.(spec, specDir);

      const runId = newRunId(now());
      const runDir = join(runsDir, runId);
      createdRunDir = runDir;
      const ownerFile = claimRunFolder(runDir, project.storePath);
      const startedAt = now().toISOString();
      const evidence: Evidence[] = [];
      let target: StartedTarget | undefined;
      let stopped: StopOutcome | undefined;
      let complete = true;
      try {
        if (spec.target.start) {
          emit({ type: 'target-starting', command: spec.target.start.command });
          const t0 = Date.now();
          const logFile = join(runDir, 'target.log');
          const startOptions = startOptionsFromSpec(
            spec.target.start,
            spec.target.baseUrl,
            specDir,
            logFile,
            signal,
            redact,
          );
          const stop = spec.target.stop;
          target = await startTarget({
            ...startOptions,
            ...(stop ? { stopCommand: stop.command, stopTimeoutMs: parseDuration(stop.timeout) } : {}),
            ownerFile,
            ports: [hostPort(spec.target.baseUrl), hostPort(startOptions.readyUrl)],
          });
          emit({ type: 'target-ready', ms: Date.now() - t0 });
        } else {
          await assertReachable(spec.target.baseUrl);
        }
        const attestations = await store.listAttestations(project.key);
        const criterionHashes = writtenCriterionHashes(project.loaded.raw, spec.criteria);
        for (const collector of enabled) {
          if (signal.aborted) {
            complete = false;
            break;
          }
          emit({ type: 'collector-start', name: collector.name, description: collector.description });
          const ev = await runCollector(collector, {
            spec,
            specDir,
            artifactsDir: runDir,
            headers: spec.target.headers ?? {},
            attestations,
            criterionHashes,
            redact,
            signal,
            progress: (message) => emit({ type: 'collector-progress', name: collector.name, message }),
            now,
          });
          evidence.push(ev);
          emit({ type: 'collector-end', name: collector.name, evidence: ev });
        }
        if (signal.aborted) complete = false;
      } finally {
        stopped = await target?.stop();
      }

      if (spec.target.start) {
        evidence.unshift(
          targetEvidence(spec.target.start.command, stopped, startedAt, now().toISOString(), runDir, project.storePath),
        );
      }
      const warnings = [...project.loaded.warnings];
      const stopFailure = stopped?.stopCommand?.failure;
      if (stopFailure) {
        warnings.push({
          file: project.loaded.file,
          path: 'target.stop.command',
          message: `target.stop.command "${stopped?.stopCommand?.command}" failed (${stopFailure})${stopped?.handedOver ? ': the service it was to stop may still be running' : "; golive still ended the start command's processes"}`,
          hint: `its output is in ${join(runDir, 'target.log')}; stop what is left by hand, or the next check finds its port in use`,
        });
      }
      const cleanEvidence = redactDeep(evidence, redact);
      const findings: Finding[] = cleanEvidence.flatMap((e) => e.findings);
      const observed = cleanEvidence.map((e) => e.data?.version).find((v) => typeof v === 'string') as
        string | undefined;
      const run: Run = {
        id: runId,
        service: spec.service,
        release: spec.release,
        specHash,
        ...(observed !== undefined ? { targetVersion: observed } : {}),
        baseUrl: redact(spec.target.baseUrl),
        startedAt,
        endedAt: now().toISOString(),
        status: complete ? 'complete' : 'incomplete',
      };
      // What is stored is the interpolated spec with every environment value redacted,
      // so the gate can re-evaluate the run later without ever holding a secret.
      // With the criterion hashes taken from the spec as written, which attestations are bound to: the
      // gate never hashes the redacted form (a title holding a secret would read differently).
      const storedSpec = {
        ...redactSpec(spec, redact),
        criterionHashes: writtenCriterionHashes(project.loaded.raw, spec.criteria),
      };
      const unrecorded: StoredRun = { run, specJson: storedSpec, evidence: cleanEvidence, findings };
      // The readiness as of this check goes in with the run (covered by its audit entry), so
      // `golive history` shows what the check said even after waivers and attestations change it.
      const evaluatedAt = now();
      const { readiness } = (await buildReportModel(store, unrecorded, evaluatedAt)).evaluation;
      const stored: StoredRun = { ...unrecorded, readiness };
      // Freeze what is stored (redacted), so the frozen thresholds and the stored spec agree.
      await store.insertRun(stored, storedSpec.thresholds);
      runStored = true;
      rmSync(join(runDir, OWNER_FILE), { force: true });

      const model = await buildReportModel(store, stored, evaluatedAt);
      const reportFiles = writeReports(model, formats, outDir, redact);
      appendStepSummary(model, opts.env ?? process.env, redact);
      return { run, model, reportFiles, warnings, redact };
    } catch (e) {
      const keptLog = runStored ? undefined : discard(createdRunDir, createdOut, outDir, dirname(project.storePath));
      removeStore = created.store && !runStored && (await holdsNothing(store).catch(() => false));
      const shown = keptLog ? (s: string) => redact(s).replaceAll(keptLog.from, keptLog.to) : redact;
      throw redactError(e, shown);
    }
  }).catch((e: unknown) => {
    if (removeStore) discardStore(project.storePath, created.dir);
    throw redactError(e, redact);
  });
}

/** Whether the store has no record at all: no run and no audit entry (sign-offs, waivers … are audited). */
async function holdsNothing(store: EvidenceStore): Promise<boolean> {
  return (await store.listRuns({ limit: 1 })).length === 0 && (await store.listAudit()).length === 0;
}

/**
 * Removes a store this check created and left empty (with its -wal/-shm files), the runs folder if
 * empty, and the store's folder if this check created it and it is empty (a kept target log stays).
 * Not while another check has a run folder there: it may be using the store.
 */
function discardStore(storePath: string, createdDir: boolean): void {
  const runs = join(dirname(storePath), 'runs');
  if (existsSync(runs) && readdirSync(runs).length > 0) return;
  for (const f of [storePath, `${storePath}-wal`, `${storePath}-shm`, `${storePath}-journal`])
    rmSync(f, { force: true });
  rmSync(runs, { recursive: true, force: true });
  const dir = dirname(storePath);
  if (createdDir && existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
}

/**
 * Takes away what a check that could not complete created: its run folder (the
 * target's output moves to .golive/last-target-<run id>.log, where the error's hint points)
 * and the report folder if this check made it and it is still empty.
 */
function discard(
  runDir: string | undefined,
  createdOut: string | undefined,
  outDir: string,
  storeDir: string,
): { from: string; to: string } | undefined {
  let kept: { from: string; to: string } | undefined;
  if (runDir) {
    const log = join(runDir, 'target.log');
    if (existsSync(log)) {
      // One file per run, so two checks failing at once in one project each keep their own output.
      kept = { from: log, to: join(storeDir, `last-target-${basename(runDir)}.log`) };
      try {
        renameSync(kept.from, kept.to);
        pruneTargetLogs(storeDir, kept.to);
      } catch {
        kept = undefined;
      }
    }
    rmSync(runDir, { recursive: true, force: true });
  }
  // Empty folders only, from the report folder up to the first one this check created.
  discardOutDir(outDir, createdOut);
  return kept;
}

/** Target logs of failed checks kept beside the store; the oldest beyond these go. */
const KEPT_TARGET_LOGS = 5;

/** Keeps the newest target logs of failed checks (run ids sort by time), never the one just written. */
function pruneTargetLogs(storeDir: string, keep: string): void {
  const logs = readdirSync(storeDir)
    .filter((f) => /^last-target-.+\.log$/.test(f))
    .sort()
    .map((f) => join(storeDir, f));
  for (const f of logs.slice(0, Math.max(0, logs.length - KEPT_TARGET_LOGS))) {
    if (f !== keep) rmSync(f, { force: true });
  }
}

export async function runCollector(collector: Collector, ctx: Parameters<Collector['collect']>[0]): Promise<Evidence> {
  const startedAt = ctx.now().toISOString();
  try {
    return await collector.collect(ctx);
  } catch (e) {
    if (isGoliveError(e) && e.exitCode !== 4) throw e;
    const message = (e as Error)?.message ?? String(e);
    return {
      collector: collector.name,
      status: 'error',
      summary: `${collector.name} could not finish: ${message}`,
      startedAt,
      endedAt: ctx.now().toISOString(),
      metrics: [],
      checks: [],
      findings: [],
      artifacts: [],
      error: message,
    };
  }
}

function targetEvidence(
  command: string,
  stopped: StopOutcome | undefined,
  startedAt: string,
  endedAt: string,
  artifactsDir: string,
  storePath: string,
): Evidence {
  return {
    collector: 'target',
    status: 'pass',
    summary: `started with "${command}"${stoppedSummary(stopped)}`,
    startedAt,
    endedAt,
    metrics: [],
    checks: [],
    findings: [],
    artifacts: [
      {
        name: 'target output',
        path: relative(dirname(storePath), join(artifactsDir, 'target.log')),
        contentType: 'text/plain',
      },
    ],
  };
}

/** What became of the target after the run, as far as golive knows. */
function stoppedSummary(stopped: StopOutcome | undefined): string {
  const failure = stopped?.stopCommand?.failure;
  if (failure && stopped?.handedOver)
    return `, handed over to a supervisor; target.stop.command failed (${failure}) after the run: the service may still be running`;
  if (failure) return ` and stopped after the run (target.stop.command failed: ${failure})`;
  if (!stopped?.handedOver) return ' and stopped after the run';
  return stopped.stopCommand
    ? ', handed over to a supervisor; stopped by target.stop after the run'
    : ', handed over to a supervisor; not stopped by golive (no target.stop)';
}

function assertThresholdsUnchanged(
  frozen: Record<string, string>,
  current: Record<string, string>,
  file: string,
): void {
  const changes = compareFrozen(frozen, current);
  if (changes.length === 0) return;
  const lines = readFileSync(file, 'utf8').split('\n');
  const lineOf = (name: string): { line?: number; column?: number } => {
    const i = lines.findIndex((l) => new RegExp(`^\\s+['"]?${name.replace(/\./g, '\\.')}['"]?\\s*:`).test(l));
    return i === -1 ? {} : { line: i + 1, column: (lines[i]?.search(/\S/) ?? 0) + 1 };
  };
  const problems: Problem[] = changes.map((c) => ({
    file,
    ...lineOf(c.name),
    path: `thresholds.${c.name}`,
    message:
      c.frozen === null
        ? `threshold ${c.name} "${c.current}" was added after the release had evidence`
        : c.current === null
          ? `threshold ${c.name} "${c.frozen}" was removed after the release had evidence`
          : `threshold ${c.name} changed from "${c.frozen}" to "${c.current}" after the release had evidence`,
    hint:
      c.current === null
        ? `record it: golive amend threshold ${c.name} --remove --reason TEXT --by NAME`
        : `record it: golive amend threshold ${c.name} "${c.current}" --reason TEXT --by NAME`,
  }));
  throw new GoliveError(
    'GL_THRESHOLD_FROZEN',
    `thresholds are frozen once a release has evidence; ${changes.length} changed`,
    {
      problems,
      hint: 'amend each change with a reason (kept in the audit log and shown in every report), or restore the spec',
    },
  );
}

/** Sortable, readable run ids: 20261122T093015Z-1a2b3c. */
export function newRunId(at: Date): string {
  return `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}
