import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecFile, specPath } from './project.js';

function dirs(paths: string[], files: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'golive-project-'));
  for (const p of paths) mkdirSync(join(root, p), { recursive: true });
  for (const f of files) writeFileSync(join(root, f), 'version: 1\n');
  return root;
}

describe('findSpecFile', () => {
  it('finds golive.yaml in the folder itself or the nearest parent', () => {
    const root = dirs(['a/b/c', 'a/b2'], ['golive.yaml', 'a/b/golive.yaml']);
    expect(findSpecFile(join(root, 'a', 'b', 'c'))).toBe(join(root, 'a', 'b', 'golive.yaml'));
    expect(findSpecFile(join(root, 'a', 'b'))).toBe(join(root, 'a', 'b', 'golive.yaml'));
    expect(findSpecFile(join(root, 'a', 'b2'))).toBe(join(root, 'golive.yaml'));
  });
  it('stops at the git root (the folder holding .git), which is still searched', () => {
    const root = dirs(['repo/.git', 'repo/src/deep'], ['golive.yaml']);
    expect(findSpecFile(join(root, 'repo', 'src', 'deep'))).toBeUndefined();
    writeFileSync(join(root, 'repo', 'golive.yaml'), 'version: 1\n');
    expect(findSpecFile(join(root, 'repo', 'src', 'deep'))).toBe(join(root, 'repo', 'golive.yaml'));
  });
  it('a .git file (a worktree or submodule) is a git root too; a folder named golive.yaml is not a spec', () => {
    const root = dirs(['wt/sub', 'wt2/golive.yaml'], ['golive.yaml']);
    writeFileSync(join(root, 'wt', '.git'), 'gitdir: /elsewhere\n');
    expect(findSpecFile(join(root, 'wt', 'sub'))).toBeUndefined();
    expect(findSpecFile(join(root, 'wt2'))).toBe(join(root, 'golive.yaml'));
  });
});

describe('specPath', () => {
  it('-c is relative to cwd and never searched; without it the found file, else cwd/golive.yaml', () => {
    const root = dirs(['x/y'], ['golive.yaml']);
    const cwd = join(root, 'x', 'y');
    expect(specPath({ cwd, config: 'other.yaml' })).toBe(join(cwd, 'other.yaml'));
    expect(specPath({ cwd })).toBe(join(root, 'golive.yaml'));
    const empty = dirs(['.git', 'q']);
    expect(specPath({ cwd: join(empty, 'q') })).toBe(join(empty, 'q', 'golive.yaml'));
  });
});
