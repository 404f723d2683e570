/**
 * FailoverPartSender: code that submits part by part (sendPrepared, the broadcast runner) still
 * gets message-level failover. Real sandbox SMSC over TCP, simulated modem over a pty.
 */
import { concatOf, FailoverPartSender } from '../../src/gateway/failover-part-sender';
import type { FailoverRoutes, RoutedParts } from '../../src/gateway/failover';
import { prepareSms } from '../../src/gateway/prepare-message';
import { sendPrepared } from '../../src/gateway/send-sms';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { Status } from '../../src/transport/smpp/command-status';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { startModemFixture } from '../transport/modem/modem-fixture';
import type { ModemFixture } from '../transport/modem/modem-fixture';

const longText = (word: string): string => `${word} `.repeat(60).trim();

describe('concatOf', () => {
  it('reads the concat header from a UDH (8 and 16 bit) and from SAR TLVs, and nothing from a single part', () => {
    const text = 'q'.repeat(200);
    for (const concat of ['udh8', 'udh16', 'sar'] as const) {
      const { pdus } = prepareSms({ to: '+447911000001', text, concat }, { from: 'X' });
      const infos = pdus.map(concatOf);
      expect(infos.map((c) => [c?.total, c?.seq])).toEqual([
        [2, 1],
        [2, 2],
      ]);
      expect(new Set(infos.map((c) => c?.ref)).size).toBe(1);
    }
    expect(concatOf(prepareSms({ to: '+447911000001', text: 'short' }, { from: 'X' }).pdus[0])).toBeUndefined();
  });
});

describe('FailoverPartSender (sandbox SMSC over TCP, simulated modem over a pty)', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  let modem: ModemFixture;
  let routes: FailoverRoutes;
  let routed: Array<{ destination: string; routed: RoutedParts }>;
  let sender: FailoverPartSender;

  beforeEach(async () => {
    smsc = await startSandbox();
    transport = new SmppTransport(sandboxTransportOptions(smsc, { maxAttempts: 2 }));
    await transport.start();
    modem = await startModemFixture();
    routes = { smpp: transport, modem: async () => modem.modem };
    routed = [];
    sender = new FailoverPartSender(routes, (destination, outcome) => routed.push({ destination, routed: outcome }));
  });
  afterEach(async () => {
    await transport.close(100);
    await smsc.stop();
    await modem.stop();
  });

  it('routes each long message as a whole: one by SMPP, the one the carrier fails by modem', async () => {
    smsc.setFaults({ failDestinations: ['447911000002'], failStatus: Status.systemError });
    const ok = prepareSms({ to: '+447911000001', text: longText('alpha') }, { from: 'CITYALERT' });
    const moved = prepareSms({ to: '+447911000002', text: longText('bravo') }, { from: 'CITYALERT' });
    const [viaSmpp, viaModem] = await Promise.all([sendPrepared(sender, ok), sendPrepared(sender, moved)]);

    expect(viaSmpp).toMatchObject({ status: 'accepted', parts: ok.pdus.length });
    expect(smsc.store.list({ to: '447911000001' })).toHaveLength(ok.pdus.length);
    expect(viaModem).toMatchObject({ status: 'accepted', parts: moved.pdus.length });
    const sent = modem.sim.simulator.sent;
    expect(sent.map((s) => s.concat?.seq)).toEqual(moved.pdus.map((_, i) => i + 1));
    expect(sent.map((s) => s.text).join('')).toBe(longText('bravo'));
    expect(routed.map((r) => [r.destination, r.routed.route]).sort()).toEqual([
      ['447911000001', 'smpp'],
      ['447911000002', 'modem'],
    ]);
    expect(routed.find((r) => r.routed.route === 'modem')?.routed.smppError).toMatch(/ESME_RSYSERR/);
  });

  it('leaves a permanent refusal on SMPP and names both routes when both fail', async () => {
    smsc.setFaults({ failDestinations: ['447911000003'], failStatus: Status.invalidDestination });
    const refused = await sendPrepared(sender, prepareSms({ to: '+447911000003', text: 'x' }, { from: 'CITYALERT' }));
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused.error).toMatch(/^carrier rejected the message: ESME_RINVDSTADR/);
    expect(modem.sim.simulator.sent).toHaveLength(0);

    smsc.setFaults({ failDestinations: ['447911000004'], failStatus: Status.systemError });
    modem.sim.simulator.failNextSend(21);
    const both = await sendPrepared(sender, prepareSms({ to: '+447911000004', text: 'y' }, { from: 'CITYALERT' }));
    expect(both.status).toBe('failed');
    expect(both.error).toMatch(/^SMPP: carrier rejected the message: ESME_RSYSERR.*; modem: .*short message transfer rejected/);
  });
});
