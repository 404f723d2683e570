/**
 * Message-level failover with real parts: an SmppTransport bound to the sandbox SMSC over TCP,
 * and a GsmModem on the simulated modem behind a real pseudo-terminal.
 */
import { prepareSms } from '../../src/gateway/prepare-message';
import type { PreparedSms } from '../../src/gateway/prepare-message';
import { isRouteFailure, MODEM_SENDER, sendByModem, sendWithFailover } from '../../src/gateway/failover';
import type { FailoverRoutes } from '../../src/gateway/failover';
import type { PartSender } from '../../src/gateway/send-sms';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { Status } from '../../src/transport/smpp/command-status';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { SmppSubmitError } from '../../src/transport/smpp/types';
import { sandboxTransportOptions, startSandbox } from '../support/sandbox';
import { startModemFixture } from '../transport/modem/modem-fixture';
import type { ModemFixture } from '../transport/modem/modem-fixture';

const prepare = (to: string, text: string): PreparedSms => prepareSms({ to, text }, { from: 'CITYALERT' });

/** The texts the simulated phone network received, joined per message reference group. */
function phoneTexts(fixture: ModemFixture): string[] {
  return fixture.sim.simulator.sent.map((s) => s.text);
}

describe('isRouteFailure: which SMPP failures move a message to the modem', () => {
  const err = (reason: ConstructorParameters<typeof SmppSubmitError>[1], status?: number) => new SmppSubmitError('x', reason, status);

  it('moves route failures and temporary carrier errors', () => {
    expect(isRouteFailure(err('retries_exhausted'))).toBe(true);
    expect(isRouteFailure(err('throttled_too_long', Status.throttled))).toBe(true);
    expect(isRouteFailure(err('queue_full'))).toBe(true);
    expect(isRouteFailure(err('closed'))).toBe(true);
    expect(isRouteFailure(err('rejected', Status.systemError))).toBe(true);
    expect(isRouteFailure(err('rejected', Status.msgQueueFull))).toBe(true);
    expect(isRouteFailure(err('rejected', Status.invalidBindStatus))).toBe(true);
  });

  it('keeps errors about the message itself, and anything that is not an SMPP submit error', () => {
    expect(isRouteFailure(err('rejected', Status.invalidDestination))).toBe(false);
    expect(isRouteFailure(err('rejected', 0x0a))).toBe(false); // ESME_RINVSRCADR
    expect(isRouteFailure(err('rejected'))).toBe(false);
    expect(isRouteFailure(err('invalid'))).toBe(false);
    expect(isRouteFailure(new Error('connection lost'))).toBe(false);
  });
});

