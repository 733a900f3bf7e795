import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoliveError } from '../errors.js';
import { prepareOutDir } from './reports.js';

const temp = (): string => mkdtempSync(join(tmpdir(), 'golive-outdir-'));

// /proc/x (where a recursive mkdir spins for ever) is covered end to end in test/e2e/bounds.test.ts, under a kill guard.
describe('prepareOutDir', () => {
  it('creates the missing folders, and discard() removes exactly those it created', () => {
    const root = temp();
    mkdirSync(join(root, 'kept'));
    const out = prepareOutDir(join(root, 'kept', 'a', 'b'));
    expect(existsSync(join(root, 'kept', 'a', 'b'))).toBe(true);
    out.discard();
    expect(existsSync(join(root, 'kept', 'a'))).toBe(false);
    expect(existsSync(join(root, 'kept'))).toBe(true);
  });

  it('discard() keeps a folder that is no longer empty, and its parents', () => {
    const root = temp();
    const out = prepareOutDir(join(root, 'a', 'b'));
    writeFileSync(join(root, 'a', 'b', 'report.md'), '# kept');
    out.discard();
    expect(existsSync(join(root, 'a', 'b', 'report.md'))).toBe(true);
  });

  it('refuses a folder under a regular file, naming both, and creates nothing', () => {
    const root = temp();
    writeFileSync(join(root, 'file'), 'x');
    let err: unknown;
    try {
      prepareOutDir(join(root, 'file', 'x', 'y'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GoliveError);
    expect((err as GoliveError).code).toBe('GL_FILE_NOT_WRITABLE');
    expect((err as GoliveError).message).toBe(
      `cannot write reports to ${join(root, 'file', 'x', 'y')}: ${join(root, 'file')} is a file, not a folder`,
    );
  });
});
