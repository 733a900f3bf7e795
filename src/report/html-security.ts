import type { ReportModel } from '../model.js';
import { esc } from './escape.js';

interface ObservatoryData {
  score: number;
  grade: string;
  tests: { name: string; result: string; modifier: number; pass: boolean; description?: string }[];
}

/**
 * The "Security headers" section of the HTML report: the HTTP Observatory
 * grade and score the security collector computed (`data.observatory`), as a
 * coloured badge, and one row per test with its result and modifier. Nothing
 * when the collector did not run or could not fetch the page. Pure.
 */
export function securityHeadersSection(model: ReportModel): string {
  const ev = [...model.evidence].reverse().find((e) => e.collector === 'security');
  const obs = ev?.data?.observatory as ObservatoryData | undefined;
  if (!obs || !Array.isArray(obs.tests)) return '';
  const rows = obs.tests
    .map((t) => {
      const mod = t.modifier > 0 ? `+${t.modifier}` : String(t.modifier);
      const pill = t.pass ? '<span class="pill met">pass</span>' : '<span class="pill unmet">fail</span>';
      return `<tr><td><code>${esc(t.name)}</code></td><td>${pill} <code>${esc(t.result)}</code>${
        t.description ? `<div class="reason">${esc(t.description)}</div>` : ''
      }</td><td class="num"${t.modifier < 0 ? ' style="color:var(--bad)"' : t.modifier > 0 ? ' style="color:var(--good)"' : ''}>${esc(mod)}</td></tr>`;
    })
    .join('');
  const failed = obs.tests.filter((t) => !t.pass).length;
  return `<section class="card" id="security-headers"><h2>Security headers</h2>
<div style="display:flex;align-items:center;gap:18px;margin:4px 0 14px">${gradeBadge(obs.grade)}<div><div class="strong" style="font-size:20px;font-weight:700">${esc(String(obs.score))}<span class="muted" style="font-size:14px;font-weight:500">/100</span></div>
<div class="muted">Graded with the HTTP Observatory's method (bonuses count from 90) · ${obs.tests.length - failed} of ${obs.tests.length} tests pass</div></div></div>
<div class="table-scroll"><table><thead><tr><th>Test</th><th>Result</th><th class="num">Modifier</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** A+ … F as a square badge: A green, B accent, C warn, D and F bad. */
function gradeBadge(grade: string): string {
  const letter = grade.trim().charAt(0).toUpperCase();
  const [fg, bg] =
    letter === 'A'
      ? ['--good', '--good-bg']
      : letter === 'B'
        ? ['--accent', '--accent-bg']
        : letter === 'C'
          ? ['--warn', '--warn-bg']
          : ['--bad', '--bad-bg'];
  return `<span class="grade" role="img" aria-label="grade ${esc(grade)}" style="display:inline-flex;align-items:center;justify-content:center;min-width:64px;height:64px;padding:0 8px;box-sizing:border-box;border-radius:14px;font-size:32px;font-weight:800;line-height:1;background:var(${bg});color:var(${fg})">${esc(grade)}</span>`;
}
