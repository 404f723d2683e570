/**
 * Attack: a carrier (or anything posing as one) answers submit_sm with arbitrary command_status
 * values. Unknown codes become result="0x........" labels: one series each, never bounded
 * (sms_gateway_smpp_submits_total), plus one Map entry per code in SmppSubmitCounter.byStatus.
 */
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { gatewayMetrics } from '../../src/observability';
import { simpleSubmit } from '../support/messages';
import { startSandbox } from '../support/sandbox';

describe('attack: submit result cardinality', () => {
  let smsc: SandboxSmsc;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await smsc.stop();
  });

  it('1,000 distinct unknown command_status answers: result label stays bounded', async () => {
    const name = `card-${Date.now()}`;
    const lease = await acquireSmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'sandbox',
      password: 'sandbox',
      enquireLinkMs: 0,
      maxAttempts: 1,
      credentialName: name,
    });
    for (let i = 0; i < 1000; i++) {
      smsc.setFaults({ failRatio: 1, failStatus: 0x10000 + i * 7919 }); // codes no table names
      await lease.resource.submit(simpleSubmit('447700900001', 'x')).catch(() => undefined);
    }
    const series = gatewayMetrics()
      .smppSubmits.samples()
      .filter((s) => s.labels.credential === name);
    console.log(
      'result series for one credential:',
      series.length,
      series.slice(0, 3).map((s) => s.labels.result),
    );
    expect(series.length).toBeLessThan(100);
    await lease.release();
  });
});
