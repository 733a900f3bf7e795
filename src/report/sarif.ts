import { triageOf } from '../findings/triage.js';
import type { TriagedFinding } from '../findings/types.js';
import type { ReportModel, Severity } from '../model.js';
import { SEVERITIES } from '../model.js';

/** The SARIF version and schema written; GitHub code scanning accepts 2.1.0. */
export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Where findings seen on the running target (a URL or `METHOD /path`) are
 * anchored: GitHub needs a file in the repository for every alert, and the
 * spec that named the target is the file a reviewer acts on. golive's default
 * spec name at the repository root; the URL itself is kept as a logical location.
 */
export const TARGET_FINDING_FILE = 'golive.yaml';

/**
 * GitHub's `security-severity` (a number written as a string) for each
 * severity, inside GitHub's bands: critical > 9.0, high 7.0–8.9, medium
 * 4.0–6.9, low 0.1–3.9. `info` is below low and lands in GitHub's low band.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.5',
};

/** SARIF `level` for each severity. */
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const HTTP_METHOD = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE|CONNECT)\s+\S/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The SARIF 2.1.0 report, shaped for GitHub code scanning
 * (docs/findings.md#sarif):
 * - one run; `tool.driver.rules` has one rule per finding rule, with short and
 *   full descriptions, help (text and Markdown), a default level and
 *   `properties.security-severity` (the highest severity the rule was found at);
 * - one result per finding that still stands (open, waived, accepted — fixed
 *   ones are left out, so GitHub closes their alerts); waived and accepted
 *   ones carry an accepted external suppression with the approver and reason;
 * - every result has a physical location: `path:line[:column]` locations map
 *   to that file and region, target findings (URL / endpoint) to
 *   TARGET_FINDING_FILE line 1 with the URL as a logical location;
 * - `partialFingerprints` carry golive's stable fingerprint (also as
 *   `primaryLocationLineHash`, so findings that share the anchor line stay apart);
 * - `baselineState` is `new` when the finding was first seen in this run.
 */
export function renderSarif(model: ReportModel): string {
  const standing = triageOf(model).filter((f) => f.status !== 'fixed');
  const rules = rulesOf(standing);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const { run } = model;
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'golive',
            rules,
          },
        },
        // GitHub's category is the part before the last "/": one per service, so a
        // later run (of any release) closes the alerts of findings it no longer has.
        automationDetails: { id: `golive/${run.service}/${run.id}` },
        invocations: [
          {
            executionSuccessful: run.status === 'complete',
            startTimeUtc: run.startedAt,
            endTimeUtc: run.endedAt,
          },
        ],
        results: standing.map((f) => result(f, ruleIndex.get(f.rule) ?? 0, model)),
        properties: {
          service: run.service,
          release: run.release,
          runId: run.id,
          specHash: run.specHash,
          ...(run.targetVersion !== undefined ? { targetVersion: run.targetVersion } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

interface Rule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { tags: string[]; 'security-severity': string; precision: 'high' };
}

/** One rule per finding rule, in order of first appearance; described by its most severe finding. */
function rulesOf(findings: TriagedFinding[]): Rule[] {
  const byRule = new Map<string, TriagedFinding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  return [...byRule].map(([id, list]) => {
    const worst = [...list].sort(
      (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
    )[0] as TriagedFinding;
    const fix = list.find((f) => f.remediation)?.remediation;
    const by = worst.collector ? `the golive ${worst.collector} collector` : 'golive';
    const triage =
      'Triage with golive: `golive findings` lists every finding with its status; ' +
      '`golive waive FINGERPRINT --reason TEXT --by NAME --expires DATE` waives one until a date; ' +
      '`golive accept FINGERPRINT --reason TEXT --by NAME` accepts it as a risk of the release.';
    return {
      id,
      shortDescription: { text: oneLine(worst.title) },
      fullDescription: {
        text: `${oneLine(worst.title)}. Reported by ${by} (rule ${id}, severity ${worst.severity}).`,
      },
      help: {
        text: `${fix ? `Fix: ${oneLine(fix)}\n\n` : ''}${triage.replace(/`/g, '')}`,
        markdown: `${fix ? `**Fix:** ${fix}\n\n` : ''}${triage}`,
      },
      defaultConfiguration: { level: SARIF_LEVEL[worst.severity] },
      properties: {
        tags: ['security', 'golive', ...(worst.collector ? [worst.collector] : [])],
        'security-severity': SECURITY_SEVERITY[worst.severity],
        precision: 'high',
      },
    };
  });
}

function result(f: TriagedFinding, ruleIndex: number, model: ReportModel) {
  const where = locate(f.location);
  const waiver = f.waiver;
  return {
    ruleId: f.rule,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: {
      text: `${oneLine(f.title)} at ${oneLine(f.location) || '(no location)'}${f.evidence ? `: ${oneLine(f.evidence)}` : ''}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: where.uri, ...(where.absolute ? {} : { uriBaseId: '%SRCROOT%' }) },
          region: { startLine: where.line, ...(where.column ? { startColumn: where.column } : {}) },
        },
        ...(where.logical ? { logicalLocations: [{ fullyQualifiedName: where.logical, kind: 'resource' }] } : {}),
      },
    ],
    partialFingerprints: {
      'goliveFingerprint/v1': f.fingerprint,
      primaryLocationLineHash: `${f.fingerprint}:1`,
    },
    baselineState: f.firstSeen.runId === model.run.id ? 'new' : 'unchanged',
    ...(waiver
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${waiver.kind === 'accepted-risk' ? 'accepted risk' : 'waived'} by ${waiver.by}${waiver.expiresAt ? ` until ${waiver.expiresAt.slice(0, 10)}` : ' for this release'}: ${oneLine(waiver.reason)}`,
            },
          ],
        }
      : {}),
    properties: {
      severity: f.severity,
      status: f.status,
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      ...(f.collector ? { collector: f.collector } : {}),
      ...(f.remediation ? { remediation: f.remediation } : {}),
    },
  };
}

interface SarifWhere {
  uri: string;
  absolute: boolean;
  line: number;
  column?: number;
  /** The URL or endpoint, for findings on the running target. */
  logical?: string;
}

/**
 * A finding's location as a SARIF location. `path:line[:column]` and bare
 * paths are files (relative to the repository root); URLs, `METHOD /path`
 * endpoints and other free text are anchored on TARGET_FINDING_FILE.
 */
export function locate(location: string): SarifWhere {
  const text = location.trim();
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(text);
  // Free text with spaces is not a path unless it ends in :line (a path may contain spaces).
  if (!text || URL_SCHEME.test(text) || HTTP_METHOD.test(text) || (!m && /\s/.test(text))) {
    return { uri: TARGET_FINDING_FILE, absolute: false, line: 1, ...(text ? { logical: oneLine(text) } : {}) };
  }
  const path = (m ? (m[1] as string) : text).replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  const line = m ? Math.max(1, Number(m[2])) : 1;
  const column = m?.[3] ? Math.max(1, Number(m[3])) : undefined;
  const absolute = path.startsWith('/');
  const encoded = path
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
  return { uri: absolute ? `file://${encoded}` : encoded, absolute, line, ...(column ? { column } : {}) };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
