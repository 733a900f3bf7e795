import { describe, expect, it } from 'vitest';
import { gitRepo, tree } from '../../test/helpers.js';
import {
  changelogCheck,
  ciCheck,
  envFiles,
  hasReleaseEntry,
  markdownLinks,
  readmeCheck,
  runbooksCheck,
  tagCheck,
} from './hygiene.js';

describe('readme and CI', () => {
  it('passes with a README and a workflow, fails without or when empty', () => {
    expect(readmeCheck(tree({ 'README.md': '# shop\n' })).status).toBe('pass');
    expect(readmeCheck(tree({ 'README.md': '  \n' }))).toMatchObject({ status: 'fail', summary: 'README.md is empty' });
    expect(readmeCheck(tree({ 'docs/README.md': 'x' })).status).toBe('fail');
    expect(ciCheck(tree({ '.github/workflows/ci.yml': 'on: push' }))).toMatchObject({ status: 'pass' });
    expect(ciCheck(tree({ '.gitlab-ci.yml': 'test: {}' })).summary).toContain('.gitlab-ci.yml');
    expect(ciCheck(tree({ 'README.md': 'x' })).status).toBe('fail');
  });
});

describe('changelog', () => {
  it('finds an entry for the release in Keep a Changelog and plain headings', () => {
    expect(hasReleaseEntry('# Changelog\n\n## [1.4.0] - 2024-05-01\n- x\n', 'v1.4.0')).toBe(true);
    expect(hasReleaseEntry('## v1.4.0\n', '1.4.0')).toBe(true);
    expect(hasReleaseEntry('v1.4.0\n======\n', 'v1.4.0')).toBe(true);
    expect(hasReleaseEntry('## 1.4.0-rc.1\n', 'v1.4.0')).toBe(false);
    expect(hasReleaseEntry('## 1.4.01\n', 'v1.4.0')).toBe(false);
    expect(hasReleaseEntry('- bumped to 1.4.0 in the text\n', 'v1.4.0')).toBe(false);
  });

  it('passes on presence alone without a release, fails when missing', () => {
    const dir = tree({ 'CHANGELOG.md': '# Changelog\n## 1.3.0\n' });
    expect(changelogCheck(dir, undefined, undefined).status).toBe('pass');
    expect(changelogCheck(dir, undefined, 'v1.4.0')).toMatchObject({
      status: 'fail',
      summary: 'CHANGELOG.md has no entry for v1.4.0',
    });
    expect(changelogCheck(tree(), undefined, 'v1').status).toBe('fail');
  });
});

describe('runbooks', () => {
  it('reads inline and reference links, skipping web links and anchors', () => {
    expect(
      markdownLinks(
        '- [Rollback](rollback.md#steps)\n- [Site](https://x.org)\n- [Top](#top)\n[db]: ./db%20restore.md\n',
      ),
    ).toEqual(['rollback.md', './db restore.md']);
  });

  it('passes when every linked runbook exists and names the missing ones otherwise', () => {
    const ok = tree({
      'docs/runbooks/README.md': '- [a](a.md)\n- [b](sub/b.md)\n',
      'docs/runbooks/a.md': 'a',
      'docs/runbooks/sub/b.md': 'b',
    });
    expect(runbooksCheck(ok, undefined)).toMatchObject({ status: 'pass', entries: ['a.md', 'sub/b.md'] });
    const broken = tree({ 'RUNBOOKS.md': '- [a](runbooks/a.md)\n- [b](runbooks/b.md)\n', 'runbooks/a.md': 'a' });
    expect(runbooksCheck(broken, undefined)).toMatchObject({
      status: 'fail',
      summary: 'RUNBOOKS.md: 1 of 2 runbooks missing: runbooks/b.md',
    });
    expect(runbooksCheck(tree({ 'ops.md': 'no links' }), 'ops.md').summary).toBe('ops.md links no runbooks');
    expect(runbooksCheck(tree(), 'ops/index.md').summary).toBe('no runbook index (looked for ops/index.md)');
  });
});

describe('env files', () => {
  it('flags .env and .env.<stage>, not templates', () => {
    expect(
      envFiles([
        '.env',
        'api/.env.production',
        '.env.example',
        '.env.sample',
        'src/env.ts',
        '.envrc',
        'config/.env.local',
      ]),
    ).toEqual(['.env', 'api/.env.production', 'config/.env.local']);
  });
});

describe('git tag', () => {
  it('finds v-prefixed or bare tags, and fails (not throws) outside a repository', async () => {
    const dir = tree({ 'README.md': 'x' });
    expect(await tagCheck(dir, 'v1.0.0')).toMatchObject({
      status: 'fail',
      summary: 'cannot list git tags: not a git repository',
    });
    gitRepo(dir, '1.0.0');
    expect(await tagCheck(dir, 'v1.0.0')).toMatchObject({ status: 'pass', summary: 'git tag 1.0.0 exists' });
    expect((await tagCheck(dir, 'v2.0.0')).status).toBe('fail');
    expect((await tagCheck(dir, undefined)).status).toBe('skipped');
  });
});
