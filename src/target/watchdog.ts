import { readOwner } from './owner.js';
import { endTree, groupIsStillOurs } from './tree.js';

/**
 * The watchdog of a started target: a small process of its own (own session, so
 * Ctrl-C and a closed terminal do not reach it) whose stdin is a pipe from golive.
 * golive writes "release" on it once it has stopped the target itself. When the
 * pipe closes without that word, golive died (SIGKILL, a crash): the watchdog then
 * ends every process the owner file records or that carries the target's marker.
 *
 * Usage: node watchdog.js OWNER_FILE
 */
const file = process.argv[2];
let said = '';
let done = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  said += chunk;
});
const finish = async (): Promise<void> => {
  if (done) return;
  done = true;
  const rec = file && !said.includes('release') ? readOwner(file) : undefined;
  // Without /proc the group is all it can name, and only while its leader is provably the recorded root.
  if (rec?.target) await endTree(rec.target, 3000, groupIsStillOurs(rec.target));
  process.exit(0);
};
process.stdin.on('end', () => void finish());
process.stdin.on('close', () => void finish());
process.stdin.on('error', () => void finish());
