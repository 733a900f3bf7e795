import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { metricSources, producedMetrics } from '../collect/registry.js';
import { loadSpecFile, type LoadedSpec } from '../spec/load.js';
import { openStore } from '../store/sqlite-store.js';
import type { EvidenceStore, ReleaseKey } from '../store/types.js';

/** Where to find the spec and how to read it; every library call takes these. */
export interface ProjectOptions {
  /**
   * Spec file, relative to cwd. Default: `golive.yaml` in cwd or the nearest
   * parent folder, up to the git root (see `findSpecFile`).
   */
  config?: string;
  /** Folder relative paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** Environment for `${VAR}` interpolation. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface Project {
  loaded: LoadedSpec;
  key: ReleaseKey;
  storePath: string;
}

/** The name `findSpecFile` looks for. */
export const SPEC_FILE_NAME = 'golive.yaml';

/**
 * The golive.yaml a command reads when no file is named: the one in `from` or
 * in the nearest parent folder, as git, eslint and vitest find their config.
 * The search stops at the root of the git repository `from` is in (the folder
 * holding `.git`), so a stray golive.yaml above a repository is never picked
 * up, and at the filesystem root outside a repository. Undefined when none.
 */
export function findSpecFile(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const file = join(dir, SPEC_FILE_NAME);
    if (isFile(file)) return file;
    const parent = dirname(dir);
    if (parent === dir || existsSync(join(dir, '.git'))) return undefined;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The spec file: `config` relative to cwd, else the one `findSpecFile` finds, else `golive.yaml` in cwd (to name it in the error). */
export function specPath(opts: ProjectOptions): string {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.config !== undefined) return resolve(cwd, opts.config);
  return findSpecFile(cwd) ?? resolve(cwd, SPEC_FILE_NAME);
}

/** Where reports go: `out` relative to cwd when given, else `golive-report/` (and `sub`) beside the spec. */
export function reportDir(project: Project, out: string | undefined, cwd: string, sub?: string): string {
  if (out !== undefined) return resolve(cwd, out);
  const dir = join(project.loaded.dir, 'golive-report');
  return sub ? join(dir, sub) : dir;
}

/** Loads and validates the spec; throws GL_SPEC_* with every problem at once. */
export function loadProject(opts: ProjectOptions): Project {
  const loaded = loadSpecFile(specPath(opts), opts.env ?? process.env, {
    produces: producedMetrics(),
    sources: (spec) => metricSources(spec),
  });
  return {
    loaded,
    key: { service: loaded.spec.service, release: loaded.spec.release },
    storePath: resolve(dirname(loaded.file), loaded.spec.store.path),
  };
}

/** Opens the project's store for the duration of `fn` and always closes it. */
export async function withStore<T>(project: Project, fn: (store: EvidenceStore) => Promise<T>): Promise<T> {
  const store = await openStore(project.storePath);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * Like withStore, for commands that only read the store or need a run in it
 * (history, report, audit verify, findings, signoff, decide …). When the store
 * file does not exist yet, `fn` gets an empty store that lives in memory: the
 * command answers exactly as on a store with no runs ("no runs yet: run golive
 * check") and leaves no .golive/ folder or file behind.
 */
export async function withExistingStore<T>(project: Project, fn: (store: EvidenceStore) => Promise<T>): Promise<T> {
  if (existsSync(project.storePath)) return withStore(project, fn);
  const store = await openStore(':memory:');
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
