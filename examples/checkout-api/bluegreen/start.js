// Blue-green staging for checkout-api on loopback, for golive's rollback drill.
//   blue  = the previous release (v1.3.2), green = the release under test (v1.4.0),
//   each a server.js on a free port, behind a proxy on PORT that sends traffic to one colour.
// The proxy is nginx when it is installed (Debian's nginx, reloaded by switch.js), else a small
// Node reverse proxy below (example code, so `npm run demo` works without nginx).
// BLUEGREEN_PROXY=nginx insists on nginx; BLUEGREEN_PROXY=node forces the Node proxy.
// Runs in the foreground; SIGTERM stops everything it started.
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { proxyPort, stateDir, upstreamConf } from './state.js';

const here = dirname(fileURLToPath(import.meta.url));
const port = proxyPort();
const dir = stateDir(port);
const previous = process.env.BLUE_VERSION ?? 'v1.3.2';
const next = process.env.GREEN_VERSION ?? 'v1.4.0';
const children = [];
let nodeProxy;

function findNginx() {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    try {
      accessSync(join(d, 'nginx'), constants.X_OK);
      return join(d, 'nginx');
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Starts server.js on a free port and resolves with the port it printed. */
function startColour(colour, version) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, '..', 'server.js')], {
      env: { ...process.env, PORT: '0', APP_VERSION: version },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`${colour} exited (${code}) before listening: ${out}`)));
  });
}

function nginxConf() {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp-body;
  proxy_temp_path ${dir}/tmp-proxy;
  fastcgi_temp_path ${dir}/tmp-fastcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi;
  scgi_temp_path ${dir}/tmp-scgi;
  include ${dir}/upstream.conf;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://live;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`;
}

function startNodeProxy() {
  let live = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  // switch.js rewrites state.json and sends SIGHUP, as nginx -s reload does.
  process.on('SIGHUP', () => {
    live = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  });
  nodeProxy = createServer((req, res) => {
    const upstream = live.live === 'blue' ? live.blue : live.green;
    const out = request(
      { host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(out);
  });
  return new Promise((resolve, reject) => {
    nodeProxy.once('error', reject);
    nodeProxy.listen(port, '127.0.0.1', resolve);
  });
}

function startNginx(bin) {
  writeFileSync(join(dir, 'nginx.conf'), nginxConf());
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`nginx exited (${code}); see ${dir}/error.log`)));
    const deadline = Date.now() + 10_000;
    const poll = () =>
      fetch(`http://127.0.0.1:${port}/health`)
        .then(() => resolve())
        .catch(() => (Date.now() > deadline ? reject(new Error('nginx did not answer')) : setTimeout(poll, 50)));
    poll();
  });
}

/** Stops the proxy and both colours, waits for them (bounded: 2 s), then removes the state folder. */
async function stop() {
  nodeProxy?.close();
  nodeProxy?.closeAllConnections();
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of running) c.kill('SIGTERM');
  await Promise.race([
    Promise.all(running.map((c) => new Promise((r) => c.once('exit', r)))),
    new Promise((r) => setTimeout(r, 2000)),
  ]);
  // After nginx has exited: it removes its pid file on the way out.
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

async function main() {
  const wanted = process.env.BLUEGREEN_PROXY;
  const nginx = wanted === 'node' ? undefined : findNginx();
  if (wanted === 'nginx' && !nginx) throw new Error('BLUEGREEN_PROXY=nginx but nginx is not installed');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // nginx workers of a root master run as nobody: they must reach the temp folders.
  chmodSync(dir, 0o755);
  const [blue, green] = await Promise.all([startColour('blue', previous), startColour('green', next)]);
  const state = { proxy: nginx ? 'nginx' : 'node', nginx, pid: process.pid, blue, green, live: 'green' };
  writeFileSync(join(dir, 'upstream.conf'), upstreamConf(green));
  writeFileSync(join(dir, 'state.json'), `${JSON.stringify(state)}\n`);
  if (nginx) await startNginx(nginx);
  else await startNodeProxy();
  console.log(
    `blue-green: blue ${previous} on :${blue}, green ${next} on :${green}; ${state.proxy} proxy on http://127.0.0.1:${port} → green`,
  );
  if (!nginx && wanted !== 'node') {
    console.log('nginx not found: using the Node proxy of bluegreen/start.js (apt-get install nginx-light)');
  }
}

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    stop().finally(() => process.exit(0));
  });
}
main().catch(async (e) => {
  console.error(`blue-green start failed: ${e.message}`);
  await stop();
  process.exit(1);
});
