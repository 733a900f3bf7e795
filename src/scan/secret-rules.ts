import type { Severity } from '../model.js';

/**
 * One secret format. `keywords` is the cheap prefilter: the regex runs on a
 * file only when its lower-cased text contains one of them (as in gitleaks).
 * The regex's first capture group is the secret itself; it is hashed for the
 * fingerprint and shown only redacted.
 */
export interface SecretRule {
  id: string;
  title: string;
  severity: Severity;
  keywords: string[];
  regex: RegExp;
  /** Minimum Shannon entropy (bits per character) of the captured secret; filters out words and placeholders. */
  entropy?: number;
  /** The regex's second group (a bare, unquoted value) counts only in files that are not program code. */
  bareOutsideCode?: boolean;
  /** Extra test on the captured secret (e.g. a JWT header that decodes to JSON). */
  verify?: (secret: string) => boolean;
  remediation: string;
}

const ROTATE =
  'Revoke and rotate it now (it is in the history), then load it from the environment or a secret manager.';

/**
 * The well-known formats, after gitleaks' and GitHub secret scanning's public
 * patterns. Every regex is global; `\b` guards keep them off longer words.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    title: 'Private key block',
    severity: 'critical',
    keywords: ['private key'],
    // A header alone (docs, this very comment) is not a key: demand a body of key material.
    regex:
      /(-----BEGIN[ A-Z0-9]{0,20} PRIVATE KEY(?: BLOCK)?-----[\r\n]+(?:[A-Za-z0-9+/=:,\- ]*[\r\n]+){0,5}[A-Za-z0-9+/=\r\n]{64,}?-----END[ A-Z0-9]{0,20} PRIVATE KEY(?: BLOCK)?-----)/g,
    remediation: `${ROTATE} Replace the key pair; keep keys out of the repository.`,
  },
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    severity: 'critical',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    regex: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
    entropy: 3,
    remediation: `${ROTATE} Deactivate the key in IAM.`,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    keywords: ['aws'],
    regex: /aws.{0,20}?(?:secret|access).{0,20}?['"=:\s]{1,4}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    entropy: 4,
    remediation: `${ROTATE} Deactivate the key in IAM.`,
  },
  {
    id: 'gcp-api-key',
    title: 'Google Cloud API key',
    severity: 'high',
    keywords: ['aiza'],
    regex: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    remediation: `${ROTATE} Restrict or delete the key in the Google Cloud console.`,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'high',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    regex: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b/g,
    remediation: `${ROTATE} Revoke it under GitHub → Settings → Developer settings.`,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab personal access token',
    severity: 'high',
    keywords: ['glpat-'],
    regex: /\b(glpat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/g,
    remediation: `${ROTATE} Revoke it under GitLab → Preferences → Access tokens.`,
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    severity: 'high',
    keywords: ['npm_'],
    regex: /\b(npm_[A-Za-z0-9]{36})\b/g,
    remediation: `${ROTATE} Revoke it with npm token revoke.`,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'high',
    keywords: ['xoxb', 'xoxa', 'xoxp', 'xoxr', 'xoxs'],
    regex: /\b(xox[baprs]-[0-9]{8,13}-[0-9A-Za-z-]{8,})\b/g,
    remediation: `${ROTATE} Revoke it in the Slack app settings.`,
  },
  {
    id: 'slack-webhook',
    title: 'Slack incoming webhook URL',
    severity: 'medium',
    keywords: ['hooks.slack.com'],
    regex: /(https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{8,}\/B[A-Z0-9]{8,}\/[A-Za-z0-9]{24})/g,
    remediation: `${ROTATE} Regenerate the webhook in the Slack app settings.`,
  },
  {
    id: 'discord-webhook',
    title: 'Discord webhook URL',
    severity: 'medium',
    keywords: ['discord'],
    regex: /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,70})/g,
    remediation: `${ROTATE} Delete and recreate the webhook in the channel settings.`,
  },
  {
    id: 'stripe-secret-key',
    title: 'Stripe live secret key',
    severity: 'critical',
    keywords: ['sk_live', 'rk_live'],
    regex: /\b((?:sk|rk)_live_[0-9A-Za-z]{24,99})\b/g,
    remediation: `${ROTATE} Roll the key in the Stripe dashboard.`,
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    severity: 'high',
    keywords: ['sg.'],
    regex: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    remediation: `${ROTATE} Delete the key in SendGrid → API keys.`,
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'medium',
    keywords: ['eyj'],
    regex: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    verify: isJwt,
    remediation:
      'A signed token in the repository may still be valid: revoke it or rotate the signing key, and build test tokens at runtime.',
  },
  {
    id: 'generic-secret',
    title: 'Hard-coded password or secret',
    severity: 'high',
    keywords: ['pass', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'credential', 'auth'],
    // The assigned value: quoted (group 1), or bare at the end of a KEY=value / key: value line (group 2,
    // only outside program code, where a bare value is an identifier). Printable ASCII only: prose in
    // other scripts is not a credential.
    regex:
      /(?:password|passwd|passphrase|\bpass\b|pwd|secret|token|api[_-]?key|access[_-]?key|credentials?|auth[_-]?key)[\w.-]{0,20}['"]?\s{0,3}(?::=|=>|=|:)\s{0,3}(?:["'`]([\x21\x23-\x26\x28-\x5f\x61-\x7e]{8,200})["'`]|([\x21\x25\x26\x2a\x2b\x2e-\x3a\x3d\x3f-\x5f\x61-\x7a\x7c\x7e][\x21\x23\x25\x26\x2a-\x2b\x2d-\x3a\x3d\x3f-\x5f\x61-\x7a\x7c\x7e]{7,199})\s*$)/gim,
    bareOutsideCode: true,
    // Machine secrets mix letters and digits; a value of letters only is a word or an identifier.
    verify: (v) => /\d/.test(v) && /[A-Za-z]/.test(v),
    entropy: 3.2,
    remediation:
      'Move the value to the environment or a secret manager and rotate it; if it is a harmless test value, allowlist it (scan.secrets.allowRegexes) or mark the line golive:allow.',
  },
];

function isJwt(token: string): boolean {
  const [header] = token.split('.');
  try {
    const decoded = JSON.parse(Buffer.from(header as string, 'base64url').toString('utf8')) as unknown;
    return typeof decoded === 'object' && decoded !== null && 'alg' in decoded;
  } catch {
    return false;
  }
}
