import { Worker } from 'node:worker_threads';
import type { LoadOptions, LoadProgress } from './engine.js';
import { mergeParallel } from './merge.js';
import { shareOf } from './segment.js';
import type { LoadResult } from './stats.js';

/** What a worker is given: serializable options (no callbacks), data rows, abort thresholds. */
export interface WorkerJob {
  options: Omit<LoadOptions, 'signal' | 'onProgress' | 'abortOnFail' | 'data'>;
  data?: { rows: Array<Record<string, string>>; mode: 'sequential' | 'random' | 'unique' };
  abort?: { thresholds: Array<{ name: string; expr: string }>; prefix: string; afterMs: number };
  /** Ctrl-C came before the worker started: it sends nothing and reports an interrupted run. */
  interrupted?: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };

/**
 * Runs one load test on several cores: each worker thread takes its share of
 * the rate (or stages), connections, request count and in-flight bound; the
 * results merge exactly (HDR histograms add). A unique data feed is split by
 * rows so no row is used twice.
 */
export async function runLoadInWorkers(
  job: WorkerJob,
  workers: number,
  hooks: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {},
): Promise<LoadResult> {
  const o = job.options;
  const latest: LoadProgress[] = [];
  const runs = Array.from({ length: workers }, (_, k) => {
    const seg = { index: k + 1, count: workers };
    const share: WorkerJob = {
      ...job,
      options: {
        ...o,
        ...(o.rate !== undefined ? { rate: o.rate / workers } : {}),
        ...(o.stages ? { stages: o.stages.map((s) => ({ ...s, target: s.target / workers })) } : {}),
        ...(o.startRate !== undefined ? { startRate: o.startRate / workers } : {}),
        connections: Math.max(1, shareOf(o.connections, seg)),
        ...(o.maxRequests !== undefined ? { maxRequests: shareOf(o.maxRequests, seg) } : {}),
        ...(o.maxInFlight !== undefined ? { maxInFlight: Math.max(1, shareOf(o.maxInFlight, seg)) } : {}),
      },
      ...(job.data
        ? {
            data: {
              ...job.data,
              rows: job.data.mode === 'unique' ? job.data.rows.filter((_, i) => i % workers === k) : job.data.rows,
            },
          }
        : {}),
    };
    // Ctrl-C may already have come (during the reachability check): the worker then starts stopped.
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { ...share, ...(hooks.signal?.aborted ? { interrupted: true } : {}) },
    });
    const stop = (): void => worker.postMessage({ type: 'stop' });
    hooks.signal?.addEventListener('abort', stop, { once: true });
    // A listener added to a signal already aborted never fires.
    if (hooks.signal?.aborted) stop();
    return new Promise<LoadResult>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') {
          latest[k] = m.progress;
          hooks.onProgress?.(sumProgress(latest));
        } else if (m.type === 'result') {
          resolve(m.result);
          void worker.terminate();
        } else {
          reject(new Error(m.message));
          void worker.terminate();
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        hooks.signal?.removeEventListener('abort', stop);
        // terminate() after the result exits with code 1; only an exit before any answer is an error.
        reject(new Error(`load worker ${k + 1} stopped (exit code ${code}) before it sent a result`));
      });
    });
  });
  const results = await Promise.all(runs);
  const merged = mergeParallel(results);
  const stoppedBy = mergedStoppedBy(results);
  return { ...merged, ...(stoppedBy ? { stoppedBy } : {}) };
}

function sumProgress(parts: LoadProgress[]): LoadProgress {
  const live = parts.filter(Boolean);
  return {
    elapsedMs: Math.max(...live.map((p) => p.elapsedMs)),
    totalMs: live[0]?.totalMs,
    requests: live.reduce((a, p) => a + p.requests, 0),
    rps: live.reduce((a, p) => a + p.rps, 0),
    p99: Math.max(...live.map((p) => p.p99)),
    errors: live.reduce((a, p) => a + p.errors, 0),
    dropped: live.reduce((a, p) => a + p.dropped, 0),
    inFlight: live.reduce((a, p) => a + p.inFlight, 0),
  };
}

/**
 * Why the shares of one test stopped early, as one reason: an interrupt wins
 * (Ctrl-C must exit 3 whichever worker saw it first), then the first other
 * reason (abort-on-fail, a unique feed run out).
 */
export function mergedStoppedBy(results: Array<Pick<LoadResult, 'stoppedBy'>>): string | undefined {
  if (results.some((r) => r.stoppedBy === 'interrupted')) return 'interrupted';
  return results.find((r) => r.stoppedBy)?.stoppedBy;
}
