import { execFile } from 'node:child_process';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync, type Dirent } from 'node:fs';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';

const execFileAsync = promisify(execFile);

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
  /** Paths of the text files read and handed to `onFile`, in walk order (sorted by path from git, per folder otherwise). */
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

/** Files read between two yields to the event loop, so Ctrl-C (SIGINT) is seen while the scan runs. */
const YIELD_EVERY = 32;

/** How long `git ls-files` may take before the scan falls back to reading the folder itself. */
const GIT_TIMEOUT_MS = 30_000;

/**
 * Lists the text files of the repository at `root` and hands each to
 * `onFile` as it is read (not kept, so memory stays flat on big trees).
 *
 * In a git work tree the files are what git has: every tracked file
 * (`git ls-files`), even one `.gitignore` lists — a `.env` committed and
 * ignored later is still in the repository and its history — plus the
 * untracked files `.gitignore` does not exclude. Outside git (or when git is
 * missing, fails, times out or lists nothing) the folder is walked with the
 * root's and every nested `.gitignore` honoured.
 *
 * Either way `.git`, `node_modules` and the other SKIP_DIRS are never read,
 * even when tracked (vendored dependencies are third-party code full of
 * sample keys; `npm audit` covers them), lockfiles are passed over, symlinks
 * are not followed. Binary files (NUL byte in the first 8000 bytes), files
 * over `maxFileSize` and unreadable ones are listed in `skipped` with the
 * reason instead of failing the scan. The walk yields to the event loop
 * every few files and stops when `signal` is aborted, keeping what was read.
 */
export async function walkRepository(
  root: string,
  maxFileSize: number,
  onFile: (file: RepoFile) => void,
  signal?: AbortSignal,
): Promise<WalkResult> {
  const result: WalkResult = { files: [], skipped: [], passedOver: 0 };
  const walk: Walk = { out: result, maxFileSize, onFile, signal, sinceYield: 0 };
  const listed = await gitFiles(root, signal);
  // Nothing listed: a folder inside a repository that git ignores as a whole. Reading it beats "0 files".
  if (listed?.length) {
    for (const path of listed) {
      if (signal?.aborted) break;
      await considerListed(root, path, walk);
    }
  } else {
    await visit(root, '', [], walk);
  }
  return result;
}

interface Walk {
  out: WalkResult;
  maxFileSize: number;
  onFile: (file: RepoFile) => void;
  /** Ctrl-C: stop walking and keep what was read. */
  signal: AbortSignal | undefined;
  /** Files read since the last yield to the event loop. */
  sinceYield: number;
}

interface Scope {
  /** Folder (relative to root, '' for the root) the .gitignore lives in. */
  base: string;
  rules: Ignore;
}

/**
 * The files git knows under `root` (tracked, and untracked but not ignored),
 * relative to `root`, sorted; undefined when `root` is not in a git work tree
 * or git is missing, fails or takes longer than GIT_TIMEOUT_MS.
 */
export async function gitFiles(root: string, signal?: AbortSignal): Promise<string[] | undefined> {
  try {
    const { stdout } = await execFileAsync(
      'git',
      // -z: raw paths (no quoting of unusual names); --full-name is not used, so paths are relative to root.
      ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: root,
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 512 * 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
        ...(signal ? { signal } : {}),
        // Never let a user's global config or a prompt change what is listed.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      },
    );
    // A path is listed twice when it is tracked and has merge stages; keep one.
    return [...new Set(stdout.split('\0').filter(Boolean))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return undefined;
  }
}

async function considerListed(root: string, path: string, walk: Walk): Promise<void> {
  const parts = path.split('/');
  const name = parts[parts.length - 1] as string;
  if (parts.slice(0, -1).some((d) => SKIP_DIRS.has(d))) return;
  let isFile: boolean;
  try {
    // lstat: a tracked symlink is not followed; a submodule is a folder, not a file.
    isFile = lstatSync(join(root, path)).isFile();
  } catch (e) {
    // Tracked but deleted in the working tree: nothing on disk to read.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    walk.out.skipped.push({ path, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? 'error' });
    return;
  }
  if (!isFile) return;
  await consider(root, path, name, walk);
}

async function visit(root: string, rel: string, scopes: Scope[], walk: Walk): Promise<void> {
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
      await visit(root, path, active, walk);
      continue;
    }
    await consider(root, path, entry.name, walk);
  }
}

/** Passes over lockfiles and binary extensions, reads the rest; yields to the event loop now and then. */
async function consider(root: string, path: string, name: string, walk: Walk): Promise<void> {
  if (LOCKFILES.has(name)) {
    walk.out.passedOver++;
    return;
  }
  if (BINARY_EXT.test(name)) {
    walk.out.skipped.push({ path, reason: 'binary' });
    return;
  }
  readOne(join(root, path), path, walk);
  if (++walk.sinceYield >= YIELD_EVERY) {
    walk.sinceYield = 0;
    await new Promise<void>((r) => setImmediate(r));
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
