import type { Severity } from '../model.js';
import { invalidImport, isRecord, parseJsonImport, typeOf } from './import-file.js';

/** One vulnerable package from `npm audit --json`. */
export interface AuditVulnerability {
  name: string;
  severity: Severity;
  /** Vulnerable version range. */
  range: string;
  /** Advisory titles, or the packages it is vulnerable through. */
  via: string[];
  /** Advisory URLs (GHSA …); they identify the problem in the fingerprint. */
  advisories: string[];
  remediation: string;
}

const HINT = 'write it with: npm audit --json > npm-audit.json (npm 7 or later; npm 6 output is read too)';

/** npm says "moderate" where golive says "medium". */
const SEVERITY: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  info: 'info',
};

/** Parses `npm audit --json` output (report version 2, npm ≥ 7, or the npm 6 `advisories` form). */
export function parseNpmAudit(text: string, file: string): AuditVulnerability[] {
  const doc = parseJsonImport(text, file, 'npm audit', HINT);
  if (!isRecord(doc)) throw invalidImport(file, 'npm audit', `expected an object, found ${typeOf(doc)}`, HINT);
  if (isRecord(doc.error)) {
    const summary = typeof doc.error.summary === 'string' ? doc.error.summary : JSON.stringify(doc.error);
    throw invalidImport(file, 'npm audit', `npm audit itself failed: ${summary.split('\n')[0]}`, HINT);
  }
  if (isRecord(doc.vulnerabilities)) return fromV2(doc.vulnerabilities, file);
  if (isRecord(doc.advisories)) return fromV1(doc.advisories, file);
  throw invalidImport(file, 'npm audit', 'neither "vulnerabilities" (npm ≥ 7) nor "advisories" (npm 6) found', HINT);
}

function severityOf(v: unknown, file: string, where: string): Severity {
  const s = typeof v === 'string' ? SEVERITY[v] : undefined;
  if (!s) {
    throw invalidImport(
      file,
      'npm audit',
      `${where}.severity must be one of critical, high, moderate, low, info (found ${JSON.stringify(v)})`,
      HINT,
    );
  }
  return s;
}

function fromV2(vulns: Record<string, unknown>, file: string): AuditVulnerability[] {
  const out: AuditVulnerability[] = [];
  for (const [key, v] of Object.entries(vulns)) {
    const where = `vulnerabilities.${key}`;
    if (!isRecord(v)) throw invalidImport(file, 'npm audit', `${where} must be an object, found ${typeOf(v)}`, HINT);
    const via = Array.isArray(v.via) ? v.via : [];
    const titles: string[] = [];
    const advisories: string[] = [];
    const through: string[] = [];
    for (const item of via) {
      if (typeof item === 'string') through.push(item);
      else if (isRecord(item)) {
        if (typeof item.title === 'string') titles.push(item.title);
        if (typeof item.url === 'string') advisories.push(item.url);
        else if (item.source !== undefined) advisories.push(String(item.source));
      }
    }
    out.push({
      name: typeof v.name === 'string' ? v.name : key,
      severity: severityOf(v.severity, file, where),
      range: typeof v.range === 'string' ? v.range : '*',
      via: titles.length ? titles : through.map((t) => `vulnerable through ${t}`),
      advisories: advisories.length ? advisories.sort() : through.sort().map((t) => `via:${t}`),
      remediation: fixText(v.fixAvailable),
    });
  }
  return out;
}

function fromV1(advisories: Record<string, unknown>, file: string): AuditVulnerability[] {
  return Object.entries(advisories).map(([key, a]) => {
    const where = `advisories.${key}`;
    if (!isRecord(a) || typeof a.module_name !== 'string') {
      throw invalidImport(file, 'npm audit', `${where} must be an object with module_name`, HINT);
    }
    return {
      name: a.module_name,
      severity: severityOf(a.severity, file, where),
      range: typeof a.vulnerable_versions === 'string' ? a.vulnerable_versions : '*',
      via: typeof a.title === 'string' ? [a.title] : [],
      advisories: [typeof a.url === 'string' ? a.url : key],
      remediation: typeof a.recommendation === 'string' ? a.recommendation : 'see the advisory',
    };
  });
}

function fixText(fix: unknown): string {
  if (fix === true) return 'run npm audit fix';
  if (isRecord(fix) && typeof fix.name === 'string') {
    return `upgrade ${fix.name} to ${String(fix.version)}${fix.isSemVerMajor ? ' (a semver-major change: npm audit fix --force)' : ''}`;
  }
  return 'no fix available yet: replace the package, or waive the finding with a reason and an expiry';
}
