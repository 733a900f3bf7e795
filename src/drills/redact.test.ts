import { describe, expect, it } from 'vitest';
import { fakeSecrets } from '../../test/secret-corpus.js';
import { createRedactor } from '../spec/redact.js';
import { runCommand } from './command.js';
import { drillRedactor } from './redact.js';

// Built at runtime (test/secret-corpus.ts) so this file holds no secret-shaped literal.
const AWS = fakeSecrets.awsKeyId('drill-redact');
const GH = fakeSecrets.githubToken('drill-redact');
const LEAKS = ['UrlPw9xQ7zz', 'Sh3llPw8vK2q', AWS, GH, 'EnvPw4tT9mmq'];

describe('drillRedactor', () => {
  const redact = drillRedactor(createRedactor(['EnvPw4tT9mmq']));
  it('masks URL passwords, password=… pairs, literal keys and tokens, and the spec secrets', () => {
    const cmd = `pg_restore -d postgres://app:UrlPw9xQ7zz@127.0.0.1:5432/app && PGPASSWORD=Sh3llPw8vK2q psql "host=db password=Sh3llPw8vK2q" && AWS_ACCESS_KEY_ID=${AWS} aws s3 cp x y && curl -H "Authorization: token ${GH}" https://api && echo EnvPw4tT9mmq`;
    const out = redact(cmd);
    for (const leak of LEAKS) expect(out).not.toContain(leak);
    expect(out).toContain('postgres://app:***@127.0.0.1:5432/app');
    expect(out).toContain('PGPASSWORD=*** psql');
    expect(out).toContain('password=***');
    expect(out).toContain('[redacted]');
  });
  it('keeps what is not a secret, and $VAR references', () => {
    expect(redact('pg_dump -f /tmp/x.dump postgres://127.0.0.1/app')).toBe(
      'pg_dump -f /tmp/x.dump postgres://127.0.0.1/app',
    );
    expect(redact('PGPASSWORD=$DB_PW psql -h db')).toBe('PGPASSWORD=$DB_PW psql -h db');
  });
  it('is idempotent (evidence is redacted again as a whole)', () => {
    const once = redact(`postgres://app:UrlPw9xQ7zz@h/app password=Sh3llPw8vK2q ${AWS}`);
    expect(redact(once)).toBe(once);
  });
});

describe('runCommand redacts literal secrets without being told', () => {
  it('in the command line it returns, the output and the log file', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'golive-redact-')), 'out.log');
    const r = await runCommand({
      command: `echo postgres://app:UrlPw9xQ7zz@127.0.0.1/app ${AWS} password=Sh3llPw8vK2q`,
      cwd: process.cwd(),
      timeoutMs: 10_000,
      outputFile: file,
    });
    expect(r.ok).toBe(true);
    const log = readFileSync(file, 'utf8');
    for (const text of [r.command, r.output, log]) {
      for (const leak of LEAKS) expect(text).not.toContain(leak);
    }
    expect(r.output).toContain('postgres://app:***@127.0.0.1/app');
  });
});
