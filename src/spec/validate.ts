import type { z } from 'zod';
import type * as zc from 'zod/v4/core';
import type { Problem } from '../errors.js';
import { knownMetric, parseThreshold, unitMismatch } from '../gate/threshold.js';
import type { SpecPath } from './interpolate.js';
import { formatPath, type Locator } from './locate.js';
import { publicRoutes, SAFE_METHODS, splitRoute } from './probes.js';
import { SpecSchema, type Spec } from './schema.js';
import { didYouMean } from './suggest.js';
import { samePerson } from '../gate/signoffs.js';

/** A problem plus the spec path it is about, so problems can be filtered by path before they are reported. */
export interface PathProblem {
  path: SpecPath;
  problem: Problem;
}

// ------------------------------------------------------------------ schema walking

type AnySchema = zc.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = s._zod.def as zc.$ZodTypeDef & { innerType?: AnySchema; in?: AnySchema };
    if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(def.type)) {
      s = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      s = def.in;
    } else {
      break;
    }
  }
  return s;
}

/** The schema at a spec path (undefined when the path leaves the schema). */
export function schemaAt(path: readonly (string | number)[], root: AnySchema = SpecSchema): AnySchema | undefined {
  let s: AnySchema = root;
  for (const seg of path) {
    const inner = unwrap(s);
    const def = inner._zod.def as zc.$ZodTypeDef & {
      shape?: Record<string, AnySchema>;
      element?: AnySchema;
      valueType?: AnySchema;
    };
    if (def.type === 'object' && def.shape) {
      const next = def.shape[String(seg)];
      if (!next) return undefined;
      s = next;
    } else if (def.type === 'array' && def.element) {
      s = def.element;
    } else if (def.type === 'record' && def.valueType) {
      s = def.valueType;
    } else {
      return undefined;
    }
  }
  return s;
}

