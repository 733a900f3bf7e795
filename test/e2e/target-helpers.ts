import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { alive } from '../helpers.js';

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls until none of the pids is alive (zombies count as gone) and returns those left; a hang guard, not a timing. */
export async function gone(pids: number[], withinMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pids written into the named files of dir. */
export const pidsIn = (dir: string, names: string[]): number[] =>
  names.map((n) => Number(readFileSync(join(dir, n), 'utf8').trim()));

/** A spec whose target golive starts with `start` (YAML flow mapping) on the port, checked by the ops probes. */
export const startSpec = (port: number, start: string) => `version: 1
service: shop
release: v1.4.0
target:
  baseUrl: http://127.0.0.1:${port}
  start: ${start}
thresholds:
  ops.endpoints.failing: "== 0"
probes:
  ops: {}
criteria:
  - { id: AC-1, type: AC, title: Ops endpoints answer, evidence: [ops] }
`;
