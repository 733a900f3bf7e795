// Category 5: tampered stores. The seeded project went through the whole flow (two checks,
// an attestation, a waiver, an accepted risk, an amendment, a sign-off and a GO decision);
// each case edits one thing in a copy of its golive.db the way someone with the file and
// SQLite would, re-serialising JSON as golive does so only the edit differs. Handled:
// `golive audit verify` exits 1 naming an entry (#N), and `golive decide --by x` refuses
// (exit 1 or 2, never a GO recorded over the tampered store). Control cases (the store
// untouched, or rewritten without changing a value) must verify and decide GO.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { ROOT, crashReason, firstLine } from './harness.js';
import { cliPool } from './in-process.js';
import { copyProject, seedProject } from './project.js';

// The forger's tools: golive's own canonical form and entry hash, so a rewritten
// chain is as good as golive would have written it.
const { canonicalJson } = await import(pathToFileURL(join(ROOT, 'dist/store/canonical.js')).href);
const { entryHash } = await import(pathToFileURL(join(ROOT, 'dist/store/audit.js')).href);

const later = (iso, ms = 1000) => new Date(Date.parse(iso) + ms).toISOString();
const reJson = (text, edit) => {
  const value = JSON.parse(text);
  edit(value);
  return canonicalJson(value);
};