/** Keys a mapping at `path` accepts (empty when it is not an object schema). */
export function allowedKeys(path: readonly (string | number)[]): string[] {
  const s = schemaAt(path);
  if (!s) return [];
  const def = unwrap(s)._zod.def as zc.$ZodTypeDef & { shape?: Record<string, AnySchema> };
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function descriptionAt(path: readonly (string | number)[]): string | undefined {
  const s = schemaAt(path) as (AnySchema & { description?: string }) | undefined;
  return s?.description;
}

// ------------------------------------------------------------------ zod issues → problems

function describeInput(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  switch (typeof input) {
    case 'object':
      return 'a mapping';
    case 'string':
      return `the text ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
    case 'number':
      return `the number ${input}`;
    case 'boolean':
      return `${input}`;
    default:
      return typeof input;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** Messages for zod's generic issues, in the spec's words. Schema-level messages (schema.ts) take precedence. */
export const specErrorMap: zc.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describeInput(iss.input)}`;
    case 'too_big':
      if (iss.origin === 'number' || iss.origin === 'int') {
        return `expected a number at most ${String(iss.maximum)}${iss.inclusive === false ? ' (exclusive)' : ''}, got ${describeInput(iss.input)}`;
      }
      return undefined;
    case 'too_small':
      if (iss.origin === 'number' || iss.origin === 'int') {
        return `expected a number ${iss.inclusive === false ? 'above' : 'at least'} ${String(iss.minimum)}, got ${describeInput(iss.input)}`;
      }
      if (iss.origin === 'string' && Number(iss.minimum) === 1) return 'must not be empty';
      if (iss.origin === 'array') {
        return `needs at least ${iss.minimum} item${Number(iss.minimum) === 1 ? '' : 's'}`;
      }
      return undefined;
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => String(v)).join(', ')}, got ${describeInput(iss.input)}`;
    default:
      return undefined;
  }
};

function getAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function hintFor(path: SpecPath, message: string, value: unknown, at: Locator): string | undefined {
  if (message.startsWith('expected a duration')) {
    if (typeof value === 'number') return `write ${value}s (or ${value}ms, ${value}m): units are never guessed`;
    return 'write a number followed by ms, s, m or h, with no space: 500ms, 30s, 5m, 1h';
  }
  if (path[0] === 'thresholds' && path.length === 2 && typeof value !== 'string') {
    return typeof value === 'number'
      ? `quote the whole expression with its operator, e.g. "== ${value}"`
      : 'write the bound as quoted text, e.g. "< 200ms"';
  }
  if (path[0] === 'version') return 'write version: 1';
  if (message.startsWith('expected text, got') && (typeof value === 'number' || typeof value === 'boolean')) {
    const written = at.source(path)?.text ?? String(value);
    return `quote it so YAML reads it as text: ${JSON.stringify(written)}`;
  }
  if (message.startsWith('expected an absolute URL')) return 'include the scheme and host, e.g. http://127.0.0.1:8080';
  if (message.startsWith('expected a path starting with /')) return 'paths on the target start with /, like /health';
  return undefined;
}

/**
 * A number over two maxima (1e99 is over the safe-integer limit and the field's
 * own) is one problem: keep the tightest bound of each path.
 */
function tightest(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const key = (iss: z.core.$ZodIssue): string => `${iss.code}:${iss.path.map(String).join('.')}`;
  const best = new Map<string, z.core.$ZodIssue>();
  for (const iss of issues) {
    if (iss.code !== 'too_big' && iss.code !== 'too_small') continue;
    const prev = best.get(key(iss));
    const bound = (i: z.core.$ZodIssue): number =>
      i.code === 'too_big' ? Number(i.maximum) : i.code === 'too_small' ? -Number(i.minimum) : 0;
    if (!prev || bound(iss) < bound(prev)) best.set(key(iss), iss);
  }
  return issues.filter((iss) => (iss.code !== 'too_big' && iss.code !== 'too_small') || best.get(key(iss)) === iss);
}

export function zodProblems(issues: readonly z.core.$ZodIssue[], data: unknown, at: Locator): PathProblem[] {
  const out: PathProblem[] = [];
  for (const iss of tightest(issues)) {
    const path = iss.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (iss.code === 'invalid_union' && iss.errors.length) {
      // A string form or an object form (a request, an expect): the value's type picks one; report its
      // problems where they are ("method: expected one of GET …"), not "Invalid input" on the whole value.
      const chosen = iss.errors.filter((branch) => !branch.some((b) => b.code === 'invalid_type' && !b.path.length));
      if (chosen.length === 1) {
        const inner = (chosen[0] as z.core.$ZodIssue[]).map((b) => ({ ...b, path: [...iss.path, ...b.path] }));
        out.push(...zodProblems(inner, data, at));
        continue;
      }
    }
    if (iss.code === 'unrecognized_keys') {
      const allowed = allowedKeys(path);
      for (const key of iss.keys) {
        const keyPath = [...path, key];
        const where = path.length ? ` in ${formatPath(path)}` : '';
        const hint =
          didYouMean(key, allowed) ?? (allowed.length ? `keys allowed here: ${allowed.join(', ')}` : undefined);
        out.push({
          path: keyPath,
          problem: at.problem(at.keyOffset(keyPath), keyPath, `unknown key \`${key}\`${where}`, hint),
        });
      }
      continue;
    }
    const value = getAt(data, path);
    const last = path[path.length - 1];
    if (value === undefined && typeof last === 'string' && isRecord(getAt(data, path.slice(0, -1)))) {
      const parent = path.slice(0, -1);
      const desc = descriptionAt(path);
      const example = last === 'version' ? 'version: 1' : `${last}: …`;
      out.push({
        path,
        problem: at.problem(
          at.valueOffset(parent),
          path,
          `missing required key \`${last}\`${parent.length ? ` in ${formatPath(parent)}` : ''}`,
          `add \`${example}\`${desc ? ` (${desc.replace(/\.$/, '')})` : ''}`,
        ),
      });
      continue;
    }
    out.push({
      path,
      problem: at.problem(at.valueOffset(path), path, iss.message, hintFor(path, iss.message, value, at)),
    });
  }
  return out;
}

// ------------------------------------------------------------------ cross-field rules

function strings(x: unknown): [number, string][] {
  return Array.isArray(x) ? x.flatMap((v, i) => (typeof v === 'string' ? [[i, v] as [number, string]] : [])) : [];
}

function roleHint(role: string, roles: string[]): string {
  return (
    didYouMean(role, roles) ??
    (roles.length
      ? `roles defined: ${roles.join(', ')}; or add ${JSON.stringify(role)} under roles: with its owner`
      : `add it under roles: with its owner, e.g. ${JSON.stringify(role)}: name@example.com`)
  );
}

/**
 * Rules the schema cannot express: unique criterion ids, criteria that name
 * defined thresholds, roles that exist, a valid ready URL, threshold grammar.
 * Runs on the interpolated data even when the schema found problems, guarding
 * every type, so one pass reports everything.
 */
