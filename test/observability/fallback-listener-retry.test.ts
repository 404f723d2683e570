/**
 * Attack on SMS_GATEWAY_METRICS_PORT: (1) the port is still held when the first node runs (e.g.
 * the previous n8n process is still shutting down during a restart), then frees: nodes call
 * startFallbackListener on every run, but the failed server is cached process-wide and never
 * retried; (2) garbage HTTP on the port must not stop it serving.
 */
import { createServer, get } from 'http';
import type { Server } from 'http';
import { connect } from 'net';
import type { AddressInfo } from 'net';
import { metricFamilies } from '../../src/observability';
import { startFallbackListener } from '../../src/observability/fallback-listener';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
function fetchStatus(port: number, path = '/metrics'): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}
const tick = (ms = 100) => new Promise((r) => setTimeout(r, ms));

describe('attack: fallback listener', () => {
  const opened: Server[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((s) => new Promise((r) => s.close(r))));
  });

  it('a port busy at the first run and free later: the metrics come once it is free', async () => {
    const port = await freePort();
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const first = startFallbackListener(metricFamilies, port);
    if (first) opened.push(first);
    await tick();
    await new Promise((r) => squatter.close(r));
    // Later node runs call it again (observeWith on every run).
    for (let i = 0; i < 3; i++) {
      const s = startFallbackListener(metricFamilies, port);
      if (s && !opened.includes(s)) opened.push(s);
      await tick();
    }
    process.off('warning', onWarning);
    console.log('warnings', warnings);
    const status = await fetchStatus(port).catch((e: Error) => e.message);
    console.log('GET /metrics after the port freed:', status);
    expect(status).toBe(200);
  });

  it('garbage bytes and a bad request do not stop it serving', async () => {
    const port = await freePort();
    const server = startFallbackListener(metricFamilies, port) as Server;
    opened.push(server);
    await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
    for (const garbage of [
      '\x00\x01\x02\xff\r\n\r\n',
      'GET /metrics HTTP/9.9\r\nHost: \x00\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`,
      'POST /metrics HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
    ]) {
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => s.end(garbage, 'latin1'));
        s.on('close', () => resolve());
        s.on('error', () => resolve());
        s.resume();
      });
    }
    expect(await fetchStatus(port)).toBe(200);
    expect(await fetchStatus(port, '/metrics?x=%00')).toBe(200);
    expect(await fetchStatus(port, '/../metrics')).toBe(404);
  });
});
