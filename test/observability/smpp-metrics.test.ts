/**
 * The metrics of one SMPP credential against the sandbox over TCP, read back through a real
 * prom-client Registry (the version n8n 2.40.7 serves /metrics with): submits by result add up
 * to what the sandbox answered, receipts by state and country match the sandbox's outcomes, and
 * a throttled burst writes one log line, not one per answer.
 */
import { Registry } from 'prom-client';
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { gatewayMetrics, metricFamilies } from '../../src/observability';
import { resetGatewayLog } from '../../src/observability/gateway-log';
import type { GatewayLogger, LogFields } from '../../src/observability/gateway-logger';
import { exportToPrometheus } from '../../src/observability/n8n-prometheus';
import type { PromRegistry } from '../../src/observability/n8n-prometheus';
import { prometheusText } from '../../src/observability/prometheus-text';
import { simpleSubmit } from '../support/messages';
import { startSandbox, waitFor } from '../support/sandbox';

class ArrayLogger implements GatewayLogger {
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

const UK = Array.from({ length: 30 }, (_, i) => String(447700900000 + i));
const DE = Array.from({ length: 10 }, (_, i) => String(4915100000000 + i));
const UNDELIVERED = [...UK.slice(0, 6), ...DE.slice(0, 5)];

describe('SMPP metrics of a credential', () => {
  let smsc: SandboxSmsc;
  let logger: ArrayLogger;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    logger = new ArrayLogger();
    resetGatewayLog(undefined, logger);
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 30, undeliveredTo: UNDELIVERED }, faults: { throttleRatio: 0.3 } });
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
    resetGatewayLog();
  });

  const config = (credentialName: string): SmppConnectionConfig => ({
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'sandbox',
    password: 'sandbox',
    windowSize: 10,
    enquireLinkMs: 0,
    responseTimeoutMs: 5000,
    credentialName,
  });

  it('counts submits by result, receipts by state and country, and latencies, as the sandbox saw them', async () => {
    const name = `metrics-${Date.now()}`;
    const lease = await acquireSmppTransport(config(name));
    const numbers = [...UK, ...DE];
    await Promise.all(numbers.map((to) => lease.resource.submit(simpleSubmit(to, 'count me', { registeredDelivery: 1 }))));
    await waitFor(() => smsc.stats.receiptsSent === numbers.length, 'every receipt sent');
    const m = gatewayMetrics();
    await waitFor(
      () =>
        m.receipts
          .samples()
          .filter((s) => s.labels.credential === name)
          .reduce((n, s) => n + s.value, 0) === numbers.length,
      'every receipt counted',
    );

    const submits = m.smppSubmits.samples().filter((s) => s.labels.credential === name);
    expect(submits.reduce((n, s) => n + s.value, 0)).toBe(smsc.stats.submits);
    expect(m.smppSubmits.get(name, 'ESME_ROK')).toBe(numbers.length);
    expect(smsc.stats.throttled).toBeGreaterThan(0);
    expect(m.smppSubmits.get(name, 'ESME_RTHROTTLED')).toBe(smsc.stats.throttled);
    expect(m.smppThrottled.get(name)).toBe(smsc.stats.throttled);
    expect(m.receipts.get(name, 'DELIVRD', 'GB')).toBe(24);
    expect(m.receipts.get(name, 'UNDELIV', 'GB')).toBe(6);
    expect(m.receipts.get(name, 'DELIVRD', 'DE')).toBe(5);
    expect(m.receipts.get(name, 'UNDELIV', 'DE')).toBe(5);
    expect(m.smppSubmitLatency.child(name).count).toBe(smsc.stats.submits);
    expect(m.receiptLatency.child(name).count).toBe(numbers.length);
    expect(m.receiptsUnknown.get(name)).toBe(0);
    expect(m.smppBound.get(name)).toBe(1);

    // Dozens of throttled answers: one line (a minute), not one each.
    const throttledLines = logger.lines.filter((l) => l.message.includes('throttling'));
    expect(throttledLines).toHaveLength(1);
    expect(throttledLines[0]).toMatchObject({ level: 'warn', fields: { credential: name, statusName: 'ESME_RTHROTTLED' } });
    await lease.release();
    // Closed while idle: the bind gauge's series goes (an idle credential is not a down link).
    expect(m.smppBound.samples().some((s) => s.labels.credential === name)).toBe(false);
  });

  it("reads the same numbers through prom-client's Registry as n8n serves them", async () => {
    const name = `prom-${Date.now()}`;
    const lease = await acquireSmppTransport(config(name));
    smsc.setFaults({ throttleRatio: 0 });
    await Promise.all(UK.slice(10, 14).map((to) => lease.resource.submit(simpleSubmit(to))));
    // prom-client's types name only its own classes; at run time it takes any metric with get() (see n8n-prometheus.ts).
    const registry = new Registry() as unknown as PromRegistry & Registry;
    expect(exportToPrometheus(metricFamilies(), registry)).toBe(true);
    // Twice is harmless (nodes call it on every run).
    expect(exportToPrometheus(metricFamilies(), registry)).toBe(true);
    const text = await registry.metrics();
    expect(text).toContain(`sms_gateway_smpp_submits_total{credential="${name}",result="ESME_ROK"} 4`);
    expect(text).toContain(`sms_gateway_smpp_bound{credential="${name}"} 1`);
    expect(text).toContain(`sms_gateway_smpp_in_flight{credential="${name}"} 0`);
    expect(text).toContain(`sms_gateway_smpp_submit_latency_seconds_bucket{credential="${name}",le="+Inf"} 4`);
    expect(text).toContain(`sms_gateway_smpp_submit_latency_seconds_count{credential="${name}"} 4`);
    expect(text).toContain('# TYPE sms_gateway_smpp_submit_latency_seconds histogram');
    // Our own formatter (the fallback listener) writes the same lines.
    const own = prometheusText(metricFamilies());
    for (const line of text.split('\n').filter((l) => l.includes(`"${name}"`))) expect(own).toContain(line);
    // A registry n8n cleared gets them again.
    registry.clear();
    expect(exportToPrometheus(metricFamilies(), registry)).toBe(true);
    expect(await registry.metrics()).toContain(`sms_gateway_smpp_submits_total{credential="${name}",result="ESME_ROK"} 4`);
    await lease.release();
  });
});
