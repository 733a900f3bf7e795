import { z } from 'zod';
import { SpecSchema } from './schema.js';

/**
 * The JSON Schema of golive.yaml, generated from the zod schema (the single
 * source of truth). It describes the INPUT form — keys with defaults are not
 * required — so editors (yaml-language-server, VS Code) complete and check the
 * file as written. Draft-07 is used because it is what most editors support.
 *
 * `golive schema` prints it; schema/golive.schema.json is the committed copy
 * (npm run schema:write), kept in step by json-schema.test.ts.
 */
export function specJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(SpecSchema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
  const { $schema, $id: _id, ...rest } = generated;
  return { $schema, title: 'golive.yaml', ...rest };
}

/** The committed file's exact text: 2-space JSON with a trailing newline (what `golive schema` prints). */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
