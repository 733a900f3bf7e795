import { listFindings, type FindingsResult } from '../api/findings.js';
import { GoliveError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { statusNote } from '../findings/describe.js';
import { FINDING_STATUSES, type FindingStatus, type TriagedFinding } from '../findings/types.js';
import { SEVERITIES, type Severity } from '../model.js';
import { parseFlags, type FlagTable } from './args.js';
import { outStyles, type CliIo, type Styles } from './io.js';

export const usage = `golive findings [-c FILE] [--severity ${SEVERITIES.join('|')}] [--status ${FINDING_STATUSES.join('|')}[,…]] [--json]`;
export const summary =
  'list the findings of this release with status, first / last seen and fingerprint (--severity is "at or above")';

export const flags = {
  severity: {
    type: 'string',
    value: 'SEVERITY',
    description: `show findings at or above this severity (${SEVERITIES.join(', ')})`,
    default: 'all',
  },
  status: {
    type: 'string',
    value: 'LIST',
    description: `show only these statuses, comma-separated (${FINDING_STATUSES.join(', ')})`,
    default: 'all',
  },
  json: { type: 'boolean', description: 'print the list as JSON' },
} as const satisfies FlagTable;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('findings', args, flags, usage);
  const severity = values.severity === undefined ? undefined : parseSeverity(values.severity);
  const status = values.status === undefined ? undefined : parseStatuses(values.status);
  const result = await listFindings({
    config: values.config,
    cwd: io.cwd,
    env: io.env,
    now: io.now,
    ...(severity ? { severity } : {}),
    ...(status ? { status } : {}),
  });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.Ok;
  }
  // Off a terminal (a pipe, a file, a CI log) nothing is clipped: the full rule and location are the point.
  io.stdout.write(formatFindings(result, outStyles(io), { clip: io.isTTY }));
  return ExitCode.Ok;
}

function parseSeverity(text: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(text)) return text as Severity;
  throw new GoliveError(
    'GL_ARG_INVALID',
    `golive findings: --severity must be one of ${SEVERITIES.join(', ')}, not "${text}"`,
    {
      hint: 'it shows findings at or above that severity: --severity high shows critical and high',
    },
  );
}

function parseStatuses(text: string): FindingStatus[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.find((s) => !(FINDING_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined || list.length === 0) {
    throw new GoliveError(
      'GL_ARG_INVALID',
      `golive findings: --status must be one of ${FINDING_STATUSES.join(', ')}, not "${bad ?? text}"`,
      { hint: 'several at once are separated by commas: --status open,waived' },
    );
  }
  return list as FindingStatus[];
}

/**
 * The table: one row per finding, and what counts against the gate. With
 * `clip` (a terminal, the default) long rules and locations are cut to fit.
 */
export function formatFindings(result: FindingsResult, s: Styles, opts: { clip?: boolean } = {}): string {
  const clip = opts.clip === false ? (text: string) => text.replace(/\s+/g, ' ') : clipTo;
  const { run, findings, totals } = result;
  const out: string[] = [];
  out.push(
    `${s.bold(`${run.service} ${run.release}`)} — findings as of run ${run.id} (${stamp(run.startedAt)}): ` +
      FINDING_STATUSES.map((st) => `${totals[st]} ${st}`).join(' · '),
  );
  if (!result.scanned) {
    out.push(
      'No collector that looks for findings has run for this release (no probe or scan), so nothing was looked for.',
    );
    return `${out.join('\n')}\n`;
  }
  const open = findings.filter((f) => f.status === 'open');
  const all = totals.open + totals.waived + totals.accepted + totals.fixed;
  out.push(
    `Counted in findings.* (open, not waived or accepted${open.length === totals.open ? '' : ', of those shown'}): ` +
      SEVERITIES.map((sev) => `${open.filter((f) => f.severity === sev).length} ${sev}`).join(' · '),
  );
  out.push('');
  if (!findings.length) {
    out.push(all ? 'No findings match the filters.' : 'No findings.');
    return `${out.join('\n')}\n`;
  }
  const header = ['SEVERITY', 'STATUS', 'RULE', 'LOCATION', 'FIRST SEEN', 'LAST SEEN', 'FINGERPRINT', 'NOTE'];
  const rows = findings.map((f) => [
    f.severity,
    f.status,
    clip(f.rule, 32),
    clip(f.location, 48),
    stamp(f.firstSeen.at),
    stamp(f.lastSeen.at),
    f.fingerprint.slice(0, 12),
    statusNote(f, run.id),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], paint?: (i: number, text: string) => string) =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0);
        return paint ? paint(i, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  out.push(s.dim(line(header)));
  for (const [i, r] of rows.entries()) {
    const f = findings[i] as TriagedFinding;
    out.push(
      line(r, (col, text) => {
        if (col === 0) return f.severity === 'critical' || f.severity === 'high' ? s.red(text) : text;
        if (col === 1) return f.status === 'open' ? s.yellow(text) : f.status === 'fixed' ? s.green(text) : text;
        return text;
      }),
    );
  }
  return `${out.join('\n')}\n`;
}

function stamp(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}

function clipTo(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
