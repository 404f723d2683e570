// Failover classes of failed messages, each failure kind produced for real: the sandbox SMSC over
// TCP refusing, throttling, staying silent after a write, or refusing one part of three.
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { Status } from '../../src/transport/smpp/command-status';
import { prepareSms } from '../../src/gateway/prepare-message';
import { sendPrepared } from '../../src/gateway/send-sms';
import { sendWithFailover } from '../../src/gateway/failover';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import type { SmppTransportOptions } from '../../src/transport/smpp/types';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';

const prepared = (to: string, text = 'Water supply interrupted until 18:00') => prepareSms({ to, from: 'CITYALERT', text });

describe('failover classes of failed messages (sandbox over TCP)', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  const open = async (extra: Partial<SmppTransportOptions> = {}): Promise<void> => {
    smsc = await startSandbox();
    transport = new SmppTransport({ ...sandboxTransportOptions(smsc), ...extra });
    await transport.start();
  };
  afterEach(async () => {
    smsc.setFaults({ stalled: false });
    await transport.close(100);
    await smsc.stop();
  });

  it('a permanent status before anything was accepted: refused, may go elsewhere', async () => {
    await open();
    smsc.setFaults({ failDestinations: ['447911123001'], failStatus: Status.invalidDestination });
    const r = await sendPrepared(transport, prepared('+447911123001'));
    expect(r).toMatchObject({ status: 'failed', failure: 'refused', retryElsewhere: true, messageIds: [] });
    expect(r.error).toMatch(/ESME_RINVDSTADR/);
  });

  it('throttled until the transport gave up: refused (every attempt answered), may go elsewhere', async () => {
    await open({ maxThrottleMs: 300 });
    smsc.setFaults({ throttleRatio: 1 });
    const r = await sendPrepared(transport, prepared('+447911123002'));
    expect(r).toMatchObject({ status: 'failed', failure: 'refused', retryElsewhere: true });
    expect(r.error).toMatch(/kept answering ESME_RTHROTTLED/);
    expect(smsc.store.list({ to: '447911123002' })).toEqual([]);
  });

  it('no answer after the submit was written: a possible duplicate, never elsewhere', async () => {
    await open({ responseTimeoutMs: 300, maxAttempts: 1, reconnectAttempts: 0 });
    smsc.setFaults({ stalled: true });
    const r = await sendPrepared(transport, prepared('+447911123003'));
    expect(r).toMatchObject({ status: 'failed', failure: 'possible_duplicate', retryElsewhere: false, possibleDuplicate: true });
    // The sandbox did take it: sending it elsewhere would have been the second copy.
    expect(smsc.stats.submits).toBe(1);
  });

  it('part 2 of 3 refused: partly accepted, never elsewhere (the phone has parts 1 and 3)', async () => {
    await open();
    smsc.setFaults({ failParts: [2], failStatus: Status.invalidDestination });
    const r = await sendPrepared(transport, prepared('+447911123004', 'x'.repeat(400)));
    expect(r).toMatchObject({ status: 'failed', parts: 3, failure: 'partly_accepted', retryElsewhere: false });
    expect(r.messageIds).toHaveLength(2);
  });

  it('the link closed before the message was written: not sent, may go elsewhere', async () => {
    await open();
    await transport.close(100);
    const r = await sendPrepared(transport, prepared('+447911123005'));
    expect(r).toMatchObject({ status: 'failed', failure: 'not_sent', retryElsewhere: true });
  });

  it('SMPP unanswered, then the modem refused too: still a possible duplicate', async () => {
    await open({ responseTimeoutMs: 300, maxAttempts: 1, reconnectAttempts: 0 });
    smsc.setFaults({ stalled: true });
    const r = await sendWithFailover({ smpp: transport, modem: () => Promise.reject(new Error('no SIM')) }, prepared('+447911123006'));
    expect(r).toMatchObject({ status: 'failed', route: 'modem', failure: 'possible_duplicate', retryElsewhere: false });
  });
});
