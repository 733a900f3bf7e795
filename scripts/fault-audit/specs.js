// Category 1: hand-written malformed specs, each run through `golive validate`.
// A case is handled when golive refuses it the documented way: exit 2, the problem located
// at golive.yaml:LINE:COLUMN (on the line the case marks, when it marks one), no stack trace,
// within the time bound, and no store or report folder written. The few cases marked
// `valid` are specs that must be accepted (exit 0): they guard against a fix that refuses too much.
import { caseDir, crashReason, firstLine, leftovers } from './harness.js';
import { cliPool } from './in-process.js';

/** Every line is unique, so a case edits it by its text. */
const BASE = `version: 1
service: shop
release: v1.0.0
target:
  baseUrl: http://127.0.0.1:8080
  timeout: 10s
  start: { command: node server.js, ready: /health, timeout: 30s }
  headers: { Authorization: 'Bearer \${TOKEN:-dev-token}' }
roles:
  PM: pm@example.com
  Tech Lead: lead@example.com
thresholds:
  load.latency.p95: '< 200ms'
  load.error_rate: '< 0.1%'
  load.rps: '>= 100'
  findings.high: '== 0'
  ops.health.latency: '< 500ms'
probes:
  ops: {}
  security: {}
load:
  scenarios:
    browse:
      executor: constant-arrival-rate
      rate: 50/s
      duration: 5s
      requests:
        - GET /products
        - { method: POST, path: /cart, json: { sku: a1 }, expect: 200 }
drills:
  smoke:
    requests: [GET /health]
    rate: 5/s
    duration: 3s
criteria:
  - { id: AC-1, type: AC, title: Fast enough, thresholds: [load.latency.p95, load.error_rate, load.rps] }
  - { id: AC-2, type: AC, title: No high findings, thresholds: [findings.high] }
  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: PM }
signoff:
  required: [PM, Tech Lead]
`;

/** Marks the line a problem must be reported on. A YAML comment, so it changes nothing else. */
const HERE = ' #<';

