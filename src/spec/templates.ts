/**
 * `golive init` templates: commented golive.yaml files that validate as they
 * are (templates.test.ts loads each one). Every threshold has the section that
 * feeds it, possibly commented out (then validate warns, naming the section);
 * what golive measures is measured, and only what a person must vouch for is
 * attested.
 */

export type TemplateName = 'web-service' | 'minimal';
export const TEMPLATE_NAMES: readonly TemplateName[] = ['web-service', 'minimal'];

export interface TemplateOptions {
  /** Service name; default `my-service`. */
  service?: string;
  /**
   * The JSON Schema the first line points editors at, relative to the spec's
   * folder. Default `./node_modules/golive/schema/golive.schema.json` (golive
   * installed in the project); `golive init` passes the path that resolves.
   */
  schema?: string;
}

export const LOCAL_SCHEMA = './node_modules/golive/schema/golive.schema.json';

const schemaLine = (ref: string): string => `# yaml-language-server: $schema=${ref}`;

/** A YAML scalar for `s`: plain when that is safe, double-quoted otherwise. */
function scalar(s: string): string {
  return /^[A-Za-z0-9][\w./-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~|[\d.]+)$/i.test(s)
    ? s
    : JSON.stringify(s);
}

const THRESHOLD_GRAMMAR = `# Thresholds are written BEFORE execution: once a release has evidence, changing one
# is an amendment (golive amend) with a reason, kept in the audit log.
# Grammar: <op> <number><unit>
#   op:   <  <=  >  >=  ==
#   unit: ms s m h (a duration) · % (a ratio: 0.1% = 0.001) · rps or /s (a rate) · none (a count)
# Always quote the expression: "< 200ms", "== 0".`;