export function crossFieldProblems(data: unknown, at: Locator): PathProblem[] {
  const out: PathProblem[] = [];
  if (!isRecord(data)) return out;
  const add = (path: SpecPath, offset: number | undefined, message: string, hint?: string): void => {
    out.push({ path, problem: at.problem(offset, path, message, hint) });
  };

  // thresholds: grammar
  const thresholds = isRecord(data.thresholds) ? data.thresholds : {};
  for (const [name, expr] of Object.entries(thresholds)) {
    if (typeof expr !== 'string') continue;
    const path = ['thresholds', name];
    const start = at.scalarTextOffset(path);
    const offsetOf = (column: number): number | undefined => (start === undefined ? undefined : start + column - 1);
    try {
      const parsed = parseThreshold(expr);
      const mismatch = unitMismatch(name, parsed);
      if (mismatch) add(path, offsetOf(parsed.unitColumn), `threshold ${mismatch.message}`, mismatch.hint);
    } catch (e) {
      const err = e as Error & { column?: unknown; hint?: unknown };
      const column = typeof err.column === 'number' ? err.column : 1;
      add(
        path,
        offsetOf(column),
        `threshold ${name}: ${err.message}`,
        typeof err.hint === 'string' ? err.hint : undefined,
      );
    }
  }

  const roles = isRecord(data.roles) ? Object.keys(data.roles) : [];
  const checkRole = (path: SpecPath, role: string, what: string): void => {
    if (roles.includes(role)) return;
    add(path, at.valueOffset(path), `${what} role \`${role}\` is not defined under roles`, roleHint(role, roles));
  };

  // criteria
  const criteria = Array.isArray(data.criteria) ? data.criteria : [];
  const seen = new Map<string, number>();
  criteria.forEach((c: unknown, i) => {
    if (!isRecord(c)) return;
    if (typeof c.id === 'string') {
      const first = seen.get(c.id);
      if (first !== undefined) {
        const firstLine = at.problem(at.valueOffset(['criteria', first, 'id']), undefined, '').line;
        add(
          ['criteria', i, 'id'],
          at.valueOffset(['criteria', i, 'id']),
          `criterion id \`${c.id}\` is used twice (first at line ${firstLine})`,
          'give every criterion its own id; sign-offs, attestations and waivers refer to it',
        );
      } else {
        seen.set(c.id, i);
      }
    }
    const label = typeof c.id === 'string' ? `criterion ${c.id}` : `criteria[${i}]`;
    for (const [j, name] of strings(c.thresholds)) {
      if (Object.hasOwn(thresholds, name)) continue;
      const path = ['criteria', i, 'thresholds', j];
      add(
        path,
        at.valueOffset(path),
        `${label} names threshold \`${name}\`, which is not defined under thresholds`,
        didYouMean(name, Object.keys(thresholds)) ?? `define it under thresholds:, e.g. ${name}: "< 200ms"`,
      );
    }
    if (typeof c.attest === 'string' && c.attest !== '')
      checkRole(['criteria', i, 'attest'], c.attest, `${label}: attest`);
  });

  // signoff
  if (isRecord(data.signoff)) {
    for (const [j, role] of strings(data.signoff.required)) {
      if (role !== '') checkRole(['signoff', 'required', j], role, 'signoff: required');
    }
    if (typeof data.signoff.final === 'string' && data.signoff.final !== '') {
      checkRole(['signoff', 'final'], data.signoff.final, 'signoff: final');
    }
  }

  // target.start.ready: a path or an absolute http(s) URL
  const target = isRecord(data.target) ? data.target : undefined;
  const start = target && isRecord(target.start) ? target.start : undefined;
  if (start && typeof start.ready === 'string' && start.ready !== '' && !start.ready.startsWith('/')) {
    let ok = false;
    try {
      const u = new URL(start.ready);
      ok = u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) {
      const path = ['target', 'start', 'ready'];
      add(
        path,
        at.valueOffset(path),
        `expected a path like /health or an absolute URL like http://127.0.0.1:8080/health, got ${JSON.stringify(start.ready)}`,
        'a path is requested on target.baseUrl; a full http(s) URL is requested as written',
      );
    }
  }
  return out;
}

// ------------------------------------------------------------------ warnings

