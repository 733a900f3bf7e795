import type { ReportModel } from '../model.js';

interface ObservatoryData {
  score: number;
  grade: string;
  tests: { name: string; result: string; modifier: number; pass: boolean }[];
}

/**
 * The "Security headers" section of the Markdown report: the HTTP Observatory
 * grade from the security collector, one row per test. Empty when the
 * collector did not run or could not fetch the page.
 */
export function securityHeadersMarkdown(model: ReportModel, row: (cells: string[]) => string): string[] {
  const ev = [...model.evidence].reverse().find((e) => e.collector === 'security');
  const obs = ev?.data?.observatory as ObservatoryData | undefined;
  if (!obs || !Array.isArray(obs.tests)) return [];
  const out = [
    '## Security headers',
    '',
    `Graded with the HTTP Observatory's method: **${obs.grade}** (${obs.score}/100; bonuses count from 90). See docs/probes.md.`,
    '',
    '| Test | Result | Modifier |',
    '|---|---|---|',
  ];
  for (const t of obs.tests) {
    out.push(
      row([t.name, `${t.pass ? '✔' : '✖'} ${t.result}`, t.modifier > 0 ? `+${t.modifier}` : String(t.modifier)]),
    );
  }
  out.push('');
  return out;
}