describe('sendWithFailover (sandbox SMSC over TCP, simulated modem over a pty)', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  let modem: ModemFixture;
  let modemOpens: number;
  let routes: FailoverRoutes;

  beforeEach(async () => {
    smsc = await startSandbox();
    transport = new SmppTransport(sandboxTransportOptions(smsc, { maxAttempts: 2, responseTimeoutMs: 300, connectTimeoutMs: 300, reconnectAttempts: 2 }));
    await transport.start();
    modem = await startModemFixture({}, { retryDelayMs: 10 });
    modemOpens = 0;
    routes = {
      smpp: transport,
      modem: async () => {
        modemOpens++;
        return modem.modem;
      },
    };
  });
  afterEach(async () => {
    await transport.close(100);
    await smsc.stop();
    await modem.stop();
  });

  it('sends by SMPP while the carrier takes messages, without touching the modem', async () => {
    const result = await sendWithFailover(routes, prepare('+447911000001', 'Water main repaired'));
    expect(result).toMatchObject({ route: 'smpp', status: 'accepted', from: 'CITYALERT', parts: 1 });
    expect(result.smppError).toBeUndefined();
    expect(smsc.store.list({ to: '447911000001' }).map((m) => m.text)).toEqual(['Water main repaired']);
    expect(modemOpens).toBe(0);
    expect(modem.sim.simulator.sent).toHaveLength(0);
  });

  it('moves a message the carrier keeps failing with a temporary error to the modem, saying why', async () => {
    smsc.setFaults({ failRatio: 1, failStatus: Status.systemError });
    const result = await sendWithFailover(routes, prepare('+447911000002', 'Road closed at the bridge'));
    expect(result).toMatchObject({ route: 'modem', status: 'accepted', from: MODEM_SENDER, to: '+447911000002', parts: 1 });
    expect(result.smppError).toMatch(/ESME_RSYSERR.*after 2 attempts/);
    expect(result.messageIds).toEqual([String(modem.sim.simulator.sent[0].messageReference)]);
    expect(phoneTexts(modem)).toEqual(['Road closed at the bridge']);
    expect(modem.sim.simulator.sent[0].submit.destination.address).toMatch(/^\+?447911000002$/);
    expect(smsc.store.list()).toHaveLength(0);
  });

  it('moves every part of a long message, which the phone can join again', async () => {
    smsc.setFaults({ failRatio: 1, failStatus: Status.systemError });
    const text = 'Flood warning for the river district. '.repeat(8).trim();
    const result = await sendWithFailover(routes, prepare('+447911000003', text));
    expect(result).toMatchObject({ route: 'modem', status: 'accepted' });
    const sent = modem.sim.simulator.sent;
    expect(sent).toHaveLength(result.parts);
    expect(result.parts).toBeGreaterThan(1);
    expect(new Set(sent.map((s) => s.concat?.ref)).size).toBe(1);
    expect(sent.map((s) => s.concat?.seq)).toEqual(sent.map((_, i) => i + 1));
    expect(sent.map((s) => s.text).join('')).toBe(text);
  });

  it('does not move a message the carrier refused for its destination (it would fail anywhere)', async () => {
    smsc.setFaults({ failDestinations: ['447911000004'], failStatus: Status.invalidDestination });
    const result = await sendWithFailover(routes, prepare('+447911000004', 'hello'));
    expect(result).toMatchObject({ route: 'smpp', status: 'failed' });
    expect(result.error).toMatch(/ESME_RINVDSTADR/);
    expect(modemOpens).toBe(0);
    expect(modem.sim.simulator.sent).toHaveLength(0);
  });

  it('never moves a message of which the carrier accepted a part (the phone would get that part twice)', async () => {
    // The carrier takes part 1; part 2 fails as a route failure.
    const secondPartFails: PartSender = {
      submit: (pdu) =>
        pdu.shortMessage[5] === 2 ? Promise.reject(new SmppSubmitError('no answer from the carrier', 'retries_exhausted')) : transport.submit(pdu),
    };
    const prepared = prepare('+447911000005', 'z'.repeat(200));
    expect(prepared.pdus).toHaveLength(2);
    const result = await sendWithFailover({ ...routes, smpp: secondPartFails }, prepared);
    expect(result).toMatchObject({ route: 'smpp', status: 'failed', error: 'part 2 of 2: no answer from the carrier' });
    expect(result.messageIds).toHaveLength(1);
    expect(smsc.store.list({ to: '447911000005' })).toHaveLength(1);
    expect(modemOpens).toBe(0);
  });

  it('sends everything by modem when the SMPP bind could not be opened', async () => {
    const result = await sendWithFailover(
      { smpp: null, smppUnavailable: 'connection refused by 127.0.0.1:1', modem: routes.modem },
      prepare('+447911000006', 'Bind down'),
    );
    expect(result).toMatchObject({ route: 'modem', status: 'accepted', smppError: 'connection refused by 127.0.0.1:1' });
    expect(phoneTexts(modem)).toEqual(['Bind down']);
  });

  it('reports both errors when the modem fails too', async () => {
    smsc.setFaults({ failRatio: 1, failStatus: Status.systemError });
    modem.sim.simulator.failNextSend(21); // short message transfer rejected: permanent
    const result = await sendWithFailover(routes, prepare('+447911000007', 'both down'));
    expect(result).toMatchObject({ route: 'modem', status: 'failed', messageIds: [] });
    expect(result.smppError).toMatch(/ESME_RSYSERR/);
    expect(result.modemError).toMatch(/\+CMS ERROR: 21|short message transfer rejected/);
    expect(result.error).toBe(`SMPP: ${result.smppError}; modem: ${result.modemError}`);
  });

  it('reports a modem that cannot be opened, next to the SMPP error', async () => {
    const result = await sendWithFailover(
      { smpp: null, smppUnavailable: 'bind refused', modem: () => Promise.reject(new Error('the serial device /dev/nope does not exist')) },
      prepare('+447911000008', 'x'),
    );
    expect(result).toMatchObject({
      route: 'modem',
      status: 'failed',
      smppError: 'bind refused',
      modemError: 'the GSM modem cannot be used: the serial device /dev/nope does not exist',
    });
    expect(result.error).toBe('SMPP: bind refused; modem: the GSM modem cannot be used: the serial device /dev/nope does not exist');
  });

  it('flags a possible duplicate when the carrier may have had the message before it moved', async () => {
    smsc.setFaults({ stalled: true });
    const result = await sendWithFailover(routes, prepare('+447911000009', 'stalled carrier'));
    expect(result).toMatchObject({ route: 'modem', status: 'accepted', possibleDuplicate: true });
    expect(result.smppError).toMatch(/reconnect|no answer/);
    expect(phoneTexts(modem)).toEqual(['stalled carrier']);
  });

  it('sendByModem: the modem sends from its SIM, whatever the prepared sender', async () => {
    const result = await sendByModem(modem.modem, prepare('+447911000010', 'modem only'));
    expect(result).toMatchObject({ route: 'modem', status: 'accepted', from: MODEM_SENDER });
    expect(phoneTexts(modem)).toEqual(['modem only']);
  });
});