/** A source of metrics as validate sees it (the collector registry builds these, src/collect/registry.ts). */
export interface MetricSource {
  /** Metric names, or prefixes ending in ".", it can produce. */
  produces: readonly string[];
  /** True when this spec turns it on. */
  enabled: boolean;
  /** The spec section that turns it on, e.g. `load`, `drills.rollback`, `scan.coverage`. */
  section: string;
  /** The docs page of that section. */
  docs?: string;
  /**
   * On a collector's own entry: its name, which criterion `evidence:` refs name
   * (the collector itself, or one of its checks `NAME.…`).
   */
  collector?: string;
}

/**
 * Valid but probably not what the author meant. With `sources` (what each
 * collector can feed and whether this spec turns it on), every threshold that
 * no ENABLED collector feeds gets a warning at its key, naming the section(s)
 * to add; a threshold no collector of this version produces at all gets
 * "no collector in this version produces". Without sources, `produces` (every
 * metric of every collector) gives the second warning only.
 */
export function specWarnings(
  spec: Spec,
  at: Locator,
  produces: readonly string[] | undefined,
  sources?: readonly MetricSource[],
): Problem[] {
  const out: Problem[] = [];
  const all = sources ? sources.flatMap((s) => s.produces) : produces;
  for (const name of Object.keys(spec.thresholds)) {
    const path = ['thresholds', name];
    if (all && !knownMetric(name, [...all])) {
      out.push(
        at.problem(
          at.keyOffset(path),
          path,
          `no collector in this version produces ${name}; it will fail as no data`,
          'check the metric name (docs/collectors.md lists what each collector measures)',
        ),
      );
      continue;
    }
    if (!sources) continue;
    const feeding = sources.filter((s) => knownMetric(name, [...s.produces]));
    if (feeding.some((s) => s.enabled)) continue;
    out.push(
      at.problem(
        at.keyOffset(path),
        path,
        `threshold ${name}: no enabled collector feeds it, so it will fail as no data`,
        sectionHint(feeding),
      ),
    );
  }
  const security = spec.probes?.security;
  if (security) {
    publicRoutes(security).forEach((r, i) => {
      if (!r.blocked) return;
      const path = ['probes', 'security', 'public', i];
      out.push(
        at.problem(
          at.valueOffset(path),
          path,
          `public route ${r.route} writes (${r.method}): the rate-limit probe skips it, since every request of a burst may create or change data`,
          `to probe it anyway, write { route: ${r.route}, allowWrites: true } (up to probes.security.burst requests per check); or list a GET route behind the same limit`,
        ),
      );
    });
    // The auth probe sends credentials to a write route only when opted in: say so where it is written.
    if (Object.keys(security.credentials).length > 0) {
      security.protected.forEach((r, i) => {
        const route = typeof r === 'string' ? r : r.route;
        const method = splitRoute(route).method;
        if (SAFE_METHODS.includes(method) || (typeof r !== 'string' && r.allowWrites)) return;
        const path = ['probes', 'security', 'protected', i];
        out.push(
          at.problem(
            at.valueOffset(path),
            path,
            `protected route ${route} writes (${method}): the auth probe sends it only the anonymous request, not the credentials, since an accepted request may create or change data`,
            `to check the credentials on it too, write { route: ${route}, allowWrites: true } (one request per role per check)`,
          ),
        );
      });
    }
  }
  if (spec.target.start?.daemon && !spec.target.stop) {
    const path = ['target', 'start', 'daemon'];
    out.push(
      at.problem(
        at.keyOffset(path),
        path,
        'target.start.daemon: golive does not stop a service handed to a supervisor, and target.stop is not set',
        'add target.stop: { command: … } (e.g. docker compose down), or stop it yourself after each check: until then the next check refuses its busy port',
      ),
    );
  }
  if (spec.target.stop && !spec.target.start) {
    const path = ['target', 'stop'];
    out.push(
      at.problem(
        at.keyOffset(path),
        path,
        'target.stop runs only for a target golive starts, and target.start is not set',
        'add target.start, or remove target.stop',
      ),
    );
  }
  if (sources) out.push(...evidenceWarnings(spec, at, sources));
  out.push(...gateWarnings(spec, at));
  spec.criteria.forEach((c, i) => {
    if (c.type === 'Non-goal') return;
    if ((c.thresholds?.length ?? 0) + (c.evidence?.length ?? 0) > 0 || c.attest !== undefined) return;
    const path = ['criteria', i];
    out.push(
      at.problem(
        at.valueOffset(path),
        path,
        `criterion ${c.id} has no thresholds, evidence or attest; nothing can show it is met`,
        'point it at thresholds or evidence, or name the role that attests it with attest:',
      ),
    );
  });
  return out;
}

