import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { specJsonSchema, specJsonSchemaText } from './json-schema.js';

const committed = fileURLToPath(new URL('../../schema/golive.schema.json', import.meta.url));

describe('specJsonSchema', () => {
  it('describes the input form of golive.yaml, titled, without $id', () => {
    const schema = specJsonSchema() as { title: string; required: string[]; properties: Record<string, unknown> };
    expect(schema.title).toBe('golive.yaml');
    expect(schema).not.toHaveProperty('$id');
    expect(schema.required).toEqual(['version', 'service', 'release', 'target']);
    expect(Object.keys(schema.properties)).toContain('thresholds');
  });

  it('matches the committed schema/golive.schema.json', () => {
    let text = '';
    try {
      text = readFileSync(committed, 'utf8');
    } catch {
      // reported below with the same fix
    }
    expect(text, 'schema/golive.schema.json is out of date: run `npm run schema:write`').toBe(specJsonSchemaText());
  });
});
