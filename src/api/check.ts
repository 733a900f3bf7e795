import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Collector } from '../collect/collector.js';
import { collectors as defaultCollectors } from '../collect/registry.js';
import { GoliveError, isGoliveError, type Problem } from '../errors.js';
import { compareFrozen } from '../gate/frozen.js';
import type { Evidence, Finding, ReportModel, Run } from '../model.js';
import { createRedactor, redactDeep, redactSpec } from '../spec/redact.js';
import type { StoredRun } from '../store/types.js';
import { assertReachable } from '../target/reachable.js';
import { startOptionsFromSpec, startTarget, type StartedTarget } from '../target/start.js';
import { buildReportModel } from './model.js';
import { loadProject, withStore, type ProjectOptions } from './project.js';
import { appendStepSummary, prepareOutDir, writeReports, type ReportFormat, REPORT_FORMATS } from './reports.js';

export type CheckEvent =
  | { type: 'target-starting'; command: string }
  | { type: 'target-ready'; ms: number }
  | { type: 'collector-start'; name: string; description: string }
  | { type: 'collector-progress'; name: string; message: string }
  | { type: 'collector-end'; name: string; evidence: Evidence };

export interface CheckOptions extends ProjectOptions {
  /** Folder for the reports. Default `golive-report` under cwd. */
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
  const redact = createRedactor(project.loaded.secrets);
  const outDir = resolve(cwd, opts.outDir ?? 'golive-report');
  const formats = opts.formats ?? REPORT_FORMATS;
  // Progress goes to a terminal or a CI log: never with a value from the environment in it.
  const emit = (event: CheckEvent): void => opts.onEvent?.(redactDeep(event, redact));

  return withStore(project, async (store) => {
    try {
      const frozen = await store.frozenThresholds(project.key);
      if (frozen) assertThresholdsUnchanged(frozen, redactDeep(spec.thresholds, redact), project.loaded.file);
      prepareOutDir(outDir);
      const enabled = (opts.collectors ?? defaultCollectors).filter((c) => c.enabled(spec));
      for (const c of enabled) c.prepare?.(spec, specDir);

      const runId = newRunId(now());
      const artifactsDir = join(dirname(project.storePath), 'runs', runId);
      mkdirSync(artifactsDir, { recursive: true });
      const startedAt = now().toISOString();
      const evidence: Evidence[] = [];
      let target: StartedTarget | undefined;
      let complete = true;
      try {
        if (spec.target.start) {
          emit({ type: 'target-starting', command: spec.target.start.command });
          const t0 = Date.now();
          const logFile = join(artifactsDir, 'target.log');
          target = await startTarget(
            startOptionsFromSpec(spec.target.start, spec.target.baseUrl, specDir, logFile, signal, redact),
          );
          emit({ type: 'target-ready', ms: Date.now() - t0 });
        } else {
          await assertReachable(spec.target.baseUrl);
        }
        const attestations = await store.listAttestations(project.key);
        for (const collector of enabled) {
          if (signal.aborted) {
            complete = false;
            break;
          }
          emit({ type: 'collector-start', name: collector.name, description: collector.description });
          const ev = await runCollector(collector, {
            spec,
            specDir,
            artifactsDir,
            headers: spec.target.headers ?? {},
            attestations,
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
        await target?.stop();
      }

      if (spec.target.start) {
        evidence.unshift(
          targetEvidence(spec.target.start.command, startedAt, now().toISOString(), artifactsDir, project.storePath),
        );
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
      const storedSpec = redactSpec(spec, redact);
      const stored: StoredRun = { run, specJson: storedSpec, evidence: cleanEvidence, findings };
      // Freeze what is stored (redacted), so the frozen thresholds and the stored spec agree.
      await store.insertRun(stored, storedSpec.thresholds);

      const model = await buildReportModel(store, stored, now());
      const reportFiles = writeReports(model, formats, outDir, redact);
      appendStepSummary(model, opts.env ?? process.env, redact);
      return { run, model, reportFiles, warnings: project.loaded.warnings, redact };
    } catch (e) {
      throw isGoliveError(e) ? redactError(e, redact) : e;
    }
  });
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
  startedAt: string,
  endedAt: string,
  artifactsDir: string,
  storePath: string,
): Evidence {
  return {
    collector: 'target',
    status: 'pass',
    summary: `started with "${command}" and stopped after the run`,
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

/** The same error with every value from the environment removed (commands and URLs are quoted in messages). */
function redactError(e: GoliveError, redact: (s: string) => string): GoliveError {
  return new GoliveError(e.code, redact(e.message), {
    ...(e.hint ? { hint: redact(e.hint) } : {}),
    problems: e.problems.map((p) => redactDeep(p, redact)),
  });
}
