// checkout-api: a small example service for golive's demo and tests.
// Plain Node, no dependencies. It exposes the ops endpoints seed 001 asks for:
// /health, /version, /metrics (Prometheus text format), /status, and a few API routes.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 4780);
const host = process.env.HOST ?? '127.0.0.1';
const version = process.env.APP_VERSION ?? 'v1.4.0';
const started = Date.now();
const counts = new Map();
const products = [
  { sku: 'sku-1', name: 'Espresso beans', price: 12.5 },
  { sku: 'sku-2', name: 'Pour-over kettle', price: 49 },
  { sku: 'sku-3', name: 'Ceramic dripper', price: 22 },
];

function send(res, status, body, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(text);
}

function metrics() {
  const lines = [
    '# HELP http_requests_total Requests served, by route and status.',
    '# TYPE http_requests_total counter',
  ];
  for (const [key, n] of counts) {
    const [route, status] = key.split(' ');
    lines.push(`http_requests_total{route="${route}",status="${status}"} ${n}`);
  }
  lines.push(
    '# HELP process_uptime_seconds Seconds since the process started.',
    '# TYPE process_uptime_seconds gauge',
    `process_uptime_seconds ${((Date.now() - started) / 1000).toFixed(3)}`,
    '# HELP nodejs_heap_used_bytes V8 heap in use.',
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${process.memoryUsage().heapUsed}`,
    '',
  );
  return lines.join('\n');
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = url.pathname.startsWith('/products/') ? '/products/:sku' : url.pathname;
  res.on('finish', () => counts.set(`${route} ${res.statusCode}`, (counts.get(`${route} ${res.statusCode}`) ?? 0) + 1));
  switch (route) {
    case '/health':
      return send(res, 200, { status: 'ok' });
    case '/version':
      return send(res, 200, { version, commit: 'demo' });
    case '/status':
      return send(res, 200, {
        status: 'operational',
        version,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      });
    case '/metrics':
      return send(res, 200, metrics(), 'text/plain; version=0.0.4');
    case '/products':
      return send(res, 200, products);
    case '/products/:sku': {
      const p = products.find((x) => x.sku === url.pathname.slice('/products/'.length));
      return p ? send(res, 200, p) : send(res, 404, { error: 'not found' });
    }
    default:
      return send(res, 404, { error: 'not found' });
  }
});

server.listen(port, host, () =>
  console.log(`checkout-api ${version} listening on http://${host}:${server.address().port}`),
);
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
