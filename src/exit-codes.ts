/**
 * Exit codes, one meaning each. The CLI maps every outcome to one of these in
 * `src/cli/main.ts`; nothing else calls `process.exit`.
 */
export const ExitCode = {
  /** GO / passed / the command did what was asked. */
  Ok: 0,
  /** NO-GO: a threshold failed, a criterion is not met, the audit chain is broken. */
  NoGo: 1,
  /** Invalid input: spec, flags, files. Fix the input and run again. */
  InvalidInput: 2,
  /** Could not complete: target unreachable, the service did not start, a command failed to start. */
  Incomplete: 3,
  /** Internal error: a bug in golive. */
  Internal: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
