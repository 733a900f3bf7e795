import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeSecrets as f } from '../../test/secret-corpus.js';
import { findSecrets, redactedExcerpt, redactSecret, redactSecretsIn, secretTag, shannonEntropy } from './secrets.js';

const rules = (text: string): string[] => findSecrets(text).map((m) => m.rule.id);

describe('findSecrets: true positives', () => {
  const cases: [string, string, string][] = [
    ['aws-access-key-id', 'AWS key id in code', `const id = "${f.awsKeyId()}";`],
    ['aws-secret-access-key', 'AWS secret in a credentials file', `aws_secret_access_key = ${f.awsSecret()}`],
    ['gcp-api-key', 'Google API key in a URL', `fetch("https://maps.example.org/?key=${f.gcpKey()}")`],
    ['github-token', 'GitHub token in a shell script', `curl -H "Authorization: token ${f.githubToken()}"`],
    ['gitlab-token', 'GitLab token in YAML', `gitlab:\n  private: ${f.gitlabToken()}\n`],
    ['npm-token', 'npm token in .npmrc', `//registry.npmjs.org/:_authToken=${f.npmToken()}`],
    ['slack-token', 'Slack bot token', `SLACK=${f.slackToken()}`],
    ['slack-webhook', 'Slack webhook URL', `url: "${f.slackWebhook()}"`],
    ['stripe-secret-key', 'Stripe live key', `stripe(${JSON.stringify(f.stripeKey())})`],
    ['sendgrid-api-key', 'SendGrid key', `sg.setApiKey('${f.sendgridKey()}')`],
    ['jwt', 'JWT in a fixture', `const session = '${f.jwt()}'`],
    ['private-key', 'RSA private key', `${f.privateKey()}\n`],
    ['private-key', 'OpenSSH private key', `${f.privateKey('ssh', 'OPENSSH')}\n`],
    ['generic-secret', 'quoted password in code', `const dbPassword = "${f.password()}";`],
    ['generic-secret', 'bare secret in .env', `API_SECRET=${f.password('env')}\n`],
    ['generic-secret', 'password in YAML', `database:\n  password: ${f.password('yaml')}\n`],
  ];
  for (const [rule, name, text] of cases) {
    it(`${rule}: ${name}`, () => {
      expect(rules(text)).toEqual([rule]);
    });
  }

  it('reports the 1-based line of the match', () => {
    const [m] = findSecrets(`a\nb\nconst k = "${f.githubToken()}"\n`);
    expect(m?.line).toBe(3);
  });
});

describe('findSecrets: false positives stay quiet', () => {
  const cases: [string, string][] = [
    ['a placeholder ${VAR}', 'password: ${DB_PASSWORD}'],
    ['a $VAR reference', 'PASSWORD=$DB_PASSWORD'],
    ['a template placeholder', 'secret: "{{ vault_secret }}"'],
    ['an angle-bracket placeholder', 'api_key = "<your-api-key>"'],
    ['an environment lookup', 'password: process.env.DB_PASSWORD'],
    ['a member access', 'const token = req.headers.authorization'],
    ['a low-entropy word', 'password = "passwordpassword"'],
    ['a filler value', 'secret = "changeme-changeme"'],
    ['xxx filler', 'token: "xxxxxxxxxxxxxxxxxxxxxxxx"'],
    ['a short value', 'pwd = "abc12"'],
    ['a TypeScript type', 'password: string;'],
    ['the AWS documentation example', `key = "${['AK', 'IA'].join('')}IOSFODNN7EXAMPLE"`],
    ['a private key header in docs', `Paste your ${'-'.repeat(5)}BEGIN RSA PRIVATE KEY${'-'.repeat(5)} block here.`],
    ['a token-like word without a format', 'ghp_short'],
    ['a dotted base64 that is not a JWT', `x = "eyJub3RqdXN0.eyJub3Rqc29uCg.${'A'.repeat(20)}"`],
    ['a git commit hash', 'commit 3b18e512dba79e4c8300dd08aeb37f8e728b8dad'],
    ['a function call', 'const secret = getSecret();'],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      expect(findSecrets(text)).toEqual([]);
    });
  }

  it('skips a line carrying golive:allow', () => {
    expect(findSecrets(`const k = "${f.githubToken()}"; // golive:allow test fixture`)).toEqual([]);
  });

  it('skips secrets matching an allowlist regex', () => {
    const text = `const k = "${f.githubToken()}";`;
    expect(findSecrets(text, { allowRegexes: [/^ghp_/] })).toEqual([]);
    expect(findSecrets(text, { allowRegexes: [/^nope/] })).toHaveLength(1);
  });

  it('reports a token assigned to token= once, by its specific rule', () => {
    expect(rules(`token = "${f.githubToken()}"`)).toEqual(['github-token']);
  });
});