function edit(text, pairs) {
  let out = text;
  for (const [from, to] of pairs) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0)
      throw new Error(`fault-audit: edit "${from}" is not unique in the spec`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

/** Replaces one line (by its text) with `to`, marked as the line at fault. */
const line = (from, to) => [from, `${to}${HERE}`];
const drop = (from) => [`${from}\n`, ''];

/**
 * The cases. `edits` change BASE; `text` replaces it; `valid: true` must pass.
 * `located: false` for problems with no position in the file (a missing file):
 * the file name is enough there.
 */
const CASES = [
  // ---------------------------------------------------------------- YAML syntax
  {
    id: 'yaml-unclosed-brace',
    edits: [
      line(
        '  start: { command: node server.js, ready: /health, timeout: 30s }',
        '  start: { command: node server.js, ready: /health',
      ),
    ],
    anyLine: true,
  },
  { id: 'yaml-unclosed-quote', edits: [["  load.latency.p95: '< 200ms'", "  load.latency.p95: '< 200ms"]] },
  { id: 'yaml-tab-indent', edits: [line('  timeout: 10s', '\ttimeout: 10s')] },
  // The parser places this at the mapping the stray line breaks, a line early; either line helps.
  {
    id: 'yaml-bad-indent',
    edits: [line('  Tech Lead: lead@example.com', '   Tech Lead: lead@example.com')],
    anyLine: true,
  },
  { id: 'yaml-duplicate-key', edits: [line('release: v1.0.0', 'release: v1.0.0\nrelease: v1.0.1')], anyLine: true },
  { id: 'yaml-two-documents', edits: [['signoff:\n', '---\nsignoff:\n']] },
  { id: 'yaml-multiline-key', edits: [['roles:\n', 'roles:\n  "PM\n  x": y\n']] },
  { id: 'yaml-reserved-at', edits: [line('  PM: pm@example.com', '  PM: @pm')] },
  { id: 'yaml-undefined-alias', edits: [line('service: shop', 'service: *nope')] },
  {
    id: 'yaml-alias-bomb',
    text: `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
      { length: 12 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
    ).join('\n')}\nversion: 1\n`,
  },
  { id: 'yaml-deep-nesting', text: `version: 1\nservice: ${'['.repeat(5000)}${']'.repeat(5000)}\n` },
  {
    id: 'yaml-unclosed-list',
    edits: [line('    requests: [GET /health]', '    requests: [GET /health')],
    anyLine: true,
  },
  { id: 'yaml-empty-file', text: '' },
  { id: 'yaml-only-comments', text: '# nothing here yet\n# still nothing\n' },
  { id: 'yaml-nul-bytes', text: `version: 1\nservice: sh\u0000op\u0000\n` },
  { id: 'yaml-top-level-list', text: '- version: 1\n- service: shop\n' },
  { id: 'yaml-top-level-scalar', text: 'hello world\n' },
  { id: 'yaml-binary-tag', edits: [line('service: shop', 'service: !!binary aGVsbG8=')] },
  { id: 'yaml-colon-in-value', edits: [line('  PM: pm@example.com', '  PM: pm: example')] },
  // ---------------------------------------------------------------- wrong types
  { id: 'type-version-string', edits: [line('version: 1', "version: '1'")] },
  { id: 'type-version-2', edits: [line('version: 1', 'version: 2')] },
  { id: 'type-version-false', edits: [line('version: 1', 'version: false')] },
  { id: 'type-service-number', edits: [line('service: shop', 'service: 123')] },
  { id: 'type-service-list', edits: [line('service: shop', 'service: [a, b]')] },
  { id: 'type-release-empty', edits: [line('release: v1.0.0', 'release:')] },
  {
    id: 'type-target-string',
    edits: [
      [
        "target:\n  baseUrl: http://127.0.0.1:8080\n  timeout: 10s\n  start: { command: node server.js, ready: /health, timeout: 30s }\n  headers: { Authorization: 'Bearer ${TOKEN:-dev-token}' }\n",
        `target: http://127.0.0.1:8080${HERE}\n`,
      ],
    ],
  },
  { id: 'type-baseurl-not-url', edits: [line('  baseUrl: http://127.0.0.1:8080', '  baseUrl: not a url')] },
  { id: 'type-baseurl-ftp', edits: [line('  baseUrl: http://127.0.0.1:8080', '  baseUrl: ftp://127.0.0.1/')] },
  {
    id: 'type-headers-list',
    edits: [line("  headers: { Authorization: 'Bearer ${TOKEN:-dev-token}' }", '  headers: [Authorization]')],
  },
  {
    id: 'type-header-number',
    edits: [line("  headers: { Authorization: 'Bearer ${TOKEN:-dev-token}' }", '  headers: { X-Retry: 3 }')],
  },
  {
    id: 'type-roles-list',
    edits: [['roles:\n  PM: pm@example.com\n  Tech Lead: lead@example.com\n', `roles: [PM, Tech Lead]${HERE}\n`]],
  },
  { id: 'type-threshold-number', edits: [line("  findings.high: '== 0'", '  findings.high: 0')] },
  {
    id: 'type-thresholds-list',
    edits: [["thresholds:\n  load.latency.p95: '< 200ms'", "thresholds:\n  - load.latency.p95: '< 200ms'"]],
    anyLine: true,
  },
  {
    id: 'type-criteria-mapping',
    edits: [
      [
        '  - { id: AC-1, type: AC, title: Fast enough, thresholds: [load.latency.p95, load.error_rate, load.rps] }\n  - { id: AC-2, type: AC, title: No high findings, thresholds: [findings.high] }\n  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: PM }\n',
        '  AC-1: { type: AC, title: Fast enough }\n',
      ],
    ],
  },
  {
    id: 'type-criterion-string',
    edits: [
      line(
        '  - { id: AC-2, type: AC, title: No high findings, thresholds: [findings.high] }',
        '  - AC-2 no high findings',
      ),
    ],
  },
  {
    id: 'type-criterion-type',
    edits: [
      line(
        '  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: PM }',
        '  - { id: DoD-1, type: Story, title: Runbook reviewed, attest: PM }',
      ),
    ],
  },
  { id: 'type-signoff-required-string', edits: [line('  required: [PM, Tech Lead]', '  required: PM')] },
  { id: 'type-signoff-required-empty', edits: [line('  required: [PM, Tech Lead]', '  required: []')] },
  {
    id: 'type-connections-zero',
    edits: [line('      rate: 50/s', '      rate: 50/s\n      connections: 0')],
    anyLine: true,
  },
  {
    id: 'type-connections-fraction',
    edits: [line('      rate: 50/s', '      rate: 50/s\n      connections: 1.5')],
    anyLine: true,
  },
  {
    id: 'type-connections-huge',
    edits: [line('      rate: 50/s', '      rate: 50/s\n      connections: 99999999')],
    anyLine: true,
  },
  { id: 'type-rate-word', edits: [line('      rate: 50/s', '      rate: fast')] },
  { id: 'type-rate-negative', edits: [line('      rate: 50/s', '      rate: -5/s')] },
  { id: 'type-ops-path-no-slash', edits: [line('  ops: {}', '  ops: { health: health }')] },
  { id: 'type-probes-list', edits: [['probes:\n  ops: {}\n  security: {}\n', `probes: [ops, security]${HERE}\n`]] },
  { id: 'type-smoke-rate-bare', edits: [line('    rate: 5/s', '    rate: 5')] },
  { id: 'type-smoke-rate-too-high', edits: [line('    rate: 5/s', '    rate: 5000/s')] },
  {
    id: 'type-expect-out-of-range',
    edits: [
      line(
        '        - { method: POST, path: /cart, json: { sku: a1 }, expect: 200 }',
        '        - { method: POST, path: /cart, json: { sku: a1 }, expect: 99 }',
      ),
    ],
  },
  { id: 'type-store-path-number', edits: [['signoff:\n', `store: { path: 42 }${HERE}\nsignoff:\n`]] },
  // ---------------------------------------------------------------- unknown keys
  { id: 'key-top-level-typo', edits: [line('service: shop', 'service: shop\nservce: shop')], anyLine: true },
  { id: 'key-baseurl-case', edits: [line('  baseUrl: http://127.0.0.1:8080', '  baseURL: http://127.0.0.1:8080')] },
  {
    id: 'key-start-cmd',
    edits: [
      line(
        '  start: { command: node server.js, ready: /health, timeout: 30s }',
        '  start: { cmd: node server.js, ready: /health, timeout: 30s }',
      ),
    ],
  },
  { id: 'key-ops-healthz', edits: [line('  ops: {}', '  ops: { healthz: /healthz }')] },
  {
    id: 'key-criterion-threshold',
    edits: [
      line(
        '  - { id: AC-2, type: AC, title: No high findings, thresholds: [findings.high] }',
        '  - { id: AC-2, type: AC, title: No high findings, threshold: [findings.high] }',
      ),
    ],
  },
  { id: 'key-scenario-vus', edits: [line('      duration: 5s', '      duration: 5s\n      vus: 10')], anyLine: true },
  { id: 'key-signoff-typo', edits: [line('  required: [PM, Tech Lead]', '  requried: [PM, Tech Lead]')] },
  { id: 'key-drill-typo', edits: [line('  smoke:', '  smok:')] },
  // ---------------------------------------------------------------- thresholds
  { id: 'threshold-error-rate-no-percent', edits: [line("  load.error_rate: '< 0.1%'", "  load.error_rate: '< 0.1'")] },
  { id: 'threshold-1e400ms', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< 1e400ms'")] },
  { id: 'threshold-exponent', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< 2e2ms'")] },
  { id: 'threshold-double-op', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '<< 200ms'")] },
  { id: 'threshold-reversed-op', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '=< 200ms'")] },
  { id: 'threshold-msec', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< 200 msec'")] },
  { id: 'threshold-negative', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< -5ms'")] },
  { id: 'threshold-upper-unit', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< 200MS'")] },
  { id: 'threshold-no-op', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '200ms'")] },
  { id: 'threshold-empty', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: ''")] },
  {
    id: 'threshold-two-bounds',
    edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< 200ms and > 1ms'")],
  },
  { id: 'threshold-double-percent', edits: [line("  load.error_rate: '< 0.1%'", "  load.error_rate: '< 0.1%%'")] },
  { id: 'threshold-rps-as-percent', edits: [line("  load.rps: '>= 100'", "  load.rps: '>= 100%'")] },
  { id: 'threshold-latency-as-percent', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< 5%'")] },
  { id: 'threshold-count-as-duration', edits: [line("  findings.high: '== 0'", "  findings.high: '== 0ms'")] },
  { id: 'threshold-infinity', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< Infinity'")] },
  { id: 'threshold-nan', edits: [line("  load.latency.p95: '< 200ms'", "  load.latency.p95: '< NaN'")] },
  { id: 'threshold-thousands-separator', edits: [line("  load.rps: '>= 100'", "  load.rps: '>= 1,000'")] },
  {
    id: 'threshold-huge-digits',
    edits: [line("  load.latency.p95: '< 200ms'", `  load.latency.p95: '< ${'9'.repeat(400)}ms'`)],
  },
  // ---------------------------------------------------------------- durations
  { id: 'duration-timeout-0s', edits: [line('  timeout: 10s', '  timeout: 0s')] },
  { id: 'duration-timeout-1000h', edits: [line('  timeout: 10s', '  timeout: 1000h')] },
  { id: 'duration-bare-number', edits: [line('  timeout: 10s', '  timeout: 10')] },
  { id: 'duration-space', edits: [line('  timeout: 10s', '  timeout: 10 s')] },
  { id: 'duration-negative', edits: [line('  timeout: 10s', '  timeout: -1s')] },
  { id: 'duration-two-dots', edits: [line('  timeout: 10s', '  timeout: 1.5.5s')] },
  { id: 'duration-days', edits: [line('  timeout: 10s', '  timeout: 10d')] },
  {
    id: 'duration-start-0ms',
    edits: [
      line(
        '  start: { command: node server.js, ready: /health, timeout: 30s }',
        '  start: { command: node server.js, ready: /health, timeout: 0ms }',
      ),
    ],
  },
  { id: 'duration-load-huge', edits: [line('      duration: 5s', '      duration: 99999999999h')] },
  { id: 'duration-smoke-0s', edits: [line('    duration: 3s', '    duration: 0s')] },
  // ---------------------------------------------------------------- missing keys, duplicates, references
  { id: 'missing-version', edits: [drop('version: 1')] },
  { id: 'missing-service', edits: [drop('service: shop')] },
  { id: 'missing-release', edits: [drop('release: v1.0.0')] },
  {
    id: 'missing-target',
    edits: [
      [
        "target:\n  baseUrl: http://127.0.0.1:8080\n  timeout: 10s\n  start: { command: node server.js, ready: /health, timeout: 30s }\n  headers: { Authorization: 'Bearer ${TOKEN:-dev-token}' }\n",
        '',
      ],
    ],
  },
  { id: 'missing-baseurl', edits: [drop('  baseUrl: http://127.0.0.1:8080')] },
  {
    id: 'missing-start-command',
    edits: [
      [
        '  start: { command: node server.js, ready: /health, timeout: 30s }',
        '  start: { ready: /health, timeout: 30s }',
      ],
    ],
  },
  {
    id: 'missing-criterion-id',
    edits: [
      line(
        '  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: PM }',
        '  - { type: DoD, title: Runbook reviewed, attest: PM }',
      ),
    ],
  },
  {
    id: 'missing-criterion-title',
    edits: [
      line(
        '  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: PM }',
        '  - { id: DoD-1, type: DoD, attest: PM }',
      ),
    ],
  },
  {
    id: 'duplicate-criterion-id',
    edits: [
      line(
        '  - { id: AC-2, type: AC, title: No high findings, thresholds: [findings.high] }',
        '  - { id: AC-1, type: AC, title: No high findings, thresholds: [findings.high] }',
      ),
    ],
  },
  {
    id: 'ref-undefined-threshold',
    edits: [
      line(
        '  - { id: AC-2, type: AC, title: No high findings, thresholds: [findings.high] }',
        '  - { id: AC-2, type: AC, title: No high findings, thresholds: [findings.hihg] }',
      ),
    ],
  },
  {
    id: 'ref-undefined-attest-role',
    edits: [
      line(
        '  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: PM }',
        '  - { id: DoD-1, type: DoD, title: Runbook reviewed, attest: CTO }',
      ),
    ],
  },
  { id: 'ref-undefined-signoff-role', edits: [line('  required: [PM, Tech Lead]', '  required: [PM, QA Lead]')] },
  {
    id: 'ref-undefined-final-role',
    edits: [line('  required: [PM, Tech Lead]', '  required: [PM, Tech Lead]\n  final: Sponsor')],
    anyLine: true,
  },
  {
    id: 'ref-ready-not-url',
    edits: [
      line(
        '  start: { command: node server.js, ready: /health, timeout: 30s }',
        '  start: { command: node server.js, ready: health, timeout: 30s }',
      ),
    ],
  },
  { id: 'scenario-rate-missing', edits: [drop('      rate: 50/s')], anyLine: true },
  {
    id: 'scenario-requests-and-mix',
    edits: [line('      duration: 5s', '      duration: 5s\n      mix: [{ weight: 1, requests: [GET /a] }]')],
    anyLine: true,
  },
  { id: 'scenario-name-upper', edits: [line('    browse:', '    Browse:')] },
  // ---------------------------------------------------------------- methods and routes
  { id: 'method-bad-string', edits: [line('        - GET /products', '        - BAD METHOD /products')] },
  {
    id: 'method-bad-object',
    edits: [
      line(
        '        - { method: POST, path: /cart, json: { sku: a1 }, expect: 200 }',
        '        - { method: "BAD METHOD", path: /cart, json: { sku: a1 }, expect: 200 }',
      ),
    ],
  },
  {
    id: 'method-lower-case',
    edits: [
      line(
        '        - { method: POST, path: /cart, json: { sku: a1 }, expect: 200 }',
        '        - { method: post, path: /cart, json: { sku: a1 }, expect: 200 }',
      ),
    ],
  },
  { id: 'method-no-path', edits: [line('        - GET /products', '        - GET')] },
  { id: 'route-no-slash', edits: [line('  security: {}', '  security: { protected: [GET orders] }')] },
  { id: 'route-unknown-method', edits: [line('  security: {}', '  security: { protected: [FETCH /orders] }')] },
  {
    id: 'path-no-slash',
    edits: [
      line(
        '        - { method: POST, path: /cart, json: { sku: a1 }, expect: 200 }',
        '        - { method: POST, path: cart, json: { sku: a1 }, expect: 200 }',
      ),
    ],
  },
  // ---------------------------------------------------------------- environment
  {
    id: 'env-unset',
    edits: [line('  baseUrl: http://127.0.0.1:8080', '  baseUrl: http://127.0.0.1:${FAULT_AUDIT_UNSET_PORT}')],
  },
  { id: 'env-unclosed', edits: [line('  baseUrl: http://127.0.0.1:8080', '  baseUrl: http://127.0.0.1:${PORT')] },
  {
    id: 'env-empty-value',
    edits: [line('  baseUrl: http://127.0.0.1:8080', '  baseUrl: ${FAULT_AUDIT_EMPTY}')],
    env: { FAULT_AUDIT_EMPTY: '' },
  },
  // ---------------------------------------------------------------- files
  { id: 'file-missing', files: {}, located: false },
  { id: 'file-is-folder', files: { 'golive.yaml/keep': '' }, located: false },
  // ---------------------------------------------------------------- must be accepted
  { id: 'valid-base', edits: [], valid: true },
  { id: 'valid-ops-version-false', edits: [['  ops: {}', '  ops: { version: false }']], valid: true },
  { id: 'valid-bom', text: `\uFEFF${BASE}`, valid: true },
  { id: 'valid-crlf', text: BASE.replaceAll('\n', '\r\n'), valid: true },
  {
    id: 'valid-threshold-spacing',
    edits: [["  load.latency.p95: '< 200ms'", "  load.latency.p95: '<200 ms'"]],
    valid: true,
  },
  {
    id: 'valid-env-default',
    edits: [['  baseUrl: http://127.0.0.1:8080', '  baseUrl: http://127.0.0.1:${FAULT_AUDIT_PORT:-8080}']],
    valid: true,
  },
  {
    id: 'valid-unknown-metric-warns',
    edits: [["  ops.health.latency: '< 500ms'", "  ops.health.latency: '< 500ms'\n  custom.queue.depth: '< 100'"]],
    valid: true,
  },
  {
    id: 'valid-long-comments',
    text: `${'# a long comment line to make the file big\n'.repeat(25_000)}${BASE}`,
    valid: true,
  },
];

const LOCATION = /golive\.yaml:(\d+):(\d+)/g;

/** Lines (1-based) of `text` carrying the marker. */
function markedLines(text) {
  return text.split(/\r?\n/).flatMap((l, i) => (l.endsWith(HERE) ? [i + 1] : []));
}

function specText(c) {
  if (c.text !== undefined) return c.text;
  return edit(BASE, c.edits ?? []);
}

/** Judges one `golive validate` result against the case. */
export function judgeSpec(c, text, r, dir) {
  const crash = crashReason(r);
  if (crash) return crash;
  const left = leftovers(dir);
  if (left.length) return `left ${left.join(', ')} behind`;
  const output = r.stdout + r.stderr;
  if (c.valid) return r.code === 0 ? undefined : `refused a valid spec (exit ${r.code}): ${firstLine(r.stderr)}`;
  if (r.code !== 2) return `exit ${r.code}, expected 2${r.code === 0 ? ' (accepted a malformed spec)' : ''}`;
  if (c.located === false) return /golive\.yaml/.test(output) ? undefined : 'does not name golive.yaml';
  const at = [...output.matchAll(LOCATION)].map((m) => Number(m[1]));
  if (!at.length) return `no golive.yaml:LINE:COLUMN in the message: ${firstLine(r.stderr)}`;
  const want = c.anyLine ? [] : markedLines(text);
  if (want.length && !at.some((l) => want.includes(l))) {
    return `located at line ${[...new Set(at)].join(', ')}, the problem is on line ${want.join(', ')}`;
  }
  return undefined;
}

export async function runSpecs(ctx) {
  return cliPool(CASES, ctx, async (c, cli, i) => {
    const text = c.files ? undefined : specText(c);
    const dir = caseDir(`specs/${String(i).padStart(3, '0')}-${c.id}`, c.files ?? { 'golive.yaml': text });
    const r = await cli(['validate'], { cwd: dir, env: c.env ?? {} });
    const reason = judgeSpec(c, text ?? '', r, dir);
    ctx.log(reason ? `  ✗ spec ${c.id}: ${reason}` : undefined);
    return {
      id: c.id,
      expect: c.valid ? 'valid (exit 0)' : 'invalid (exit 2 at golive.yaml:LINE:COL)',
      handled: reason === undefined,
      ...(reason ? { reason } : {}),
      exit: r.code,
      ms: r.ms,
    };
  });
}

export const SPEC_CASES = CASES.length;
