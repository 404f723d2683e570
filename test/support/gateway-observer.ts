/** What the observability tests read: the gateway's log lines, and series through a real prom-client Registry (as n8n's /metrics serves them). */
import { Registry } from 'prom-client';
import { metricFamilies } from '../../src/observability';
import type { GatewayLogger, LogFields } from '../../src/observability/gateway-logger';
import { exportToPrometheus } from '../../src/observability/n8n-prometheus';
import type { PromRegistry } from '../../src/observability/n8n-prometheus';

export class ArrayLogger implements GatewayLogger {
  readonly lines: Array<{ level: string; message: string; fields?: LogFields }> = [];
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }
  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }
}

/** A fresh prom-client Registry holding the gateway's metrics. */
export function registryWithGatewayMetrics(): Registry {
  const registry = new Registry();
  if (!exportToPrometheus(metricFamilies(), registry as unknown as PromRegistry)) throw new Error('the metrics were not registered');
  return registry;
}

/** The series of `name` whose credential is `credential`, keyed by their other label values joined with "," ('' when none). */
export async function seriesOf(registry: Registry, name: string, credential: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) throw new Error(`${name} is not in the registry`);
  const out: Record<string, number> = {};
  for (const value of metric.values as Array<{ labels: Record<string, string | number>; value: number }>) {
    const { credential: c, ...rest } = value.labels;
    if (c === credential) out[Object.values(rest).join(',')] = value.value;
  }
  return out;
}
