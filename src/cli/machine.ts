import { relative } from 'node:path';
import { isGoliveError, type Problem } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { ReportModel } from '../model.js';

/**
 * The `--json` summaries of `golive check` and `golive validate`: small,
 * stable objects for CI scripts (jq), printed on stdout. Pure: the command
 * passes what it has.
 */

/** A problem with its place spelled out, and the `file:line:column` a CI log links. */
export interface ProblemJson {
  file: string | null;
  line: number | null;
  column: number | null;
  /** `file:line:column` (or the file, or the spec path) as in the human output. */
  at: string | null;
  path: string | null;
  message: string;
  hint: string | null;
}

export function problemJson(p: Problem, cwd: string): ProblemJson {
  const file = p.file ? relative(cwd, p.file) || p.file : null;
  const column = p.line ? (p.column ?? 1) : null;
  return {
    file,
    line: p.line ?? null,
    column,
    at: file ? (p.line ? `${file}:${p.line}:${column}` : file) : (p.path ?? null),
    path: p.path ?? null,
    message: p.message,
    hint: p.hint ?? null,
  };
}

/**
 * What a failed command prints with --json: the error code and every problem.
 * Any other error is a bug: GL_INTERNAL, exit 4, with its message (already
 * redacted by the caller) and no problems.
 */
export function errorJson(e: unknown, cwd: string) {
  if (!isGoliveError(e)) {
    return {
      ok: false,
      exitCode: ExitCode.Internal,
      error: {
        code: 'GL_INTERNAL',
        message: e instanceof Error ? e.message : String(e),
        hint: 'this is a bug in golive: run again with --debug for the stack trace and report it with the command you ran',
      },
      problems: [],
    };
  }
  return {
    ok: false,
    exitCode: e.exitCode,
    error: { code: e.code, message: e.message, hint: e.hint ?? null },
    problems: e.problems.map((p) => problemJson(p, cwd)),
  };
}

export interface CheckJsonInput {
  model: ReportModel;
  reportFiles: string[];
  warnings: Problem[];
  exitCode: number;
  cwd: string;
}

/** `golive check --json`: readiness, counts, run id and report paths. */
export function checkJson({ model, reportFiles, warnings, exitCode, cwd }: CheckJsonInput) {
  const { run, evaluation } = model;
  const criteria = { Met: 0, Partial: 0, Unmet: 0, Unverified: 0, 'Out of scope': 0, Waived: 0 };
  for (const c of evaluation.criteria) criteria[c.waiver ? 'Waived' : c.status] += 1;
  const thresholds = { pass: 0, fail: 0, 'no-data': 0, invalid: 0 };
  for (const t of evaluation.thresholds) thresholds[t.outcome] += 1;
  const f = evaluation.findings;
  return {
    ok: true,
    exitCode,
    runId: run.id,
    service: run.service,
    release: run.release,
    specHash: run.specHash,
    targetVersion: run.targetVersion ?? null,
    status: run.status,
    ready: evaluation.readiness.ready,
    blocking: evaluation.readiness.blocking,
    counts: {
      criteria,
      thresholds,
      findings: { critical: f.critical, high: f.high, medium: f.medium, low: f.low, info: f.info },
      signoffs: { required: model.signoffStatus.required, signedGo: model.signoffStatus.signed },
    },
    reports: reportFiles.map((file) => relative(cwd, file) || file),
    warnings: warnings.map((w) => problemJson(w, cwd)),
  };
}
