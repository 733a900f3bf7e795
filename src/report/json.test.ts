import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleReportModel } from './fixture.js';
import { triageOf } from '../findings/triage.js';
import { REPORT_KIND, renderJson } from './json.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  $defs?: Record<string, Schema>;
};

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as Schema;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * A tiny JSON Schema checker for the keywords report.schema.json uses. `strict`
 * also reports keys the schema does not describe, so the schema keeps up with the model.
 */
function check(value: unknown, s: Schema, path = '$', strict = true): string[] {
  if (s.$ref) {
    const def = schema.$defs?.[s.$ref.replace('#/$defs/', '')];
    if (!def) return [`${path}: unknown $ref ${s.$ref}`];
    return check(value, def, path, strict);
  }
  const errors: string[] = [];
  const t = typeOf(value);
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) return [`${path}: ${t}, want ${s.type}`];
  }
  if ('const' in s && value !== s.const) errors.push(`${path}: ${JSON.stringify(value)} is not ${String(s.const)}`);
  if (s.enum && !s.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in ${s.enum.join('|')}`);
  if (s.pattern && typeof value === 'string' && !new RegExp(s.pattern).test(value))
    errors.push(`${path}: "${value}" does not match ${s.pattern}`);
  if (s.minimum !== undefined && typeof value === 'number' && value < s.minimum) errors.push(`${path}: below minimum`);
  if (t === 'array' && s.items)
    (value as unknown[]).forEach((x, i) => errors.push(...check(x, s.items!, `${path}[${i}]`, strict)));
  if (t === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) errors.push(`${path}: missing ${k}`);
    for (const [k, v] of Object.entries(o)) {
      const p = s.properties?.[k];
      if (p) errors.push(...check(v, p, `${path}.${k}`, strict));
      else if (typeof s.additionalProperties === 'object')
        errors.push(...check(v, s.additionalProperties, `${path}.${k}`, strict));
      else if (s.additionalProperties === false || (strict && s.properties))
        errors.push(`${path}: ${k} is not described`);
    }
  }
  return errors;
}

describe('json report', () => {
  const model = sampleReportModel();
  const text = renderJson(model);
  const parsed = JSON.parse(text) as Record<string, unknown>;

  it('is tagged with its kind and schema version, first', () => {
    expect(Object.keys(parsed).slice(0, 2)).toEqual(['kind', 'schemaVersion']);
    expect(parsed.kind).toBe(REPORT_KIND);
    expect(parsed.schemaVersion).toBe(1);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('round-trips the model, with the findings triage (derived from the run when the model has none)', () => {
    const { kind: _kind, ...rest } = parsed;
    expect(rest).toEqual(JSON.parse(JSON.stringify({ ...model, findingsTriage: triageOf(model) })));
    expect((parsed.findingsTriage as unknown[]).length).toBe(model.findings.length);
  });

  it('matches the schema with a triage of every status, waivers, accepted risks and expired ones', () => {
    const run = model.run.id;
    const seen = { runId: run, at: model.run.startedAt };
    const w = model.waivers[0]!;
    const base = model.findings[0]!;
    const m = sampleReportModel({
      waivers: [...model.waivers, { ...w, id: 'acc', kind: 'accepted-risk', subject: 'finding', subjectId: 'b' }],
      findingsTriage: [
        { ...base, fingerprint: 'a', status: 'open', firstSeen: seen, lastSeen: seen, expiredWaiver: w },
        {
          ...base,
          fingerprint: 'b',
          status: 'accepted',
          collector: 'probes',
          firstSeen: seen,
          lastSeen: seen,
          waiver: { ...w, kind: 'accepted-risk' },
        },
        { ...base, fingerprint: 'c', status: 'waived', firstSeen: seen, lastSeen: seen, waiver: w },
        { ...base, fingerprint: 'd', status: 'fixed', firstSeen: seen, lastSeen: seen, fixedIn: seen },
      ],
    });
    expect(check(JSON.parse(renderJson(m)), schema)).toEqual([]);
    const bad = JSON.parse(
      renderJson({ ...m, findingsTriage: [{ ...m.findingsTriage![0]!, status: 'gone' as 'open' }] }),
    );
    expect(check(bad, schema)).toEqual(['$.findingsTriage[0].status: "gone" not in open|waived|accepted|fixed']);
  });

  it('has a stable key order whatever order the model was built in', () => {
    const shuffled = Object.fromEntries(Object.entries(model).reverse()) as typeof model;
    expect(renderJson(shuffled)).toBe(text);
  });

  it('matches schema/report.schema.json, with every key described', () => {
    expect(schema.properties?.schemaVersion?.const).toBe(1);
    expect(check(parsed, schema)).toEqual([]);
  });

  it('matches the schema with the readiness when checked and clock notes, placed after the evaluation', () => {
    const m = sampleReportModel({
      readinessWhenChecked: { ready: false, blocking: ['AC-2 Runbooks reviewed: Unverified'] },
      clockNotes: [
        {
          seq: 4,
          kind: 'signoff',
          entityId: 's1',
          at: '2026-11-22T09:00:00.000Z',
          direction: 'back',
          after: { seq: 3, kind: 'signoff', entityId: 's0', at: '2026-11-22T10:00:00.000Z' },
          message: 'entry #4 (signoff s1) is dated 2026-11-22T09:00:00.000Z, before #3 …: the clock went back',
        },
      ],
    });
    const p = JSON.parse(renderJson(m)) as Record<string, unknown>;
    expect(check(p, schema)).toEqual([]);
    const keys = Object.keys(p);
    expect(keys.slice(keys.indexOf('evaluation'), keys.indexOf('evaluation') + 3)).toEqual([
      'evaluation',
      'readinessWhenChecked',
      'clockNotes',
    ]);
    expect(check({ ...p, clockNotes: [{ seq: 'x' }] }, schema)).toContain('$.clockNotes[0].seq: string, want integer');
  });

  it('matches the schema without a decision or a final role', () => {
    const m = sampleReportModel({ decision: undefined, finalRole: undefined });
    const p = JSON.parse(renderJson(m)) as Record<string, unknown>;
    expect('decision' in p).toBe(false);
    expect('finalRole' in p).toBe(false);
    expect(check(p, schema)).toEqual([]);
  });

  it('the checker catches a wrong shape', () => {
    const bad = { ...parsed, schemaVersion: 2, run: { ...(parsed.run as object), status: 'done' } };
    delete (bad as Record<string, unknown>).evidence;
    const errors = check(bad, schema);
    expect(errors).toContain('$: missing evidence');
    expect(errors.some((e) => e.startsWith('$.schemaVersion'))).toBe(true);
    expect(errors.some((e) => e.startsWith('$.run.status'))).toBe(true);
  });
});
