import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Check } from '../model.js';
import { plural } from '../plural.js';

/**
 * Docs and ops hygiene of a repository: README, CHANGELOG entry for the
 * release, runbook index whose links exist, CI configuration, a git tag for
 * the release, no committed .env files. Each returns one check; none throws.
 */

const README = /^readme(?:\.(?:md|markdown|rst|txt|adoc))?$/i;

export function readmeCheck(root: string): Check {
  const name = safeList(root).find((n) => README.test(n));
  if (!name) return { id: 'scan.readme', status: 'fail', summary: 'no README at the repository root' };
  const text = safeRead(join(root, name));
  if (!text?.trim()) return { id: 'scan.readme', status: 'fail', summary: `${name} is empty` };
  return { id: 'scan.readme', status: 'pass', summary: `${name} (${plural(text.split('\n').length, 'line')})` };
}

const CHANGELOG_NAMES = ['CHANGELOG.md', 'CHANGELOG', 'CHANGES.md', 'HISTORY.md', 'changelog.md', 'NEWS.md'];

/**
 * The changelog must exist and, when a release is known, have an entry for it:
 * a heading (Markdown `#`, or a line underlined by `===`/`---`) that names the
 * version, with or without a leading `v`, as Keep a Changelog writes `## [1.4.0] - 2024-05-01`.
 */
export function changelogCheck(root: string, configured: string | undefined, release: string | undefined): Check {
  const id = 'scan.changelog';
  const file = configured ?? CHANGELOG_NAMES.find((n) => existsSync(join(root, n)));
  const text = file ? safeRead(join(root, file)) : undefined;
  if (!file || text === undefined) {
    return { id, status: 'fail', summary: `no ${configured ?? 'CHANGELOG.md'} in the repository` };
  }
  if (!release) return { id, status: 'pass', summary: `${file} present (no release given to look for)` };
  if (hasReleaseEntry(text, release)) return { id, status: 'pass', summary: `${file} has an entry for ${release}` };
  return { id, status: 'fail', summary: `${file} has no entry for ${release}` };
}

export function hasReleaseEntry(text: string, release: string): boolean {
  const bare = release.replace(/^v(?=\d)/, '');
  const version = new RegExp(`(?:^|[^\\w.-])v?${escapeRegExp(bare)}(?![\\w.-]*\\w)`);
  const lines = text.split('\n');
  return lines.some((line, i) => {
    const heading = /^\s{0,3}#{1,6}\s/.test(line) || /^\s*(?:=+|-+)\s*$/.test(lines[i + 1] ?? '');
    return heading && version.test(line);
  });
}

const RUNBOOK_INDEXES = ['RUNBOOKS.md', 'runbooks/README.md', 'docs/runbooks/README.md', 'docs/runbooks.md'];

/**
 * The runbook index (Markdown) must exist, link at least one runbook, and every
 * relative link in it must point at a file that exists. Web links are not fetched.
 */
export function runbooksCheck(root: string, configured: string | undefined): Check & { entries: string[] } {
  const id = 'scan.runbooks';
  const index = configured ?? RUNBOOK_INDEXES.find((n) => existsSync(join(root, n)));
  const text = index ? safeRead(join(root, index)) : undefined;
  if (!index || text === undefined) {
    const looked = configured ? configured : RUNBOOK_INDEXES.join(', ');
    return { id, status: 'fail', summary: `no runbook index (looked for ${looked})`, entries: [] };
  }
  const entries = [...new Set(markdownLinks(text))];
  if (entries.length === 0) {
    return { id, status: 'fail', summary: `${index} links no runbooks`, entries };
  }
  const base = posix.dirname(index);
  const missing = entries.filter((e) => !existsSync(join(root, base, e)));
  if (missing.length) {
    return {
      id,
      status: 'fail',
      summary: `${index}: ${missing.length} of ${plural(entries.length, 'runbook')} missing: ${missing.join(', ')}`,
      entries,
    };
  }
  return { id, status: 'pass', summary: `${index}: ${plural(entries.length, 'runbook')}, all present`, entries };
}

/** Relative link targets of a Markdown text (inline `[x](path)` and reference `[x]: path`), anchors removed. */
export function markdownLinks(text: string): string[] {
  const out: string[] = [];
  const targets = [
    ...[...text.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
  ];
  for (const t of targets) {
    if (!t || /^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('#') || t.startsWith('/')) continue;
    const path = decodeURIComponent(t.replace(/[#?].*$/, ''));
    if (path) out.push(path);
  }
  return out;
}

const CI_FILES = [
  '.gitlab-ci.yml',
  '.circleci/config.yml',
  'Jenkinsfile',
  'azure-pipelines.yml',
  '.travis.yml',
  'bitbucket-pipelines.yml',
  '.buildkite/pipeline.yml',
  '.drone.yml',
  '.woodpecker.yml',
  'cloudbuild.yaml',
];

export function ciCheck(root: string): Check {
  const id = 'scan.ci';
  const workflows = safeList(join(root, '.github', 'workflows')).filter((n) => /\.ya?ml$/.test(n));
  if (workflows.length) {
    return {
      id,
      status: 'pass',
      summary: `GitHub Actions: ${workflows.map((w) => `.github/workflows/${w}`).join(', ')}`,
    };
  }
  const found = CI_FILES.filter((f) => existsSync(join(root, f)));
  if (found.length) return { id, status: 'pass', summary: `CI configuration: ${found.join(', ')}` };
  return {
    id,
    status: 'fail',
    summary: 'no CI configuration (.github/workflows, .gitlab-ci.yml, Jenkinsfile, .circleci …)',
  };
}

/** `.env` and `.env.production` hold real values; `.env.example` and friends document names only. */
const ENV_FILE = /(?:^|\/)\.env(?:\.[\w-]+)?$/;
const ENV_TEMPLATE = /\.(?:example|sample|template|dist|defaults?|schema)$/;

/** Paths of committed environment files among the repository's (non-ignored) files. */
export function envFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => ENV_FILE.test(p) && !ENV_TEMPLATE.test(p));
}

export function envFilesCheck(found: readonly string[]): Check {
  if (found.length === 0) return { id: 'scan.env-files', status: 'pass', summary: 'no .env files committed' };
  return { id: 'scan.env-files', status: 'fail', summary: `committed .env files: ${found.join(', ')}` };
}

/**
 * The release must have a git tag (`v1.4.0` or `1.4.0`). Runs `git tag --list`
 * in the scanned folder; "not a git repository" or no git at all is a failed
 * check with the reason, not a crash.
 */
export async function tagCheck(root: string, release: string | undefined): Promise<Check> {
  const id = 'scan.tag';
  if (!release) return { id, status: 'skipped', summary: 'no release given (scan with -c golive.yaml)' };
  const result = await git(root, ['tag', '--list']);
  if ('error' in result) return { id, status: 'fail', summary: `cannot list git tags: ${result.error}` };
  const tags = result.stdout.split('\n').map((t) => t.trim());
  const bare = release.replace(/^v(?=\d)/, '');
  const tag = tags.find((t) => t === release || t === bare || t === `v${bare}`);
  if (tag) return { id, status: 'pass', summary: `git tag ${tag} exists` };
  return { id, status: 'fail', summary: `no git tag for ${release} (git tag ${release} after the release commit)` };
}

function git(cwd: string, args: string[]): Promise<{ stdout: string } | { error: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ error: 'git is not installed' });
      const first = String(stderr).trim().split('\n')[0] ?? '';
      resolve({ error: /not a git repository/i.test(first) ? 'not a git repository' : first || err.message });
    });
  });
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function safeRead(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
