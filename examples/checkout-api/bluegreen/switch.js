// Switches checkout-api's blue-green proxy to one colour and waits until it serves that version.
//   node bluegreen/switch.js green   the deploy: traffic to the release under test
//   node bluegreen/switch.js blue    the rollback: traffic back to the previous release
// With nginx: rewrites the upstream include and runs `nginx -s reload` (graceful: in-flight
// requests finish on the old workers). With the Node proxy: rewrites state.json and sends SIGHUP.
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { proxyPort, stateDir, upstreamConf } from './state.js';

const colour = process.argv[2];
if (colour !== 'blue' && colour !== 'green') {
  console.error('usage: node bluegreen/switch.js blue|green');
  process.exit(2);
}
const port = proxyPort();
const dir = stateDir(port);
let state;
try {
  state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
} catch {
  console.error(
    `no blue-green proxy on port ${port} (${dir}/state.json missing): start it with node bluegreen/start.js`,
  );
  process.exit(1);
}
const upstream = state[colour];
const writeAtomically = (file, text) => {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};
console.log(`switching ${state.proxy} proxy :${port} from ${state.live} to ${colour} (:${upstream})`);
writeAtomically(join(dir, 'upstream.conf'), upstreamConf(upstream));
writeAtomically(join(dir, 'state.json'), `${JSON.stringify({ ...state, live: colour })}\n`);
if (state.proxy === 'nginx') {
  const r = spawnSync(state.nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-s', 'reload'], { encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  if (r.status !== 0) {
    console.error(`nginx -s reload failed (${r.status})`);
    process.exit(1);
  }
} else {
  process.kill(state.pid, 'SIGHUP');
}

// Done when the proxy serves the colour's version (bounded: 10 s).
const want = await (await fetch(`http://127.0.0.1:${upstream}/version`)).json();
const deadline = Date.now() + 10_000;
for (;;) {
  try {
    const seen = await (await fetch(`http://127.0.0.1:${port}/version`)).json();
    if (seen.version === want.version) break;
  } catch {
    // reloading
  }
  if (Date.now() > deadline) {
    console.error(`the proxy still does not serve ${want.version} after 10 s`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}
console.log(`live: ${colour} ${want.version}`);
