import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Collector } from '../collect/collector.js';
import { GoliveError } from '../errors.js';
import type { Evidence } from '../model.js';
import { redactDeep, redactError, specRedactor } from '../spec/redact.js';
import type { Spec } from '../spec/schema.js';
import { runCollector } from './check.js';
import { loadProject, reportDir, withExistingStore, type ProjectOptions } from './project.js';
import { prepareOutDir } from './reports.js';

export interface CollectOneOptions extends ProjectOptions {
  collector: Collector;
  /** Where the evidence (evidence.json) and the collector's artifacts go. Relative to cwd; default `golive-report/<collector>` beside the spec. */
  outDir?: string;
  /** Ctrl-C: the collector stops and returns what it has. */
  signal?: AbortSignal;
  now?: () => Date;
  /** One-line progress notes (redacted). */
  onProgress?: (message: string) => void;
}

export interface CollectOneResult {
  evidence: Evidence;
  spec: Spec;
  /** The folder evidence.json and the artifacts were written to. */
  outDir: string;
}

/**
 * Runs one collector on its own, outside a full `golive check`: `golive drill
 * rollback`, `golive verify`, `golive probe`. The evidence is written (redacted)
 * to `<outDir>/evidence.json` beside the collector's artifacts, and is not
 * recorded as a run of the release: the gate decides on `golive check` runs,
 * which run the same collectors when the spec enables them. Throws GL_SPEC_*
 * when the spec does not configure the collector.
 */
export async function collectOne(opts: CollectOneOptions): Promise<CollectOneResult> {
  const now = opts.now ?? (() => new Date());
  const cwd = opts.cwd ?? process.cwd();
  const project = loadProject(opts);
  const { spec, dir: specDir, file } = project.loaded;
  const redact = specRedactor(project.loaded);
  const { collector } = opts;
  if (!collector.enabled(spec)) {
    throw new GoliveError('GL_SPEC_INVALID', `${file} does not configure ${collector.name}`, {
      hint: `add its section to the spec (see docs/spec.md), or run golive init for an example`,
    });
  }
  collector.prepare?.(spec, specDir);
  const outDir = reportDir(project, opts.outDir, cwd, collector.name);
  prepareOutDir(outDir);
  const attestations = await withExistingStore(project, (store) => store.listAttestations(project.key));
  const signal = opts.signal ?? new AbortController().signal;
  try {
    const raw = await runCollector(collector, {
      spec,
      specDir,
      artifactsDir: outDir,
      headers: spec.target.headers ?? {},
      attestations,
      redact,
      signal,
      progress: (message) => opts.onProgress?.(redact(message)),
      now,
    });
    const evidence = redactDeep(raw, redact);
    const path = join(outDir, 'evidence.json');
    writeFileSync(`${path}.tmp`, `${JSON.stringify(evidence, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
    return { evidence, spec, outDir };
  } catch (e) {
    throw redactError(e, redact);
  }
}
