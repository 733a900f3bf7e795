import { createHash } from 'node:crypto';

/**
 * Secret-shaped values for tests, built at runtime from a label so that
 * (a) this source file holds no literal that any scanner (golive's own,
 * gitleaks, GitHub push protection) would report, and (b) each value is the
 * same in every run, so fingerprints can be compared across runs.
 */
export function pseudo(label: string, length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    for (const byte of createHash('sha256').update(`${label}:${i}`).digest()) {
      if (out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** One value per rule; the prefixes are split so the literal never appears in this file. */
export const fakeSecrets = {
  awsKeyId: (label = 'aws') => ['AK', 'IA'].join('') + pseudo(label, 16, `${UPPER}234567`),
  awsSecret: (label = 'aws-secret') => pseudo(label, 40, B64),
  gcpKey: (label = 'gcp') => ['AI', 'za'].join('') + pseudo(label, 35, B64URL),
  githubToken: (label = 'gh') => ['gh', 'p_'].join('') + pseudo(label, 36, ALNUM),
  gitlabToken: (label = 'gl') => ['glp', 'at-'].join('') + pseudo(label, 20, ALNUM),
  npmToken: (label = 'npm') => ['np', 'm_'].join('') + pseudo(label, 36, ALNUM),
  slackToken: (label = 'slack') =>
    `${['xo', 'xb'].join('')}-${pseudo(`${label}1`, 12, '0123456789')}-${pseudo(`${label}2`, 24, ALNUM)}`,
  slackWebhook: (label = 'slackhook') =>
    `https://hooks.${'slack'}.com/services/T${pseudo(`${label}t`, 9, `${UPPER}0123456789`)}/B${pseudo(`${label}b`, 9, `${UPPER}0123456789`)}/${pseudo(label, 24, ALNUM)}`,
  stripeKey: (label = 'stripe') => ['sk', '_li', 've_'].join('') + pseudo(label, 32, ALNUM),
  sendgridKey: (label = 'sg') =>
    `${['S', 'G.'].join('')}${pseudo(`${label}1`, 22, B64URL)}.${pseudo(`${label}2`, 43, B64URL)}`,
  jwt: (label = 'jwt') =>
    `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${label}","iat":1700000000}`)}.${pseudo(label, 43, B64URL)}`,
  privateKey: (label = 'key', type = 'RSA') => {
    const body =
      pseudo(label, 256, B64)
        .match(/.{1,64}/g)
        ?.join('\n') ?? '';
    const dashes = '-'.repeat(5);
    return `${dashes}${'BEGIN'} ${type} PRIVATE ${'KEY'}${dashes}\n${body}\n${dashes}END ${type} PRIVATE KEY${dashes}`;
  },
  password: (label = 'pw') => pseudo(label, 20, `${ALNUM}!#%&`),
};
