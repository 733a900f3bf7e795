#!/usr/bin/env node
// Load-engine benchmark: golive vs autocannon vs wrk, same connections and duration,
// against nginx (Debian nginx-light, one worker, a 2-byte body) and a plain Node http server,
// all on loopback. Prints req/s and peak RSS side by side with ratios, then checks the open model.
//
//   node bench/load.js                       # 10 s runs, 50 connections
//   BENCH_SECONDS=5 BENCH_LONG=60 node bench/load.js
//   BENCH_ROUNDS=5 BENCH_SERVERS=nginx BENCH_OPEN_SECONDS=0 node bench/load.js   # the spread over 5 rounds
//   BENCH_PIPELINING=10 BENCH_SERVERS=nginx node bench/load.js                  # -p 10 against autocannon -p 10
//
// Other load on the machine moves every figure: compare ratios within one run, and use rounds for the spread.
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
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const servers = (process.env.BENCH_SERVERS ?? 'nginx,node').split(',');
const extra = (process.env.BENCH_GOLIVE_ARGS ?? '').split(' ').filter(Boolean);
// Pipelining is compared with autocannon at the same depth only (wrk pipelines only through a Lua script).
const pipelining = Number(process.env.BENCH_PIPELINING ?? 1);

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

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Runs a command, sampling its peak RSS and CPU time from /proc; returns stdout, peak RSS in MB, CPU seconds. */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peak = 0;
    let cpuTicks = 0;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        // utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks; the last sample is at most 100 ms old.
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuTicks = Number(fields[11]) + Number(fields[12]);
      } catch {
        // process ended
      }
    }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 400)}`));
      resolve({ out, peak, cpuSeconds: cpuTicks / clockTicks });
    });
  });
}

const golive = (url, extra) =>
  measure(process.execPath, [join(root, 'bin/golive.js'), 'load', url, '--json', ...extra]);

async function runTools(url, secs) {
  const w = pipelining > 1 ? undefined : await measure('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, url]);
  const wrkRps = w ? Number(/Requests\/sec:\s+([\d.]+)/.exec(w.out)?.[1]) : NaN;
  const a = await measure(process.execPath, [
    join(root, 'node_modules/autocannon/autocannon.js'),
    '-c',
    String(connections),
    '-d',
    String(secs),
    '-p',
    String(pipelining),
    '-j',
    url,
  ]);
  const aj = JSON.parse(a.out);
  const acRps = aj.requests.total / aj.duration;
  const g = await golive(url, ['-c', String(connections), '-p', String(pipelining), '-d', `${secs}s`, ...extra]);
  const gj = JSON.parse(g.out);
  return {
    ...(w ? { wrk: { rps: wrkRps, rss: w.peak, cpuUs: (w.cpuSeconds * 1e6) / (wrkRps * secs) } } : {}),
    autocannon: { rps: acRps, rss: a.peak, cpuUs: (a.cpuSeconds * 1e6) / aj.requests.total },
    golive: { rps: gj.rps, rss: g.peak, errors: gj.errors, cpuUs: (g.cpuSeconds * 1e6) / gj.requests },
  };
}

const fmt = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const spread = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted[Math.floor(sorted.length / 2)];
  return rounds > 1
    ? `median ${mid.toFixed(2)}× (min ${sorted[0].toFixed(2)}×, max ${sorted.at(-1).toFixed(2)}×)`
    : `${mid.toFixed(2)}×`;
};
console.log(
  `golive load benchmark · ${seconds}s per run · ${connections} connections · closed model · one thread${pipelining > 1 ? ` · pipelining ${pipelining} (golive and autocannon)` : ''} · node ${process.version}${rounds > 1 ? ` · ${rounds} rounds` : ''}${extra.length ? ` · golive ${extra.join(' ')}` : ''}`,
);
const serverStarters = { nginx: ['nginx (1 worker, 2-byte body)', startNginx], node: ['node http', startNode] };
for (const key of servers) {
  const [name, start] = serverStarters[key];
  const server = await start();
  try {
    console.log(`\n${name}`);
    console.log(
      `  ${'round'.padEnd(7)}${'tool'.padEnd(12)}${'req/s'.padStart(12)}${'peak RSS'.padStart(12)}${'CPU µs/req'.padStart(13)}`,
    );
    const vsAutocannon = [];
    const vsWrk = [];
    const cpuVsAutocannon = [];
    const cpuVsWrk = [];
    for (let round = 1; round <= rounds; round++) {
      const r = await runTools(server.url, seconds);
      for (const [tool, v] of Object.entries(r))
        console.log(
          `  ${String(round).padEnd(7)}${tool.padEnd(12)}${fmt(v.rps).padStart(12)}${`${v.rss.toFixed(0)} MB`.padStart(12)}${v.cpuUs.toFixed(1).padStart(13)}`,
        );
      console.log(
        `  ${''.padEnd(7)}golive / autocannon = ${(r.golive.rps / r.autocannon.rps).toFixed(2)}×${r.wrk ? `   golive / wrk = ${(r.golive.rps / r.wrk.rps).toFixed(2)}×` : ''}   golive errors ${r.golive.errors}`,
      );
      vsAutocannon.push(r.golive.rps / r.autocannon.rps);
      cpuVsAutocannon.push(r.golive.cpuUs / r.autocannon.cpuUs);
      if (r.wrk) cpuVsWrk.push(r.golive.cpuUs / r.wrk.cpuUs);
      if (r.wrk) vsWrk.push(r.golive.rps / r.wrk.rps);
    }
    console.log(
      `  golive / autocannon: ${spread(vsAutocannon)}${vsWrk.length ? `   golive / wrk: ${spread(vsWrk)}` : ''}`,
    );
    console.log(
      `  CPU per request, golive / autocannon: ${spread(cpuVsAutocannon)}${cpuVsWrk.length ? `   golive / wrk: ${spread(cpuVsWrk)}` : ''}`,
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
  if (openSeconds > 0) {
    const open = await golive(nginx.url, ['--rate', `${openRate}/s`, '-d', `${openSeconds}s`]);
    const oj = JSON.parse(open.out);
    console.log(
      `\nopen model at ${fmt(openRate)} req/s for ${openSeconds}s against nginx: achieved ${oj.rps.toFixed(1)} req/s (${(((oj.rps - openRate) / openRate) * 100).toFixed(2)} %), dropped ${oj.dropped}, errors ${oj.errors}, p99 ${oj.latency.p99} ms (service time p99 ${oj.serviceTime.p99} ms), peak RSS ${open.peak.toFixed(0)} MB`,
    );
  }
} finally {
  nginx.stop();
}
