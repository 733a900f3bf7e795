import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, type Dirent } from 'node:fs';
import { join, posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** A text file of the repository, read once and shared by every scanner. */
export interface RepoFile {
  /** Path relative to the scanned folder, with forward slashes. */
  path: string;
  text: string;
}

/** A file the scan did not read, and why; reported so "no secrets" is never claimed for unread files. */
export interface SkippedFile {
  path: string;
  reason: 'binary' | 'too large' | 'unreadable';
  detail?: string;
}

export interface WalkResult {
  /** Paths of the text files read and handed to `onFile`, in walk order (sorted per folder). */
  files: string[];
  skipped: SkippedFile[];
  /** Lockfiles and generated folders passed over on purpose (not counted as skipped). */
  passedOver: number;
}

/** Folders never entered: VCS data, installed dependencies, and golive's own store and reports. */
const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'bower_components',
  '.venv',
  'venv',
  '__pycache__',
  '.golive',
  'golive-report',
]);

/** Dependency lockfiles: machine-written, full of hashes that look like secrets. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'Cargo.lock',
  'Gemfile.lock',
  'composer.lock',
  'poetry.lock',
  'Pipfile.lock',
  'go.sum',
  'mix.lock',
  'packages.lock.json',
]);

/** Extensions that are binary by nature; read without sniffing would only waste time. */
const BINARY_EXT =
  /\.(?:png|jpe?g|gif|bmp|ico|webp|avif|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|class|so|dylib|dll|exe|bin|o|a|wasm|woff2?|ttf|otf|eot|mp[34]|mov|avi|webm|ogg|wav|flac|sqlite3?|db)$/i;

/** Bytes looked at for a NUL: the same heuristic as git and grep. */
const SNIFF_BYTES = 8000;

/**
 * Lists the text files under `root` the way git sees the working tree: the
 * root's and every nested `.gitignore` are honoured, `.git` and `node_modules`
 * are never entered, lockfiles are passed over, symlinks are not followed (no
 * loops, nothing outside the repository). Binary files (NUL byte in the first
 * 8000 bytes), files over `maxFileSize` and unreadable ones are listed in
 * `skipped` with the reason instead of failing the scan. Each text file is
 * handed to `onFile` as it is read and not kept, so memory stays flat on big trees.
 */
export function walkRepository(
  root: string,
  maxFileSize: number,
  onFile: (file: RepoFile) => void,
  signal?: AbortSignal,
): WalkResult {
  const result: WalkResult = { files: [], skipped: [], passedOver: 0 };
  visit(root, '', [], { out: result, maxFileSize, onFile, signal });
  return result;
}

interface Walk {
  out: WalkResult;
  maxFileSize: number;
  onFile: (file: RepoFile) => void;
  /** Ctrl-C: stop walking and keep what was read. */
  signal: AbortSignal | undefined;
}

interface Scope {
  /** Folder (relative to root, '' for the root) the .gitignore lives in. */
  base: string;
  rules: Ignore;
}

function visit(root: string, rel: string, scopes: Scope[], walk: Walk): void {
  const { out } = walk;
  const abs = rel ? join(root, rel) : root;
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (e) {
    out.skipped.push({ path: rel || '.', reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? 'error' });
    return;
  }
  const here = readGitignore(abs);
  const active = here ? [...scopes, { base: rel, rules: here }] : scopes;
  for (const entry of entries) {
    if (walk.signal?.aborted) return;
    const path = rel ? posix.join(rel, entry.name) : entry.name;
    const isDir = entry.isDirectory();
    if (isDir && SKIP_DIRS.has(entry.name)) continue;
    if (!isDir && !entry.isFile()) continue;
    if (ignored(active, path, isDir)) continue;
    if (isDir) {
      visit(root, path, active, walk);
      continue;
    }
    if (LOCKFILES.has(entry.name)) {
      out.passedOver++;
      continue;
    }
    if (BINARY_EXT.test(entry.name)) {
      out.skipped.push({ path, reason: 'binary' });
      continue;
    }
    readOne(join(root, path), path, walk);
  }
}

function readOne(abs: string, path: string, { out, maxFileSize, onFile }: Walk): void {
  let text: string;
  try {
    const size = statSync(abs).size;
    if (size > maxFileSize) {
      out.skipped.push({ path, reason: 'too large', detail: `${size} bytes` });
      return;
    }
    if (isBinary(abs)) {
      out.skipped.push({ path, reason: 'binary' });
      return;
    }
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    out.skipped.push({ path, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? 'error' });
    return;
  }
  out.files.push(path);
  onFile({ path, text });
}

function isBinary(abs: string): boolean {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

function readGitignore(dir: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

function ignored(scopes: Scope[], path: string, isDir: boolean): boolean {
  for (const { base, rules } of scopes) {
    const local = base ? path.slice(base.length + 1) : path;
    if (rules.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}
