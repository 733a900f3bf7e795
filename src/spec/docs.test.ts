import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { specJsonSchema } from './json-schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/spec.md', () => {
  it('is generated from the committed JSON Schema', () => {
    const r = spawnSync(process.execPath, ['scripts/gen-spec-docs.js', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr, 'docs/spec.md is out of date: run `node scripts/gen-spec-docs.js`').toBe('');
    expect(r.status).toBe(0);
  });

  it('documents every top-level key', () => {
    const doc = readFileSync(`${root}docs/spec.md`, 'utf8');
    const keys = Object.keys((specJsonSchema() as { properties: Record<string, unknown> }).properties);
    for (const key of keys) expect(doc, `docs/spec.md does not mention \`${key}\``).toContain(`| \`${key}\` |`);
  });
});
