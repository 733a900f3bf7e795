import type { Evidence } from '../model.js';
import type { Styles } from './io.js';

/** The terminal view of one collector's evidence: status, checks, metrics, findings. Used by drill, verify and probe. */
export function formatEvidence(ev: Evidence, s: Styles): string {
  const mark = (st: string): string => statusMark(st, s);
  const out = [evidenceVerdict(ev, s)];
  if (ev.error && !ev.summary.includes(ev.error)) out.push(`  ${s.red('error')} ${ev.error}`);
  for (const c of ev.checks) out.push(`  ${mark(c.status)} ${c.id}  ${c.summary}`);
  if (ev.metrics.length) {
    out.push('', s.bold('Metrics'));
    const w = Math.max(...ev.metrics.map((m) => m.name.length));
    for (const m of ev.metrics) out.push(`  ${m.name.padEnd(w)}  ${formatMetric(m.value, m.unit)}`);
  }
  if (ev.findings.length) {
    out.push('', s.bold(`Findings (${ev.findings.length})`));
    for (const f of ev.findings) out.push(`  ${f.severity.padEnd(8)} ${f.rule}  ${f.title}  ${s.dim(f.location)}`);
  }
  for (const a of ev.artifacts) out.push(s.dim(`  artifact: ${a.name} → ${a.path}`));
  return `${out.join('\n')}\n`;
}

/** The one-line verdict of a collector's evidence (the first line of `formatEvidence`; all `--quiet` prints). */
export function evidenceVerdict(ev: Evidence, s: Styles): string {
  return `${statusMark(ev.status, s)} ${s.bold(ev.collector)}: ${ev.summary}`;
}

function statusMark(st: string, s: Styles): string {
  return st === 'pass' ? s.green('✔') : st === 'skipped' ? s.yellow('-') : st === 'error' ? s.yellow('!') : s.red('✖');
}

function formatMetric(value: number, unit: string): string {
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value * 10) / 10} ms`;
    case 'ratio':
      return `${(value * 100).toFixed(2)} %`;
    case 'rps':
      return `${Math.round(value * 10) / 10}/s`;
    case 'bool':
      return value ? 'yes' : 'no';
    default:
      return String(value);
  }
}
