import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoliveError } from '../errors.js';
import { discardOutDir, prepareOutDir } from './reports.js';

const temp = (): string => mkdtempSync(join(tmpdir(), 'golive-outdir-'));

// /proc/x (where a recursive mkdir spins for ever) is covered end to end in test/e2e/bounds.test.ts, under a kill guard.
describe('prepareOutDir', () => {
  it('creates the missing folders, and discardOutDir removes exactly those it created', () => {
    const root = temp();
    mkdirSync(join(root, 'kept'));
    const created = prepareOutDir(join(root, 'kept', 'a', 'b'));
    expect(created).toBe(join(root, 'kept', 'a'));
    expect(existsSync(join(root, 'kept', 'a', 'b'))).toBe(true);
    discardOutDir(join(root, 'kept', 'a', 'b'), created);
    expect(existsSync(join(root, 'kept', 'a'))).toBe(false);
    expect(existsSync(join(root, 'kept'))).toBe(true);
  });

  it('discardOutDir keeps a folder that is no longer empty, and its parents; an existing folder is not "created"', () => {
    const root = temp();
    const created = prepareOutDir(join(root, 'a', 'b'));
    writeFileSync(join(root, 'a', 'b', 'report.md'), '# kept');
    discardOutDir(join(root, 'a', 'b'), created);
    expect(prepareOutDir(join(root, 'a', 'b'))).toBeUndefined();
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
