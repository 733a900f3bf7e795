import { isGoliveError } from '../errors.js';

/** The problems (path: message, one per line) a spec-loading call throws; '' when it does not throw. For tests. */
export function problemsOf(load: () => unknown): string {
  try {
    load();
    return '';
  } catch (e) {
    if (!isGoliveError(e)) throw e;
    return e.problems.map((p) => `${p.path ?? ''}: ${p.message}`).join('\n');
  }
}
