import { findingFingerprint } from '../collect/fingerprint.js';
import type { Finding, Severity } from '../model.js';
import { invalidImport, isRecord, parseJsonImport, typeOf } from './import-file.js';
import { redactSecretsIn } from './secrets.js';

const HINT = 'export SARIF 2.1.0 from the scanner (gitleaks --report-format sarif, semgrep --sarif, ZAP SARIF report)';

const LEVELS = ['none', 'note', 'warning', 'error'] as const;
type Level = (typeof LEVELS)[number];

const LEVEL_SEVERITY: Record<Level, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

export interface SarifImport {
  /** Tool names, one per run. */
  tools: string[];
  findings: Finding[];
  /** Results left out because the producing tool marked them suppressed or absent. */
  suppressed: number;
}

/**
 * Turns the results of a SARIF 2.1.0 log into findings. Severity comes from
 * `security-severity` (CVSS-like 0–10, as GitHub code scanning reads it:
 * ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low) on the result or its rule,
 * else from the level (error → high, warning → medium, note → low, none → info).
 * The fingerprint uses the tool's own partialFingerprints/fingerprints when it
 * wrote them, else the rule, the file and the message: never the line number.
 * Message text goes through the secret rules, so a scanner that quotes the
 * secret it found (gitleaks does) never leaks it into golive's output.
 */
export function parseSarif(text: string, file: string): SarifImport {
  const doc = parseJsonImport(text, file, 'SARIF', HINT);
  const bad = (where: string, what: string): Error => invalidImport(file, 'SARIF', `${where}: ${what}`, HINT);
  if (!isRecord(doc)) throw bad('top level', `expected an object, found ${typeOf(doc)}`);
  if (doc.version !== '2.1.0') {
    throw bad('version', `expected "2.1.0", found ${doc.version === undefined ? 'none' : JSON.stringify(doc.version)}`);
  }
  if (!Array.isArray(doc.runs)) throw bad('runs', `expected an array, found ${typeOf(doc.runs)}`);
  const out: SarifImport = { tools: [], findings: [], suppressed: 0 };
  doc.runs.forEach((run: unknown, r) => {
    const at = `runs[${r}]`;
    if (!isRecord(run)) throw bad(at, `expected an object, found ${typeOf(run)}`);
    const driver = isRecord(run.tool) && isRecord(run.tool.driver) ? run.tool.driver : undefined;
    if (!driver || typeof driver.name !== 'string' || !driver.name) {
      throw bad(`${at}.tool.driver.name`, 'missing: every run must name the tool that produced it');
    }
    const tool = driver.name;
    out.tools.push(tool);
    const rules = Array.isArray(driver.rules) ? driver.rules.filter(isRecord) : [];
    if (run.results === undefined) return;
    if (!Array.isArray(run.results)) throw bad(`${at}.results`, `expected an array, found ${typeOf(run.results)}`);
    run.results.forEach((result: unknown, i) => {
      const where = `${at}.results[${i}]`;
      if (!isRecord(result)) throw bad(where, `expected an object, found ${typeOf(result)}`);
      if ((Array.isArray(result.suppressions) && result.suppressions.length) || result.baselineState === 'absent') {
        out.suppressed++;
        return;
      }
      const rule =
        typeof result.ruleIndex === 'number'
          ? rules[result.ruleIndex]
          : rules.find((x) => x.id === (result.ruleId ?? (isRecord(result.rule) ? result.rule.id : undefined)));
      const ruleId = String(result.ruleId ?? (isRecord(result.rule) ? result.rule.id : undefined) ?? rule?.id ?? '');
      if (!ruleId) throw bad(`${where}.ruleId`, 'missing: a result must name its rule (ruleId or ruleIndex)');
      const message = isRecord(result.message) && typeof result.message.text === 'string' ? result.message.text : '';
      const ruleText = rule && isRecord(rule.shortDescription) ? rule.shortDescription.text : undefined;
      if (!message && typeof ruleText !== 'string') {
        throw bad(`${where}.message.text`, 'missing: a result needs a message');
      }
      const level = levelOf(result.level, rule, `${where}.level`, bad);
      const severity = securitySeverity(result, rule) ?? LEVEL_SEVERITY[level];
      const { uri, line } = locationOf(result);
      const discriminator =
        stableJson(result.partialFingerprints) ?? stableJson(result.fingerprints) ?? redactSecretsIn(message);
      const help = rule && isRecord(rule.help) && typeof rule.help.text === 'string' ? rule.help.text : undefined;
      const helpUri = rule && typeof rule.helpUri === 'string' ? rule.helpUri : undefined;
      out.findings.push({
        rule: `${slug(tool)}/${ruleId}`,
        severity,
        title: firstLine(redactSecretsIn(message || String(ruleText))),
        location: uri ? `${uri}${line ? `:${line}` : ''}` : tool,
        evidence: `imported from ${file} (${tool})`,
        ...(help || helpUri ? { remediation: firstLine(help ?? `see ${helpUri}`) } : {}),
        fingerprint: findingFingerprint('sarif', slug(tool), ruleId, uri ?? '', discriminator),
      });
    });
  });
  return out;
}

function levelOf(
  v: unknown,
  rule: Record<string, unknown> | undefined,
  where: string,
  bad: (w: string, m: string) => Error,
): Level {
  if (v === undefined) {
    const d = rule && isRecord(rule.defaultConfiguration) ? rule.defaultConfiguration.level : undefined;
    return LEVELS.includes(d as Level) ? (d as Level) : 'warning';
  }
  if (!LEVELS.includes(v as Level))
    throw bad(where, `expected one of ${LEVELS.join(', ')}, found ${JSON.stringify(v)}`);
  return v as Level;
}

function securitySeverity(
  result: Record<string, unknown>,
  rule: Record<string, unknown> | undefined,
): Severity | undefined {
  const raw =
    (isRecord(result.properties) ? result.properties['security-severity'] : undefined) ??
    (rule && isRecord(rule.properties) ? rule.properties['security-severity'] : undefined);
  const score = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(score)) return undefined;
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

function locationOf(result: Record<string, unknown>): { uri?: string; line?: number } {
  const loc = Array.isArray(result.locations) ? result.locations[0] : undefined;
  if (!isRecord(loc)) return {};
  const phys = isRecord(loc.physicalLocation) ? loc.physicalLocation : undefined;
  const art = phys && isRecord(phys.artifactLocation) ? phys.artifactLocation : undefined;
  const region = phys && isRecord(phys.region) ? phys.region : undefined;
  const uri = art && typeof art.uri === 'string' ? art.uri : undefined;
  const line = region && typeof region.startLine === 'number' ? region.startLine : undefined;
  if (uri) return { uri, ...(line ? { line } : {}) };
  const logical = Array.isArray(loc.logicalLocations) ? loc.logicalLocations[0] : undefined;
  if (isRecord(logical) && typeof logical.fullyQualifiedName === 'string') return { uri: logical.fullyQualifiedName };
  return {};
}

function stableJson(v: unknown): string | undefined {
  if (!isRecord(v) || Object.keys(v).length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))));
}

function slug(tool: string): string {
  return (
    tool
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'sarif'
  );
}

function firstLine(s: string): string {
  const line = s.split('\n')[0]?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