describe('redaction and hashing', () => {
  it('never shows more than a 4-character prefix and the length', () => {
    const token = f.githubToken();
    const [m] = findSecrets(`x = "${token}"`);
    expect(m?.redacted).toBe(`${token.slice(0, 4)}… (${token.length} chars)`);
    expect(m?.redacted).not.toContain(token.slice(0, 8));
  });

  it('shows no prefix for short values and the BEGIN line for keys', () => {
    expect(redactSecret('hunter22')).toBe('hu… (8 chars)');
    expect(redactSecret('abcdefg')).toBe('… (7 chars)');
    expect(redactSecret(f.privateKey())).toMatch(/^-----BEGIN RSA PRIVATE KEY-----… \(\d+ chars\)$/);
  });

  it('tags the same secret the same way in every run, and different secrets differently', () => {
    const a = findSecrets(`k = "${f.stripeKey()}"`)[0]?.tag;
    const b = findSecrets(`\n\nother = "${f.stripeKey()}"`)[0]?.tag;
    expect(a).toMatch(/^[0-9a-f]{4}$/);
    expect(a).toBe(b);
    expect(findSecrets(`k = "${f.stripeKey('rotated')}"`)[0]?.tag).not.toBe(a);
  });

  it('keeps too little of the secret in the tag for a dictionary attack to single it out', () => {
    // A short password, as a committed baseline would hold it: its tag is all an attacker can recover from a fingerprint.
    const password = 'Summer2024!';
    const tag = secretTag(password);
    expect(tag).not.toBe(createHash('sha256').update(password).digest('hex').slice(0, 4));
    // Other candidates match the tag just as well (about one in 65 536; a 64-bit tag would give none): a guess
    // that matches confirms nothing.
    let matches = 0;
    for (let i = 0; i < 2 ** 18; i++) if (secretTag(`Candidate${i}!`) === tag) matches++;
    expect(matches).toBeGreaterThanOrEqual(1);
  });

  it('redacts a whole line before cutting it, and never cuts inside a marker', () => {
    const key = f.stripeKey('excerpt');
    expect(redactedExcerpt(`k = "${key}" and more`, 200)).toBe(`k = "sk_l… (40 chars)" and more`);
    expect(redactedExcerpt(`k = "${key}" and more`, 8)).toBe('k = "sk_l… (40 chars)');
    expect(redactedExcerpt(`k = "${key}" and more`, 5)).toBe('k = "');
  });

  it('redacts secrets inside imported text', () => {
    const token = f.githubToken();
    const out = redactSecretsIn(`leaked ${token} in config`);
    expect(out).not.toContain(token);
    expect(out).toContain('ghp_… (40 chars)');
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('findSecrets: code and config files', () => {
  it('counts bare values only outside program code', () => {
    const pw = f.password('bare');
    expect(findSecrets(`SECRET_KEY=${pw}\n`, { path: 'config/.env' })).toHaveLength(1);
    expect(findSecrets(`db_password: ${pw}\n`, { path: 'app.yml' })).toHaveLength(1);
    expect(findSecrets(`const firstToken = lastToken2\n`, { path: 'src/parse.js' })).toEqual([]);
    expect(findSecrets(`const dbPassword = "${pw}"\n`, { path: 'src/db.ts' })).toHaveLength(1);
  });

  it('ignores words, identifiers and prose in other scripts', () => {
    expect(findSecrets('nextToken = "?NonExpressionParenEnd";')).toEqual([]);
    expect(findSecrets("$passingSchemas = 'passingSchemas' + $lvl;")).toEqual([]);
    expect(findSecrets('"Unexpected_token_1012": "予期しないトークンです。",')).toEqual([]);
    expect(findSecrets("PWD: '/Users/someone',")).toEqual([]);
  });
});
