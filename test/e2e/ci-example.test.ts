import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}

describe('the GitHub Actions example', () => {
  const text = readFileSync(join(ROOT, 'examples', 'github-actions', 'golive.yml'), 'utf8');
  const wf = parse(text) as { permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);

  it('runs golive check, uploads the reports and the SARIF, and may write security events', () => {
    expect(steps.some((s) => /\bgolive check\b/.test(s.run ?? ''))).toBe(true);
    const artifact = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(String(artifact?.with?.path)).toContain('golive-report/');
    expect(artifact?.if).toMatch(/always\(\)/);
    const sarif = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(sarif?.with?.sarif_file).toBe('golive-report/golive.sarif');
    expect(sarif?.if).toMatch(/always\(\)/);
    expect(wf.permissions['security-events']).toBe('write');
  });

  it('is the workflow docs/ci.md shows, word for word', () => {
    expect(readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8')).toContain(`\`\`\`yaml\n${text}\`\`\``);
  });
});
