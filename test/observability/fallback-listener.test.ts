/**
 * SMS_GATEWAY_METRICS_PORT: our own /metrics listener for when n8n's cannot carry the metrics.
 * Over real HTTP: the text a scraper gets passes Prometheus' own linter (`promtool check
 * metrics`, from Debian's prometheus package), other paths are 404, the port opens once per
 * process, and a port in use is a warning, never a crash of the node that asked for it.
 */
import { spawnSync } from 'child_process';
import { createServer } from 'http';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import { gatewayMetrics, metricFamilies } from '../../src/observability';
import { startFallbackListener } from '../../src/observability/fallback-listener';

// The same setup script npm test runs (plain CommonJS).
const { ensurePrometheus } = require('../../scripts/ensure-prometheus') as { ensurePrometheus: () => string | undefined };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function listening(server: Server): Promise<void> {
  if (server.listening) return;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
}

describe('the fallback /metrics listener (SMS_GATEWAY_METRICS_PORT)', () => {
  const opened: Server[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('is off unless the port is a TCP port number', () => {
    for (const port of [Number(undefined), 0, -1, 70_000, 80.5]) expect(startFallbackListener(metricFamilies, port)).toBeNull();
  });

  it("serves the gateway's metrics in a text promtool accepts, once per process; other paths are 404", async () => {
    const credential = `fallback "quoted" \\ name`;
    gatewayMetrics().smppSubmits.child(credential, 'ESME_ROK').value += 3;
    gatewayMetrics().smppSubmitLatency.child(credential).observe(0.02);
    const port = await freePort();
    const server = startFallbackListener(metricFamilies, port);
    if (!server) throw new Error('no listener');
    opened.push(server);
    await listening(server);
    // A second node in the same process gets the same listener, not EADDRINUSE.
    expect(startFallbackListener(metricFamilies, port)).toBe(server);

    const answer = await fetch(`http://127.0.0.1:${port}/metrics?x=1`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await answer.text();
    expect(text).toContain(`sms_gateway_smpp_submits_total{credential="fallback \\"quoted\\" \\\\ name",result="ESME_ROK"} 3`);
    expect(text).toContain(`sms_gateway_smpp_submit_latency_seconds_bucket{credential="fallback \\"quoted\\" \\\\ name",le="0.025"} 1`);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metricsx`)).status).toBe(404);

    const promtool = ensurePrometheus() ? 'promtool' : undefined;
    if (!promtool) throw new Error('promtool (Debian package prometheus) is needed to check the exposition format: apt-get install prometheus');
    const lint = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: lint.status, output: `${lint.stdout}${lint.stderr}`.trim() }).toEqual({ status: 0, output: '' });
  });

  it('a port another program holds is a warning; the caller carries on', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    opened.push(holder);
    const { port } = holder.address() as AddressInfo;
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(() => startFallbackListener(metricFamilies, port)).not.toThrow();
      for (let i = 0; i < 100 && warn.mock.calls.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warn.mock.calls).toEqual([
        [`SMS Gateway metrics listener on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port} (tried again at each node run)`],
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
