import { test, expect } from 'vitest';
import { startNginx } from './nginx.js';
test('nginx', async () => {
  const n = await startNginx('server { listen {{PORT}}; root {{ROOT}}; }', { 'index.html': 'hi' });
  const r = await fetch(n.url + '/');
  expect(await r.text()).toBe('hi');
  expect(r.headers.get('server')).toMatch(/nginx/);
  await n.reload('server { listen {{PORT}}; location / { return 200 "two"; } }');
  expect(await (await fetch(n.url + '/')).text()).toBe('two');
  await n.stop();
});
