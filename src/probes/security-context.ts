import { findingFingerprint } from '../collect/fingerprint.js';
import type { Check, Finding, Metric, Severity } from '../model.js';
import type { SecurityProbesSpec } from '../spec/probes.js';
import type { SecClient } from './security-http.js';
import type { TlsFacts } from './tls.js';

/** What every security probe is given. */
export interface SecContext {
  client: SecClient;
  cfg: SecurityProbesSpec;
  /** The target's base URL; every request goes to its origin. */
  baseUrl: string;
  https: boolean;
  /** Contents of the extra CA to trust (probes.security.tls.ca), if any. */
  ca?: string;
  /** Set by the tls probe, read by the headers probe (HSTS needs a trusted chain). */
  tls?: TlsFacts;
  progress: (message: string) => void;
}

/** What one probe produced: its check, findings, metrics and detail for reports. */
export interface ProbeOutcome {
  check: Check;
  findings: Finding[];
  metrics: Metric[];
  data?: Record<string, unknown>;
}

export interface FindingInput {
  rule: string;
  severity: Severity;
  title: string;
  method: string;
  /** Path on the target (no host:port, so the fingerprint survives a port change). */
  path: string;
  evidence?: string;
  remediation: string;
  /** Extra discriminator for the fingerprint (e.g. a parameter name or a role). */
  discriminator?: string;
}

/** A finding whose fingerprint is rule + method + path (+ discriminator), never host, port or measured values. */
export function secFinding(f: FindingInput): Finding {
  const location = `${f.method} ${f.path}${f.discriminator ? ` (${f.discriminator})` : ''}`;
  return {
    rule: f.rule,
    severity: f.severity,
    title: f.title,
    location,
    ...(f.evidence !== undefined ? { evidence: clip(f.evidence) } : {}),
    remediation: f.remediation,
    fingerprint: findingFingerprint(f.rule, f.method, f.path, f.discriminator ?? ''),
  };
}

/** A probe's check: fails when it has a finding of medium severity or worse. */
export function checkFor(id: string, findings: Finding[], okSummary: string): Check {
  const serious = findings.filter((f) => f.severity === 'critical' || f.severity === 'high' || f.severity === 'medium');
  if (serious.length === 0) {
    const minor = findings.length ? ` (${findings.length} low/info finding${findings.length > 1 ? 's' : ''})` : '';
    return { id, status: 'pass', summary: `${okSummary}${minor}` };
  }
  const worst = serious[0] as Finding;
  return {
    id,
    status: 'fail',
    summary: `${serious.length} finding${serious.length > 1 ? 's' : ''}: ${worst.title}${serious.length > 1 ? ' …' : ''}`,
  };
}

export function errorOutcome(id: string, why: string): ProbeOutcome {
  return { check: { id, status: 'error', summary: why }, findings: [], metrics: [] };
}

const SECRETISH = /((?:pass(?:word)?|secret|token|key|auth|credential|pwd)[^=:\n]{0,30}[=:]\s*)("?)[^\s"'\n]+/gi;

/**
 * An excerpt safe to keep: values that look like secrets (after password=, token: …,
 * user:pass@ in URLs, every value of a KEY=value line) are masked, the rest is cut to 300 characters.
 */
export function safeExcerpt(text: string, max = 300): string {
  return clip(
    text
      .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1[redacted]@')
      .replace(/^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*).+$/gm, '$1[redacted]')
      .replace(SECRETISH, '$1$2[redacted]')
      .replace(/[^\x20-\x7e\n\t]/g, '·'),
    max,
  );
}

function clip(s: string, max = 300): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export { splitRoute } from '../spec/probes.js';
