import { loadProject, reportDir } from '../api/project.js';
import { decide } from '../api/records.js';
import { discardOutDir, prepareOutDir, REPORT_FORMATS, writeReports } from '../api/reports.js';
import { ExitCode } from '../exit-codes.js';
import { specRedactor } from '../spec/redact.js';
import { type FlagTable, parseFlags, reportsOutFlag, requireFlag } from './args.js';
import { outStyles, type CliIo } from './io.js';
import { clockNoteLines } from '../store/audit.js';

export const usage = 'golive decide --by NAME [--out DIR] [-c FILE]';
export const summary = 'write the tamper-evident GO / NO-GO record for the latest run; exit 0 on GO, 1 on NO-GO';

export const flags = {
  by: { type: 'string', value: 'NAME', description: 'who decides (required)' },
  out: reportsOutFlag,
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('decide', args, flags, usage);
  const by = requireFlag('decide', 'by', values.by, usage);
  const opts = { config: values.config, cwd: io.cwd, env: io.env, now: io.now };
  const project = loadProject(opts);
  const redact = specRedactor(project.loaded);
  // Before the decision is recorded, so a bad --out does not leave a decision behind;
  // and discarded when no decision is made (no run yet …), so that leaves no empty folder.
  const outDir = reportDir(project, values.out, io.cwd);
  const created = prepareOutDir(outDir);
  let result: Awaited<ReturnType<typeof decide>>;
  try {
    result = await decide({ ...opts, by });
  } catch (e) {
    discardOutDir(outDir, created);
    throw e;
  }
  const { decision, model, auditHead } = result;
  const files = writeReports(model, REPORT_FORMATS, outDir, redact);
  const s = outStyles(io);
  const go = decision.decision === 'GO';
  const lines = [
    `${go ? s.green(s.bold('GO')) : s.red(s.bold('NO-GO'))} — ${model.run.service} ${model.run.release}, run ${decision.runId}, decided by ${decision.by}`,
    ...decision.reasons.map((r) => `  - ${r}`),
    ...(decision.residualRisks.length ? ['residual risks:', ...decision.residualRisks.map((r) => `  - ${r}`)] : []),
    ...clockNoteLines(model.clockNotes ?? []).map((line) => `note: ${line}`),
    `record ${decision.recordHash}`,
    // The head once this decision is in the log: the one golive audit verify prints. (The record's own
    // auditHead is the entry before it, which the record covers.)
    `audit head ${auditHead}  (this decision's entry; paste it into the launch issue: golive audit verify --head ${auditHead.slice(0, 12)} checks the log still holds it)`,
    `reports: ${files.map((f) => f.replace(`${io.cwd}/`, '')).join(', ')}`,
  ];
  // --quiet: the verdict line only (GO / NO-GO, release, run, who).
  io.stdout.write(`${redact((io.quiet ? lines.slice(0, 1) : lines).join('\n'))}\n`);
  return go ? ExitCode.Ok : ExitCode.NoGo;
}