/** Add-a-section hint for sources that are not on: "add a `drills.alarm:` section (docs/drills.md)". */
function sectionHint(sources: readonly MetricSource[]): string {
  const named = [...new Set(sources.map((s) => s.section))].map((x) => `\`${x}:\``);
  const docs = [...new Set(sources.flatMap((s) => (s.docs ? [s.docs] : [])))];
  return `${named.length === 1 ? `add a ${named[0]} section` : `add one of the sections ${named.join(', ')}`}${docs.length ? ` (${docs.join(', ')})` : ''}`;
}

/**
 * Criterion `evidence:` refs whose collector this spec does not turn on: the
 * ref is the collector's name or one of its check ids (`NAME.…`; the longest
 * name wins). Such a criterion can never be met from this spec. Warned at the
 * ref, naming the section to add. Non-goals are never evaluated, so not warned.
 */
function evidenceWarnings(spec: Spec, at: Locator, sources: readonly MetricSource[]): Problem[] {
  const out: Problem[] = [];
  const owners = sources.filter((s) => s.collector !== undefined);
  spec.criteria.forEach((c, i) => {
    if (c.type === 'Non-goal') return;
    (c.evidence ?? []).forEach((ref, j) => {
      const owner = owners
        .filter((s) => ref === s.collector || ref.startsWith(`${s.collector}.`))
        .sort((a, b) => (b.collector as string).length - (a.collector as string).length)[0];
      if (!owner || owner.enabled) return;
      const path = ['criteria', i, 'evidence', j];
      out.push(
        at.problem(
          at.valueOffset(path),
          path,
          `criterion ${c.id} names evidence ${ref}, but its collector ${owner.collector} is not enabled, so it will stay missing`,
          sectionHint([owner]),
        ),
      );
    });
  });
  return out;
}

/**
 * Specs the gate can never turn into a GO worth having: no criterion that is
 * not a Non-goal (never ready), no sign-off roles (never GO), two signing roles
 * owned by one person without signoff.allowSamePerson (never GO).
 */
function gateWarnings(spec: Spec, at: Locator): Problem[] {
  const out: Problem[] = [];
  const has = (path: SpecPath): boolean => at.source(path) !== undefined;
  if (!spec.criteria.some((c) => c.type !== 'Non-goal')) {
    const path = ['criteria'];
    out.push(
      at.problem(
        has(path) ? at.keyOffset(path) : undefined,
        has(path) ? path : undefined,
        spec.criteria.length
          ? 'every criterion is a Non-goal: nothing in golive.yaml shows the release is ready, so check is never READY'
          : 'no criteria: nothing in golive.yaml shows the release is ready, so check is never READY',
        'add criteria: with at least one AC or DoD row that names thresholds, evidence or attest (docs/spec.md)',
      ),
    );
  }
  if (!spec.signoff) {
    out.push(
      at.problem(
        undefined,
        undefined,
        'no sign-off roles: nobody signs the decision, so decide is always NO-GO',
        'add signoff: { required: [ROLE, …] } naming roles defined under roles: (docs/decision-rules.md)',
      ),
    );
  } else if (!spec.signoff.allowSamePerson) {
    const signing = [...new Set([...spec.signoff.required, ...(spec.signoff.final ? [spec.signoff.final] : [])])];
    const byOwner = new Map<string, string[]>();
    for (const role of signing) {
      const owner = spec.roles[role];
      if (owner === undefined || owner.trim() === '') continue;
      const key = [...byOwner.keys()].find((k) => samePerson(k, owner)) ?? owner;
      byOwner.set(key, [...(byOwner.get(key) ?? []), role]);
    }
    for (const [owner, roles] of byOwner) {
      if (roles.length < 2) continue;
      const path = ['signoff', 'required'];
      out.push(
        at.problem(
          at.keyOffset(path),
          path,
          `signoff: ${roles.join(' and ')} are ${roles.length === 2 ? 'both' : 'all'} owned by ${owner.trim()} under roles:, and one person does not sign two required roles, so this spec cannot reach GO`,
          'give each signing role its own owner under roles:, or set signoff.allowSamePerson: true',
        ),
      );
    }
  }
  return out;
}
