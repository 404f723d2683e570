/**
 * Our own /metrics listener, for when n8n's cannot carry the metrics (see n8n-prometheus.ts):
 * opened only when SMS_GATEWAY_METRICS_PORT is set, once per process. In queue mode give each
 * process its own port (main and every worker run their own connections).
 */
import { createServer } from 'http';
import type { Server } from 'http';
import { processWide } from '../process-wide/shared-resource-pool';
import type { MetricFamily } from './metric-families';
import { prometheusText } from './prometheus-text';

interface Listener {
  server: Server;
  /** 'failed': the port was busy (e.g. the previous n8n process still shutting down); the next node run tries again. */
  state: 'opening' | 'listening' | 'failed';
  warned: boolean;
}

export function startFallbackListener(
  families: () => readonly MetricFamily[],
  port = Number(process.env.SMS_GATEWAY_METRICS_PORT),
  host = process.env.SMS_GATEWAY_METRICS_HOST ?? '127.0.0.1',
): Server | null {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null;
  const listener = processWide(`observabilityListener:v2:${port}`, (): Listener => {
    const server = createServer((req, res) => {
      if (req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(prometheusText(families()));
    });
    const opened: Listener = { server, state: 'opening', warned: false };
    server.on('listening', () => {
      opened.state = 'listening';
    });
    // A busy port is reported once; the gateway keeps working without it, and each node run retries.
    server.on('error', (err) => {
      if (opened.state === 'opening') opened.state = 'failed';
      if (opened.warned) return;
      opened.warned = true;
      process.emitWarning(`SMS Gateway metrics listener on ${host}:${port}: ${err.message} (tried again at each node run)`);
    });
    server.listen(port, host);
    server.unref();
    return opened;
  });
  if (listener.state === 'failed') {
    listener.state = 'opening';
    listener.server.close();
    listener.server.listen(port, host);
  }
  return listener.server;
}
