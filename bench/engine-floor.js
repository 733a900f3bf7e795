#!/usr/bin/env node
// How far the load engine is above what Node itself costs: CPU time per request of a bare loop
// (50 sockets, write a request, read into a reused buffer, no parsing, no statistics) against
// golive's engine doing the same closed-model run, alternating, against nginx on loopback.
//
//   npm run build && node bench/engine-floor.js          # 3 rounds of 150,000 requests each
//   BENCH_REQUESTS=300000 BENCH_ROUNDS=5 node bench/engine-floor.js
//
// Needs nginx on PATH (apt-get install -y nginx-light). Not a test: it prints figures for docs/load.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runLoad } = await import(join(root, 'dist/load/engine.js'));
const N = Number(process.env.BENCH_REQUESTS ?? 150_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = 50;

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'golive-floor-nginx-'));
writeFileSync(
  join(dir, 'nginx.conf'),
  `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  keepalive_requests 1000000; server { listen 127.0.0.1:${port}; location / { return 200 'ok'; } } }
`,
);
const nginx = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) {
  const up = await new Promise((r) => {
    const s = connect(port, '127.0.0.1', () => (s.destroy(), r(true))).on('error', () => r(false));
  });
  if (up) break;
  await new Promise((r) => setTimeout(r, 50));
}

/** µs of CPU (user + system) per request. */
async function bare() {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: golive\r\n\r\n`, 'latin1');
  const buffer = Buffer.allocUnsafe(65536);
  let n = 0;
  const before = process.cpuUsage();
  await new Promise((resolve) => {
    const sockets = [];
    for (let i = 0; i < connections; i++) {
      const s = connect(
        {
          port,
          host: '127.0.0.1',
          onread: {
            buffer,
            callback: () => {
              // One 2-byte response per read on loopback: count it and send the next request.
              if (++n >= N) {
                for (const x of sockets) x.destroy();
                resolve();
              } else s.write(request);
              return true;
            },
          },
        },
        () => s.write(request),
      );
      s.setNoDelay(true);
      sockets.push(s);
    }
  });
  const c = process.cpuUsage(before);
  return (c.user + c.system) / n;
}

async function engine() {
  const before = process.cpuUsage();
  const r = await runLoad({
    baseUrl: `http://127.0.0.1:${port}`,
    requests: [{ name: 'GET /', method: 'GET', path: '/' }],
    executor: 'constant-connections',
    connections,
    maxRequests: N,
    durationMs: 120_000,
  });
  const c = process.cpuUsage(before);
  return (c.user + c.system) / r.requests;
}

try {
  await engine(); // warm up the JIT
  console.log(`CPU µs per request, ${N} requests, ${connections} connections, closed model, node ${process.version}`);
  for (let i = 1; i <= rounds; i++) {
    const b = await bare();
    const e = await engine();
    console.log(
      `  round ${i}: bare loop ${b.toFixed(2)}  ·  golive engine ${e.toFixed(2)}  ·  engine / bare ${(e / b).toFixed(2)}×`,
    );
  }
} finally {
  nginx.kill('SIGQUIT');
}
