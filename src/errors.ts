import { ExitCode } from './exit-codes.js';

/**
 * Every error golive raises on purpose. Codes are stable and never reused:
 * docs/exit-codes.md lists them with how to solve each one.
 *
 * - GL_SPEC_*     the golive.yaml is wrong                       → exit 2
 * - GL_ARG_*      a flag or argument is wrong                    → exit 2
 * - GL_FILE_*     a file or folder cannot be read or written     → exit 2
 * - GL_STORE_*    the evidence store cannot be used              → exit 2
 * - GL_STATE_*    the request conflicts with what is recorded    → exit 2
 * - GL_AUDIT_*    the audit log does not verify                  → exit 1
 * - GL_TARGET_*   the service under test cannot be reached       → exit 3
 * - GL_INTERNAL   a bug                                          → exit 4
 */
export const ErrorCodes = {
  GL_SPEC_NOT_FOUND: ExitCode.InvalidInput,
  GL_SPEC_INVALID: ExitCode.InvalidInput,
  GL_SPEC_ENV_UNSET: ExitCode.InvalidInput,
  GL_SPEC_EXISTS: ExitCode.InvalidInput,
  GL_THRESHOLD_FROZEN: ExitCode.InvalidInput,
  GL_ARG_INVALID: ExitCode.InvalidInput,
  GL_ARG_UNKNOWN_COMMAND: ExitCode.InvalidInput,
  GL_FILE_NOT_WRITABLE: ExitCode.InvalidInput,
  GL_FILE_NOT_FOUND: ExitCode.InvalidInput,
  GL_STORE_CORRUPT: ExitCode.InvalidInput,
  GL_STORE_NO_RUN: ExitCode.InvalidInput,
  GL_STORE_CONTENDED: ExitCode.InvalidInput,
  GL_STATE_UNKNOWN_ROLE: ExitCode.InvalidInput,
  GL_STATE_NOT_READY: ExitCode.InvalidInput,
  GL_STATE_UNKNOWN_CRITERION: ExitCode.InvalidInput,
  GL_STATE_NOT_ATTESTABLE: ExitCode.InvalidInput,
  GL_STATE_SAME_PERSON: ExitCode.InvalidInput,
  GL_TARGET_UNREACHABLE: ExitCode.Incomplete,
  GL_TARGET_START_FAILED: ExitCode.Incomplete,
  GL_TARGET_NOT_READY: ExitCode.Incomplete,
  GL_TARGET_PORT_IN_USE: ExitCode.Incomplete,
  GL_INTERRUPTED: ExitCode.Incomplete,
  GL_SCAN_IMPORT_INVALID: ExitCode.InvalidInput,
  GL_SCAN_DIR_NOT_FOUND: ExitCode.InvalidInput,
  GL_INTERNAL: ExitCode.Internal,
  GL_STATE_UNKNOWN_FINDING: ExitCode.InvalidInput,
  GL_AUDIT_BROKEN: ExitCode.NoGo,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** A problem located in a file: file:line:column. Line and column are 1-based. */
export interface Problem {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path in the spec, e.g. `thresholds.load.latency.p95` or `criteria[2].id`. */
  path?: string;
  message: string;
  hint?: string;
}

export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}` : (p.path ?? '');
  const hint = p.hint ? `\n    hint: ${p.hint}` : '';
  return `${where ? `${where}: ` : ''}${p.message}${hint}`;
}

export class GoliveError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly problems: Problem[];

  constructor(code: ErrorCode, message: string, opts: { hint?: string; problems?: Problem[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GoliveError';
    this.code = code;
    this.hint = opts.hint;
    this.problems = opts.problems ?? [];
  }

  get exitCode(): ExitCode {
    return ErrorCodes[this.code];
  }
}

export function isGoliveError(e: unknown): e is GoliveError {
  return e instanceof GoliveError;
}