function webService(service: string, schema: string): string {
  return `${schemaLine(schema)}
# golive.yaml: the readiness plan of one release, written before anything is measured.
# golive validate checks it; golive check gathers the evidence; golive decide records GO / NO-GO.
# Reference: docs/spec.md. \${NAME} (UPPER_SNAKE_CASE) is read from the environment;
# \${NAME:-default} has a fallback; secrets (names with TOKEN, SECRET, PASSWORD, KEY, AUTH …, the
# secrets: list, values in headers) are redacted in every output; the target URL is always shown.
#
# Everything golive can measure is measured; only what a person must vouch for is attested.
# Each threshold has the section that feeds it. The drills and the coverage import are
# commented out until your staging supports them: until then golive validate warns, naming
# the section to add, and golive check reports those thresholds as no data (not ready).
version: 1
service: ${scalar(service)}
release: v1.0.0 # the version /version must report

# The running staging deployment the evidence is gathered against.
target:
  baseUrl: \${BASE_URL:-http://127.0.0.1:8080}
  timeout: 10s # per probe request
  # Let golive start the service and wait until it is ready (and stop it afterwards):
  # start:
  #   command: npm start
  #   ready: /health # a path on baseUrl, or a full URL
  #   timeout: 30s
  # Headers sent with every request; values are redacted in every report:
  # headers:
  #   Authorization: Bearer \${STAGING_TOKEN}

# Who owns what (the go/no-go roles and deliverable owners of the launch plan).
# Criteria name these roles in attest:, sign-offs in signoff:.
roles:
  PM: pm@example.com
  Tech Lead: tech-lead@example.com
  DevOps: devops@example.com
  QA Lead: qa-lead@example.com
  CS Lead: cs-lead@example.com
  Sponsor: sponsor@example.com

${THRESHOLD_GRAMMAR}
thresholds:
  # Performance, from the load test below (p95/p99 latency, error rate, throughput).
  load.latency.p95: '< 200ms'
  load.latency.p99: '< 500ms'
  load.error_rate: '< 0.1%'
  load.rps: '>= 190' # the load below offers 200/s
  # Operations, from the ops probes: every ops endpoint answers.
  ops.endpoints.failing: '== 0'
  # Security findings from probes and the scan: Critical = 0, High = 0 unless waived.
  findings.critical: '== 0'
  findings.high: '== 0'
  # Tests: line coverage, from scan.coverage (commented below until you point it at a report).
  scan.coverage.lines: '>= 80%'
  # Rollback rehearsal (drills.rollback): back on the previous version in under 5 minutes.
  drill.rollback.duration: '< 5m'
  # Backup and restore (drills.restore): RTO 1 hour, RPO under 1 hour of data loss.
  drill.restore.rto: '< 1h'
  drill.restore.rpo: '< 1h'
  # Alerting rules (drills.alerts): every required alert exists, each with a runbook.
  drill.alerts.missing: '== 0'

# The load test (docs/load.md). Open model: arrivals on a fixed schedule; latency counts
# from each intended send time. Replace the requests with your critical paths.
load:
  scenarios:
    browse:
      executor: constant-arrival-rate
      rate: 200/s
      duration: 60s
      requests:
        - GET /health

# Probes of the running target. {} checks /health, /version, /metrics and /status.
probes:
  ops: {} # e.g. { metrics: false } when the service has no /metrics: then it is not checked
  # Security probes (docs/probes.md): HTTP Observatory header grade, exposed files (/.env,
  # /.git/config …), CORS, cookies, TLS; auth, rate limiting and injection on the routes listed.
  security:
    protected: [] # routes that must refuse anonymous requests, e.g. [GET /orders, POST /payments]
    public: [] # routes that must be rate limited, e.g. [GET /search]; a write only as { route: POST /auth/login, allowWrites: true }
    params: {} # injection spot checks, e.g. { /search: [q] }
    # credentials: { user: { Authorization: 'Bearer \${USER_TOKEN}' } }

# The repository (docs/scan.md): secrets, console.log / debugger, README, a CHANGELOG entry for
# the release (release notes), runbook index, CI config, release tag, committed .env files.
scan:
  path: .
  # coverage: { file: coverage/coverage-summary.json, min: 80 } # feeds scan.coverage.lines
  # audit: npm-audit.json # npm audit --json > npm-audit.json
  # sarif: [zap.sarif, semgrep.sarif]

# Drills (docs/drills.md): uncomment what your staging supports. Each also runs alone
# with golive drill KIND (golive verify for the smoke test).
# drills:
#   rollback: { deploy: ./deploy.sh v1.0.0, rollback: ./rollback.sh, expectVersion: v0.9.0, within: 5m }
#   smoke: { requests: [GET /health, GET /products] }
#   alarm: { alertmanager: { url: http://127.0.0.1:9093 }, within: 60s }
#   restore:
#     backup: pg_dump -Fc -f /tmp/app.dump app
#     restore: pg_restore -d app_restore /tmp/app.dump
#     tables: [orders, customers]
#     source: postgres://postgres@127.0.0.1/app
#     restored: postgres://postgres@127.0.0.1/app_restore
#   alerts: { files: [monitoring/alerts.yml] }

# The AC/DoD coverage matrix. Each criterion rests on thresholds and evidence checks that
# golive measures; attest: names the role that vouches by hand (golive attest) for what only
# a person can confirm. Status: Met / Partial / Unmet / Unverified; a Non-goal is Out of scope.
criteria:
  # Performance & scaling
  - id: AC-1
    type: AC
    title: Load test shows acceptable latency, error rate and throughput
    thresholds: [load.latency.p95, load.latency.p99, load.error_rate, load.rps]
  # Security review
  - id: AC-2
    type: AC
    title: Security review has no open critical or high findings
    evidence: [security, scan.secrets, scan.env-files]
    thresholds: [findings.critical, findings.high]
  # Operations
  - id: AC-3
    type: AC
    title: Ops endpoints answer (/health /version /metrics /status)
    evidence: [ops.health, ops.version, ops.metrics, ops.status]
    thresholds: [ops.endpoints.failing]
  - id: AC-4
    type: AC
    title: Runbooks written (index links resolve) and reviewed with on-call
    evidence: [scan.runbooks]
    attest: DevOps # the review is a person's call; the index is measured
  - id: AC-5
    type: AC
    title: Rollback rehearsed and back on the previous version within 5 minutes
    evidence: [drill.rollback]
    thresholds: [drill.rollback.duration]
  - id: AC-6
    type: AC
    title: A test alarm fired, notified on-call and recovered
    evidence: [drill.alarm]
  - id: AC-7
    type: AC
    title: Database backup taken and restore tested within the RTO and RPO
    evidence: [drill.restore]
    thresholds: [drill.restore.rto, drill.restore.rpo]
  - id: AC-8
    type: AC
    title: Alerts exist for 5xx, latency and saturation, each with a runbook
    evidence: [drill.alerts]
    thresholds: [drill.alerts.missing]
  # Code & CI
  - id: DoD-1
    type: DoD
    title: Tests pass and line coverage meets the agreed minimum
    evidence: [scan.coverage]
    thresholds: [scan.coverage.lines]
  - id: DoD-2
    type: DoD
    title: CI pipeline configured and the release tagged
    evidence: [scan.ci, scan.tag]
  - id: DoD-3
    type: DoD
    title: Release notes written (CHANGELOG entry for the release)
    evidence: [scan.changelog]
  # People: only a person can confirm these
  - id: DoD-4
    type: DoD
    title: Rollback plan reviewed and practiced
    attest: Tech Lead
  - id: DoD-5
    type: DoD
    title: Stakeholders notified of the launch window
    attest: PM
  - id: DoD-6
    type: DoD
    title: Customer support trained and ready
    attest: CS Lead
  # Out of scope for this release: shown as such, never counted, never blocking.
  - id: NG-1
    type: Non-goal
    title: Multi-region disaster recovery program

# Who must sign GO. The decision is GO only when every criterion is Met (or waived)
# and every required role, then the final one, signed go on the same run and spec.
signoff:
  required: [PM, Tech Lead, DevOps, QA Lead]
  final: Sponsor
`;
}

function minimal(service: string, schema: string): string {
  return `${schemaLine(schema)}
# golive.yaml: the smallest useful readiness plan. Reference: docs/spec.md.
version: 1
service: ${scalar(service)}
release: v1.0.0 # the version /version must report

target:
  baseUrl: \${BASE_URL:-http://127.0.0.1:8080} # \${NAME:-default} reads the environment

roles:
  Tech Lead: tech-lead@example.com

${THRESHOLD_GRAMMAR}
thresholds:
  ops.health.latency: '< 200ms'

# {} checks /health, /version, /metrics and /status.
probes:
  ops: {}

criteria:
  - id: AC-1
    type: AC
    title: Ops endpoints answer quickly
    evidence: [ops.health, ops.version, ops.metrics, ops.status]
    thresholds: [ops.health.latency]
  - id: DoD-1
    type: DoD
    title: Runbook written and reviewed
    attest: Tech Lead

signoff:
  required: [Tech Lead]
`;
}

/** The text of a commented golive.yaml to start from. */
export function initTemplate(name: TemplateName, opts: TemplateOptions = {}): string {
  const service = opts.service?.trim() || 'my-service';
  const schema = opts.schema ?? LOCAL_SCHEMA;
  switch (name) {
    case 'web-service':
      return webService(service, schema);
    case 'minimal':
      return minimal(service, schema);
    default:
      throw new Error(`unknown template ${String(name)}`);
  }
}
