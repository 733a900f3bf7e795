#!/usr/bin/env node
// Load-engine benchmark: golive vs autocannon vs wrk, same connections and duration,
// against nginx (Debian nginx-light, one worker, a 2-byte body) and a plain Node http server,
// all on loopback. Prints req/s and peak RSS side by side with ratios, then checks the open model.
//
//   node bench/load.js                       # 10 s runs, 50 connections
//   BENCH_SECONDS=5 BENCH_LONG=60 node bench/load.js
//
// Needs nginx and wrk on PATH (apt-get install -y nginx-light wrk) and `npm install` (autocannon).
// Not a test: nothing here asserts; it prints figures for docs/load.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const longSeconds = Number(process.env.BENCH_LONG ?? 0);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const openRate = Number(process.env.BENCH_RATE ?? 5000);
const openSeconds = Number(process.env.BENCH_OPEN_SECONDS ?? 30);

for (const bin of ['nginx', 'wrk']) {
  if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) {
    console.error(`bench: ${bin} is not on PATH; install it with: apt-get install -y nginx-light wrk`);
    process.exit(2);
  }
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startNginx() {
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-nginx-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  keepalive_requests 1000000;
  server { listen 127.0.0.1:${port}; location / { return 200 'ok'; } }
}
`,
  );
  const child = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGQUIT') };
}

async function startNode() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-e', `require('http').createServer((q,r)=>r.end('ok')).listen(${port},'127.0.0.1')`],
    { stdio: 'ignore' },
  );
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} never opened`);
}

/** Runs a command, sampling its peak RSS from /proc; returns stdout and peak RSS in MB. */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peak = 0;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        // process ended
      }
    }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 400)}`));
      resolve({ out, peak });
    });
  });
}

const golive = (url, extra) =>
  measure(process.execPath, [join(root, 'bin/golive.js'), 'load', url, '--json', ...extra]);

async function runTools(url, secs) {
  const w = await measure('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, url]);
  const wrkRps = Number(/Requests\/sec:\s+([\d.]+)/.exec(w.out)?.[1]);
  const a = await measure(process.execPath, [
    join(root, 'node_modules/autocannon/autocannon.js'),
    '-c',
    String(connections),
    '-d',
    String(secs),
    '-j',
    url,
  ]);
  const aj = JSON.parse(a.out);
  const acRps = aj.requests.total / aj.duration;
  const g = await golive(url, ['-c', String(connections), '-d', `${secs}s`]);
  const gj = JSON.parse(g.out);
  return {
    wrk: { rps: wrkRps, rss: w.peak },
    autocannon: { rps: acRps, rss: a.peak },
    golive: { rps: gj.rps, rss: g.peak, errors: gj.errors },
  };
}

const fmt = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(
  `golive load benchmark · ${seconds}s per run · ${connections} connections · closed model · one thread · node ${process.version}`,
);
for (const [name, start] of [
  ['nginx (1 worker, 2-byte body)', startNginx],
  ['node http', startNode],
]) {
  const server = await start();
  try {
    const r = await runTools(server.url, seconds);
    console.log(`\n${name}`);
    console.log(`  ${'tool'.padEnd(12)}${'req/s'.padStart(12)}${'peak RSS'.padStart(12)}`);
    for (const [tool, v] of Object.entries(r))
      console.log(`  ${tool.padEnd(12)}${fmt(v.rps).padStart(12)}${`${v.rss.toFixed(0)} MB`.padStart(12)}`);
    console.log(
      `  golive / autocannon = ${(r.golive.rps / r.autocannon.rps).toFixed(2)}×   golive / wrk = ${(r.golive.rps / r.wrk.rps).toFixed(2)}×   golive errors ${r.golive.errors}`,
    );
  } finally {
    server.stop();
  }
}

const nginx = await startNginx();
try {
  if (longSeconds) {
    const short = await golive(nginx.url, ['-c', String(connections), '-d', `${seconds}s`]);
    const long = await golive(nginx.url, ['-c', String(connections), '-d', `${longSeconds}s`]);
    console.log(
      `\ngolive RSS: ${seconds}s run ${short.peak.toFixed(0)} MB · ${longSeconds}s run ${long.peak.toFixed(0)} MB · growth ${(((long.peak - short.peak) / short.peak) * 100).toFixed(1)} %`,
    );
  }
  const open = await golive(nginx.url, ['--rate', `${openRate}/s`, '-d', `${openSeconds}s`]);
  const oj = JSON.parse(open.out);
  console.log(
    `\nopen model at ${fmt(openRate)} req/s for ${openSeconds}s against nginx: achieved ${oj.rps.toFixed(1)} req/s (${(((oj.rps - openRate) / openRate) * 100).toFixed(2)} %), dropped ${oj.dropped}, errors ${oj.errors}, p99 ${oj.latency.p99} ms (service time p99 ${oj.serviceTime.p99} ms), peak RSS ${open.peak.toFixed(0)} MB`,
  );
} finally {
  nginx.stop();
}
