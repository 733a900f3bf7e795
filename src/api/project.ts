import { dirname, resolve } from 'node:path';
import { metricSources, producedMetrics } from '../collect/registry.js';
import { loadSpecFile, type LoadedSpec } from '../spec/load.js';
import { openStore } from '../store/sqlite-store.js';
import type { EvidenceStore, ReleaseKey } from '../store/types.js';

/** Where to find the spec and how to read it; every library call takes these. */
export interface ProjectOptions {
  /** Spec file, relative to cwd. Default `golive.yaml`. */
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

export function specPath(opts: ProjectOptions): string {
  return resolve(opts.cwd ?? process.cwd(), opts.config ?? 'golive.yaml');
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
