/**
 * Puts the gateway's metrics on n8n's own /metrics.
 *
 * With N8N_METRICS=true, n8n (main and workers) serves `register.metrics()` of prom-client's
 * default registry, and that registry belongs to the copy of prom-client n8n itself loaded.
 * This package cannot depend on prom-client: its own copy would have its own default registry,
 * which n8n never serves (measured: the metrics simply do not appear). So we find n8n's copy at
 * run time: resolved from the main module of the process (n8n's `bin/n8n`), the same way n8n's
 * `require('prom-client')` resolved it, and used only when it is already loaded (n8n loads it
 * when metrics are on). Nothing here is a dependency, and outside n8n it is a no-op.
 *
 * prom-client's Registry formats any registered object whose `get()` returns
 * `{ name, help, type, values, aggregator }` (lib/registry.js, 15.x): that is all its own
 * Counter/Gauge/Histogram are to it. We register such objects reading our plain counters, so
 * the hot path never touches prom-client (whose `labels().inc()` hashes labels per call).
 *
 * Where this cannot work (n8n not the main module, metrics off, a registry of another shape),
 * SMS_GATEWAY_METRICS_PORT opens our own listener instead (see fallback-listener.ts).
 */
import { createRequire } from 'module';
import { processWide } from '../process-wide/shared-resource-pool';
import type { MetricFamily } from './metric-families';

/** The part of prom-client's Registry we use. */
export interface PromRegistry {
  registerMetric(metric: PromMetric): void;
  getSingleMetric(name: string): unknown;
}

/** What prom-client's Registry asks of a metric (see the comment above). */
export interface PromMetric {
  name: string;
  help: string;
  type: string;
  aggregator: 'sum';
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: 'sum';
    values: Array<{ labels: Record<string, string>; value: number; metricName?: string }>;
  }>;
}

/** prom-client's default registry as n8n loaded it, or null when n8n (or its prom-client) is not in this process. */
export function n8nPromRegistry(main: NodeJS.Module | undefined = require.main): PromRegistry | null {
  if (!main?.filename) return null;
  let path: string;
  try {
    path = createRequire(main.filename).resolve('prom-client');
  } catch {
    return null;
  }
  // Loaded already means n8n uses it; loading it ourselves would only make a registry nobody serves.
  const loaded = require.cache[path]?.exports as { register?: unknown } | undefined;
  return isRegistry(loaded?.register) ? loaded.register : null;
}

function isRegistry(value: unknown): value is PromRegistry {
  const r = value as Partial<PromRegistry> | undefined;
  return typeof r?.registerMetric === 'function' && typeof r.getSingleMetric === 'function';
}

export function asPromMetric(family: MetricFamily): PromMetric {
  const snapshot = () => ({
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator: 'sum' as const,
    values: family
      .samples()
      .map((s) => (s.suffix ? { labels: s.labels, value: s.value, metricName: `${family.name}${s.suffix}` } : { labels: s.labels, value: s.value })),
  });
  return { name: family.name, help: family.help, type: family.type, aggregator: 'sum', get: async () => snapshot() };
}

/**
 * Registers every family in `registry` (n8n's by default); again when the registry was cleared
 * meanwhile. Returns whether the metrics are now in it. Cheap to call often.
 */
export function exportToPrometheus(families: readonly MetricFamily[], registry: PromRegistry | null = n8nPromRegistry()): boolean {
  if (!registry || families.length === 0) return false;
  const done = processWide('observabilityExported', () => new WeakMap<object, PromMetric[]>());
  const first = done.get(registry)?.[0];
  if (first && registry.getSingleMetric(first.name) === first) return true;
  const metrics = families.map(asPromMetric);
  for (const metric of metrics) {
    try {
      registry.registerMetric(metric);
    } catch {
      // A name taken by another copy of this package in the same process: it serves the same numbers (processWide).
    }
  }
  done.set(registry, metrics);
  return true;
}
