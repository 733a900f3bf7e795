import { parentPort, workerData } from 'node:worker_threads';
import { planAbort } from './abort.js';
import { feedFromRows } from './data.js';
import { runLoad } from './engine.js';
import type { WorkerJob, WorkerMessage } from './workers.js';

/** One worker thread: runs its share of a load test and posts progress and the result. */
const job = workerData as WorkerJob;
const controller = new AbortController();
if (job.interrupted) controller.abort();
parentPort?.on('message', (m: { type: 'stop' }) => {
  if (m.type === 'stop') controller.abort();
});
const post = (m: WorkerMessage): void => parentPort?.postMessage(m);
try {
  const result = await runLoad({
    ...job.options,
    ...(job.data ? { data: feedFromRows(job.data.rows, job.data.mode) } : {}),
    ...(job.abort
      ? { abortOnFail: { plan: planAbort(job.abort.thresholds, job.abort.prefix), afterMs: job.abort.afterMs } }
      : {}),
    signal: controller.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post({ type: 'result', result });
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
}
