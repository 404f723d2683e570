// A real Prometheus (Debian's `prometheus` package) for one test file: started on a free port with
// its own storage folder and a scrape config naming n8n's main and workers, queried through its
// HTTP API. Installed when missing and possible (scripts/ensure-prometheus.js), else the test
// fails saying what to install.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../../scripts/n8n/instance';

// A plain CommonJS script shared with `npm test`.
const { ensurePrometheus } = require('../../../scripts/ensure-prometheus') as { ensurePrometheus: () => string | undefined };

export interface ScrapeTarget {
  /** host:port serving /metrics. */
  address: string;
  /** Becomes the `role` label of every series scraped from it (main, worker). */
  role: string;
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** How often Prometheus scrapes (its minimum useful interval; the queries poll until the numbers settle). */
const SCRAPE_INTERVAL = '1s';

export class PrometheusServer {
  private exited: { code: number | null; signal: string | null } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly dir: string,
    readonly logFile: string,
  ) {
    child.once('exit', (code, signal) => {
      this.exited = { code, signal };
    });
  }

  /** Starts Prometheus scraping `targets` and waits until it answers queries. */
  static async start(targets: ScrapeTarget[], note: (line: string) => void): Promise<PrometheusServer> {
    const binary = ensurePrometheus();
    if (!binary)
      throw new Error(
        'prometheus is not installed and could not be installed here: install Debian\'s "prometheus" package (apt-get install prometheus) to run the metrics e2e tests',
      );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-e2e-prometheus-'));
    // JSON is YAML: the config needs no YAML writer.
    const config = {
      global: { scrape_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
      scrape_configs: [
        {
          job_name: 'n8n',
          metrics_path: '/metrics',
          static_configs: targets.map((target) => ({ targets: [target.address], labels: { role: target.role } })),
        },
      ],
    };
    const configFile = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    const port = await freePort();
    const logFile = path.join(dir, 'prometheus.log');
    const logFd = fs.openSync(logFile, 'a');
    const child = spawn(binary, [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', logFd, logFd],
    });
    fs.closeSync(logFd);
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`, dir, logFile);
    const started = Date.now();
    for (;;) {
      if (server.exited) throw new Error(`prometheus exited (${JSON.stringify(server.exited)}) before it was ready:\n${server.lastLog()}`);
      const ready = await fetch(`${server.url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() - started > 60_000) {
        await server.stop();
        throw new Error(`prometheus was not ready after 60 s:\n${server.lastLog()}`);
      }
      await sleep(200);
    }
    note(
      `prometheus ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${server.url}, scraping ${targets.map((t) => `${t.role} ${t.address}`).join(', ')}`,
    );
    return server;
  }

  /** An instant query; every series of the answer with its value. */
  async query(promql: string): Promise<Sample[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success' || !body.data) throw new Error(`prometheus refused the query ${promql}: ${body.error ?? response.status}`);
    if (body.data.resultType !== 'vector') throw new Error(`${promql}: expected a vector, got ${body.data.resultType}`);
    return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  /** The query's answer as `{ <value of label>: value }` (one label, e.g. `sum by (result) (...)`), or `{ '': value }` for a plain `sum(...)`. */
  async byLabel(promql: string, label = ''): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const sample of await this.query(promql)) out[label ? (sample.labels[label] ?? '') : ''] = sample.value;
    return out;
  }

  /**
   * Polls the query until its answer (by `label`) equals `expected`: scrapes come every second and
   * a number may still be on its way. Fails with the last answer seen.
   */
  async expectEventually(promql: string, label: string, expected: Record<string, number>, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen: Record<string, number> = {};
    for (;;) {
      seen = await this.byLabel(promql, label);
      if (sameNumbers(seen, expected)) return;
      if (Date.now() > deadline) {
        throw new Error(`prometheus: ${promql} is ${JSON.stringify(seen)} after ${timeoutMs / 1000} s, expected ${JSON.stringify(expected)}`);
      }
      await sleep(500);
    }
  }

  /** Waits until Prometheus has scraped every target successfully (each `up` is 1). */
  async waitForTargetsUp(count: number, timeoutMs = 30_000): Promise<void> {
    await this.expectEventually('sum(up)', '', { '': count }, timeoutMs);
  }

  lastLog(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Stops Prometheus; keeps its folder (config, log, data) when `keep` (a failed run). */
  async stop(keep = false): Promise<void> {
    if (!this.exited) {
      const exit = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    if (!keep) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function sameNumbers(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && a[key] === b[key]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