/** Helpers over one open store; every case is a function of these. */
function tools(db) {
  const runs = db.prepare('select * from runs order by seq').all();
  const first = runs[0];
  const latest = runs.at(-1);
  const row = (table, where = '1=1', ...params) =>
    db.prepare(`select rowid as _rowid, * from ${table} where ${where} limit 1`).get(...params);
  const set = (table, r, column, value) =>
    db.prepare(`update ${table} set ${column} = ? where rowid = ?`).run(value, r._rowid);
  const edit = (table, where, column, fn, ...params) => {
    const r = row(table, where, ...params);
    if (!r) throw new Error(`fault-audit: no ${table} row where ${where}`);
    set(table, r, column, fn(r[column], r));
  };
  const del = (table, where = '1=1', ...params) => {
    const r = row(table, where, ...params);
    if (!r) throw new Error(`fault-audit: no ${table} row where ${where}`);
    db.prepare(`delete from ${table} where rowid = ?`).run(r._rowid);
  };
  /** Inserts a copy of a row with some columns changed. */
  const clone = (table, where, changes, ...params) => {
    const { _rowid, ...r } = row(table, where, ...params);
    const values = { ...r, ...changes(r) };
    if (table === 'runs') delete values.seq;
    const cols = Object.keys(values);
    db.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`).run(
      ...cols.map((c) => values[c]),
    );
  };
  const entries = () => db.prepare('select * from audit_log order by seq').all();
  /** Rehashes the chain from entry `from` on, as a forger who knows the hash rule would. */
  const rechain = (from) => {
    let prev = from > 1 ? entries()[from - 2].hash : '0'.repeat(64);
    for (const e of entries().filter((x) => x.seq >= from)) {
      const hash = entryHash(prev, {
        seq: e.seq,
        at: e.at,
        kind: e.kind,
        entityId: e.entity_id,
        payload: JSON.parse(e.payload),
      });
      db.prepare('update audit_log set prev_hash = ?, hash = ? where seq = ?').run(prev, hash, e.seq);
      prev = hash;
    }
    return prev;
  };
  return { runs, first, latest, row, set, edit, del, clone, entries, rechain };
}

const L = 'run_id = ?';
const newId = (id) => `${id.slice(0, -6)}beef42`;
const flip = (s) => (s.at(-1) === '0' ? `${s.slice(0, -1)}1` : `${s.slice(0, -1)}0`);

/** The tamperings: id → edit. `t.latest` is the decided run, `t.first` the one before. */
const CASES = {
  // ---- runs: every column, of the decided run (and the clock of the first)
  'runs.seq': (t) => t.edit('runs', 'id = ?', 'seq', () => 99, t.latest.id),
  'runs.seq-swap': (t, db) => {
    db.prepare('update runs set seq = -seq').run();
    db.prepare('update runs set seq = case when id = ? then 2 else 1 end').run(t.first.id);
  },
  'runs.id': (t) => t.edit('runs', 'id = ?', 'id', newId, t.latest.id),
  'runs.service': (t) => t.edit('runs', 'id = ?', 'service', () => 'other-service', t.latest.id),
  'runs.release': (t) => t.edit('runs', 'id = ?', 'release', () => 'v9.9.9', t.latest.id),
  'runs.spec_hash': (t) => t.edit('runs', 'id = ?', 'spec_hash', flip, t.latest.id),
  'runs.target_version': (t) => t.edit('runs', 'id = ?', 'target_version', () => 'v0.9.0', t.latest.id),
  'runs.target_version-null': (t) => t.edit('runs', 'id = ?', 'target_version', () => null, t.latest.id),
  'runs.base_url': (t) => t.edit('runs', 'id = ?', 'base_url', () => 'http://127.0.0.1:1', t.latest.id),
  'runs.started_at': (t) => t.edit('runs', 'id = ?', 'started_at', (v) => later(v), t.latest.id),
  'runs.ended_at': (t) => t.edit('runs', 'id = ?', 'ended_at', (v) => later(v), t.latest.id),
  'runs.status': (t) => t.edit('runs', 'id = ?', 'status', () => 'incomplete', t.latest.id),
  'runs.spec_json': (t) =>
    t.edit('runs', 'id = ?', 'spec_json', (v) => v.replace('< 6000ms', '< 60000ms'), t.latest.id),
  'runs.spec_json-invalid': (t) => t.edit('runs', 'id = ?', 'spec_json', (v) => v.slice(0, -1), t.latest.id),
  'runs.started_at-first-to-future': (t) =>
    t.edit('runs', 'id = ?', 'started_at', () => '2099-01-01T00:00:00.000Z', t.first.id),
  // ---- evidence
  'evidence.run_id': (t, db) =>
    db
      .prepare('update evidence set run_id = ?, position = position + 100 where run_id = ? and position = 1')
      .run(t.first.id, t.latest.id),
  'evidence.position-swap': (t, db) => {
    db.prepare(`update evidence set position = -1 where ${L} and position = 0`).run(t.latest.id);
    db.prepare(`update evidence set position = 0 where ${L} and position = 1`).run(t.latest.id);
    db.prepare(`update evidence set position = 1 where ${L} and position = -1`).run(t.latest.id);
  },
  'evidence.collector': (t) => t.edit('evidence', `${L} and collector = 'ops'`, 'collector', () => 'opz', t.latest.id),
  'evidence.status': (t) => t.edit('evidence', `${L} and collector = 'ops'`, 'status', () => 'fail', t.latest.id),
  'evidence.json-metric': (t) =>
    t.edit(
      'evidence',
      `${L} and collector = 'ops'`,
      'json',
      (v) => reJson(v, (e) => (e.metrics[0].value = e.metrics[0].value + 1)),
      t.latest.id,
    ),
  'evidence.json-status': (t) =>
    t.edit(
      'evidence',
      `${L} and collector = 'scan'`,
      'json',
      (v) => reJson(v, (e) => (e.status = 'pass')),
      t.latest.id,
    ),
  'evidence.json-invalid': (t) =>
    t.edit('evidence', `${L} and collector = 'ops'`, 'json', (v) => v.slice(0, -2), t.latest.id),
  // ---- metrics
  'metrics.run_id': (t) => t.edit('metrics', L, 'run_id', () => t.first.id, t.latest.id),
  'metrics.collector': (t) => t.edit('metrics', L, 'collector', () => 'other', t.latest.id),
  'metrics.name': (t) => t.edit('metrics', `${L} and name = 'ops.health.latency'`, 'name', () => 'ops.x', t.latest.id),
  'metrics.value': (t) =>
    t.edit('metrics', `${L} and name = 'ops.health.latency'`, 'value', (v) => v + 1000, t.latest.id),
  'metrics.unit': (t) => t.edit('metrics', `${L} and name = 'ops.health.latency'`, 'unit', () => 's', t.latest.id),
  // ---- findings
  'findings.run_id': (t, db) =>
    db
      .prepare('update findings set run_id = ?, position = position + 100 where run_id = ? and position = 0')
      .run(t.first.id, t.latest.id),
  'findings.position': (t) => t.edit('findings', L, 'position', (v) => v + 10, t.latest.id),
  'findings.fingerprint': (t) => t.edit('findings', L, 'fingerprint', flip, t.latest.id),
  'findings.rule': (t) => t.edit('findings', L, 'rule', () => 'forbidden/none', t.latest.id),
  'findings.severity': (t) => t.edit('findings', L, 'severity', () => 'info', t.latest.id),
  'findings.location': (t) => t.edit('findings', L, 'location', () => 'src/other.js:1', t.latest.id),
  'findings.json': (t) => t.edit('findings', L, 'json', (v) => reJson(v, (f) => (f.severity = 'info')), t.latest.id),
  // ---- frozen thresholds
  'frozen_thresholds.service': (t) => t.edit('frozen_thresholds', '1=1', 'service', () => 'other-service'),
  'frozen_thresholds.release': (t) => t.edit('frozen_thresholds', '1=1', 'release', () => 'v9.9.9'),
  'frozen_thresholds.run_id': (t) => t.edit('frozen_thresholds', '1=1', 'run_id', () => t.latest.id),
  'frozen_thresholds.json': (t) =>
    t.edit('frozen_thresholds', '1=1', 'json', (v) => reJson(v, (th) => (th['ops.endpoints.failing'] = '<= 5'))),
  'frozen_thresholds.frozen_at': (t) => t.edit('frozen_thresholds', '1=1', 'frozen_at', (v) => later(v, 3_600_000)),
  // ---- deletions
  'delete.runs-first': (t) => t.del('runs', 'id = ?', t.first.id),
  'delete.runs-latest': (t) => t.del('runs', 'id = ?', t.latest.id),
  'delete.evidence': (t) => t.del('evidence', `${L} and collector = 'ops'`, t.latest.id),
  'delete.metrics': (t) => t.del('metrics', L, t.latest.id),
  'delete.findings': (t) => t.del('findings', L, t.latest.id),
  'delete.frozen_thresholds': (t) => t.del('frozen_thresholds'),
  'delete.attestations': (t) => t.del('attestations'),
  'delete.waivers': (t) => t.del('waivers'),
  'delete.amendments': (t) => t.del('amendments'),
  'delete.signoffs': (t) => t.del('signoffs'),
  'delete.decisions': (t) => t.del('decisions'),
  'delete.audit_log-last': (t) => t.del('audit_log', 'seq = (select max(seq) from audit_log)'),
  'delete.audit_log-middle': (t) => t.del('audit_log', "kind = 'attestation'"),
  'delete.audit_log-last-and-meta': (t, db) => {
    // Truncates the log and moves the kept count and head back with it: only the rows can tell.
    const n = t.entries().length;
    t.del('audit_log', 'seq = ?', n);
    db.prepare("update meta set value = ? where key = 'audit_count'").run(String(n - 1));
    db.prepare("update meta set value = ? where key = 'audit_head'").run(t.entries().at(-1).hash);
  },
  // ---- insertions
  'insert.runs': (t) => t.clone('runs', 'id = ?', (r) => ({ id: newId(r.id) }), t.latest.id),
  'insert.evidence': (t) =>
    t.clone('evidence', `${L} and collector = 'ops'`, (r) => ({ position: r.position + 10 }), t.latest.id),
  'insert.metrics': (t) => t.clone('metrics', L, (r) => ({ name: `${r.name}.forged` }), t.latest.id),
  'insert.findings': (t) => t.clone('findings', L, (r) => ({ position: r.position + 10 }), t.latest.id),
  'insert.attestations': (t) =>
    t.clone('attestations', '1=1', (r) => ({ id: `${r.id}-2`, json: reJson(r.json, (a) => (a.id = `${a.id}-2`)) })),
  'insert.waivers': (t) =>
    t.clone('waivers', '1=1', (r) => ({ id: `${r.id}-2`, json: reJson(r.json, (w) => (w.id = `${w.id}-2`)) })),
  'insert.amendments': (t) =>
    t.clone('amendments', '1=1', (r) => ({ id: `${r.id}-2`, json: reJson(r.json, (a) => (a.id = `${a.id}-2`)) })),
  'insert.signoffs': (t) =>
    t.clone('signoffs', '1=1', (r) => ({ id: `${r.id}-2`, json: reJson(r.json, (s) => (s.id = `${s.id}-2`)) })),
  'insert.decisions': (t) =>
    t.clone('decisions', '1=1', (r) => ({ id: `${r.id}-2`, json: reJson(r.json, (d) => (d.id = `${d.id}-2`)) })),
  'insert.audit_log-append': (t, db) => {
    // A well-formed entry (right seq, link and hash) appended without golive: only the kept count can tell.
    const last = t.entries().at(-1);
    const e = { seq: last.seq + 1, at: later(last.at), kind: 'note', entityId: 'forged', payload: { by: 'x' } };
    db.prepare(
      'insert into audit_log (seq, at, kind, entity_id, payload, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?)',
    ).run(e.seq, e.at, e.kind, e.entityId, canonicalJson(e.payload), last.hash, entryHash(last.hash, e));
  },
  // ---- reorderings
  'reorder.waivers-created_at': (t, db) => {
    const [a, b] = db.prepare('select rowid as r, created_at from waivers order by created_at').all();
    db.prepare('update waivers set created_at = ? where rowid = ?').run(b.created_at, a.r);
    db.prepare('update waivers set created_at = ? where rowid = ?').run(a.created_at, b.r);
  },
  'reorder.waivers-audit_seq': (t, db) => {
    const [a, b] = db.prepare('select rowid as r, audit_seq from waivers order by audit_seq').all();
    db.prepare('update waivers set audit_seq = ? where rowid = ?').run(b.audit_seq, a.r);
    db.prepare('update waivers set audit_seq = ? where rowid = ?').run(a.audit_seq, b.r);
  },
  'reorder.audit_log-swap-entries': (t, db) => {
    // Two entries trade places (seq numbers swapped, everything else kept).
    db.prepare('update audit_log set seq = -seq where seq in (3, 4)').run();
    db.prepare('update audit_log set seq = case when seq = -3 then 4 else 3 end where seq in (-3, -4)').run();
  },
  // ---- meta: the count and head kept beside the log
  'meta.audit_count': (t, db) =>
    db.prepare("update meta set value = cast(value as integer) + 1 where key = 'audit_count'").run(),
  'meta.audit_head': (t, db) => db.prepare("update meta set value = ? where key = 'audit_head'").run('0'.repeat(64)),
  // ---- a forger who rewrites the chain after an edit, but not the head kept beside it
  'rechain.after-payload-edit': (t, db) => {
    const e = t.row('audit_log', "kind = 'signoff'");
    db.prepare('update audit_log set payload = ? where seq = ?').run(
      reJson(e.payload, (p) => (p.by = 'someone-else')),
      e.seq,
    );
    t.rechain(e.seq);
  },
  'rechain.after-decision-edit-with-row': (t, db) => {
    // The decision row and its entry rewritten together and the chain rehashed: only the kept head can tell.
    const e = t.row('audit_log', "kind = 'decision'");
    const payload = reJson(e.payload, (p) => (p.by = 'forger'));
    db.prepare('update audit_log set payload = ? where seq = ?').run(payload, e.seq);
    db.prepare('update decisions set json = ? where id = ?').run(payload, e.entity_id);
    t.rechain(e.seq);
  },
};

// Every record table, every column: attestations, waivers, amendments, signoffs and decisions share a shape.
for (const [table, kindColumn, jsonEdit] of [
  ['attestations', 'criterion_id', (a) => (a.by = 'someone-else')],
  ['waivers', 'subject_id', (w) => (w.expires = '2099-12-31')],
  ['amendments', 'threshold', (a) => (a.to = '< 60000ms')],
  ['signoffs', 'run_id', (s) => (s.role = 'Sponsor')],
  ['decisions', 'run_id', (d) => (d.by = 'someone-else')],
]) {
  const columns = {
    id: (v) => `${v}-x`,
    ...(table === 'decisions' ? {} : { service: () => 'other-service', release: () => 'v9.9.9' }),
    // A sign-off or decision moved to the other run; any other subject renamed.
    [kindColumn]: (v, t) => (kindColumn !== 'run_id' ? `${v}-x` : v === t.latest.id ? t.first.id : t.latest.id),
    json: (v) => reJson(v, jsonEdit),
    created_at: (v) => later(v),
    audit_seq: (v) => v + 1,
  };
  for (const [column, fn] of Object.entries(columns)) {
    CASES[`${table}.${column}`] = (t) => t.edit(table, '1=1', column, (v) => fn(v, t));
  }
}
// Payload, prev_hash, hash, at, kind, entity_id and seq of one audit entry (the sign-off's).
for (const [column, fn] of Object.entries({
  seq: () => 99,
  at: (v) => later(v),
  kind: () => 'attestation',
  entity_id: (v) => `${v}-x`,
  payload: (v) => reJson(v, (p) => (p.decision = 'no-go')),
  prev_hash: flip,
  hash: flip,
})) {
  CASES[`audit_log.${column}`] = (t) => t.edit('audit_log', "kind = 'signoff'", column, fn);
}

/** Rewrites without changing any value: verify must still pass and decide still GO. */
const CONTROLS = {
  'control.untouched': () => {},
  'control.vacuum': (t, db) => db.exec('vacuum'),
  'control.rows-rewritten-in-reverse': (t, db) => {
    const rows = db.prepare('select * from audit_log order by seq desc').all();
    db.prepare('delete from audit_log').run();
    const ins = db.prepare(
      'insert into audit_log (seq, at, kind, entity_id, payload, prev_hash, hash) values (@seq, @at, @kind, @entity_id, @payload, @prev_hash, @hash)',
    );
    for (const r of rows) ins.run(r);
  },
};

function tamper(dbPath, fn) {
  const db = new Database(dbPath);
  try {
    // Someone editing the file by hand is not bound by the schema's foreign keys either.
    db.pragma('foreign_keys = off');
    fn(tools(db), db);
  } finally {
    db.close();
  }
}

/** Decisions recorded as GO, by id: "did decide write a GO?" even when a row's JSON was damaged by the case. */
function goDecisions(dbPath) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare('select id, json from decisions')
      .all()
      .filter((r) => /"decision":"GO"/.test(r.json))
      .map((r) => r.id);
  } finally {
    db.close();
  }
}

export async function runTamper(ctx) {
  const seed = await seedProject();
  const all = [
    ...Object.entries(CONTROLS).map(([id, fn]) => ({ id, fn, control: true })),
    ...Object.entries(CASES).map(([id, fn]) => ({ id, fn, control: false })),
  ];
  const results = await cliPool(all, ctx, async (c, cli, i) => {
    const dir = copyProject(seed, `tamper/${String(i).padStart(3, '0')}-${c.id}`);
    const dbPath = join(dir, '.golive', 'golive.db');
    try {
      tamper(dbPath, c.fn);
    } catch (e) {
      // The store's layout changed under the audit: say so rather than judge an edit that never happened.
      const reason = `the tampering could not be applied: ${e.message}`;
      ctx.log(`  ✗ tamper ${c.id}: ${reason}`);
      return { id: c.id, ...(c.control ? { control: true } : {}), handled: false, reason };
    }
    const gosBefore = goDecisions(dbPath);
    const env = seed.env;
    const verify = await cli(['audit', 'verify'], { cwd: dir, env });
    const decide = await cli(['decide', '--by', 'x'], { cwd: dir, env });
    const newGo = goDecisions(dbPath).filter((id) => !gosBefore.includes(id));
    const reason = judge(c, verify, decide, newGo);
    ctx.log(reason ? `  ✗ tamper ${c.id}: ${reason}` : undefined);
    return {
      id: c.id,
      ...(c.control ? { control: true } : {}),
      handled: reason === undefined,
      ...(reason ? { reason } : {}),
      verify: { exit: verify.code, says: firstLine(verify.stdout || verify.stderr) },
      decide: { exit: decide.code, says: firstLine(decide.stdout || decide.stderr) },
    };
  });
  const tamperings = results.filter((r) => !r.control).length;
  return { cases: results, summary: { tamperings, controls: results.length - tamperings } };
}

function judge(c, verify, decide, newGo) {
  for (const [name, r] of [
    ['audit verify', verify],
    ['decide', decide],
  ]) {
    const crash = crashReason(r);
    if (crash) return `${name}: ${crash}`;
  }
  if (c.control) {
    if (verify.code !== 0)
      return `audit verify failed an honest store (exit ${verify.code}): ${firstLine(verify.stdout)}`;
    if (decide.code !== 0)
      return `decide refused an honest store (exit ${decide.code}): ${firstLine(decide.stderr || decide.stdout)}`;
    return undefined;
  }
  const problems = [];
  if (verify.code !== 1) problems.push(`audit verify exit ${verify.code}, expected 1`);
  else if (!/#\d+/.test(verify.stdout + verify.stderr)) problems.push('audit verify names no entry (#N)');
  if (newGo.length) problems.push('decide recorded a GO over the tampered store');
  else if (decide.code !== 1 && decide.code !== 2) problems.push(`decide exit ${decide.code}, expected a refusal`);
  return problems.length ? problems.join('; ') : undefined;
}
