import * as smpp from 'smpp';
import type { AddressInfo } from 'net';
import { SmppTransport } from '../../../../src/transport/smpp/smpp-transport';
import { SentMessageControl, SentMessageRefusedError, SentMessageUnsupportedError } from '../../../../src/transport/smpp/sent';
import { smppAbsoluteTime } from '../../../../src/transport/smpp/pdu/smpp-time';
import type { SandboxSmsc } from '../../../../src/sandbox/sandbox-smsc';
import { sandboxTransportOptions, startSandbox, waitFor } from '../../../support/sandbox';
import { simpleSubmit } from '../../../support/messages';

const SOURCE = { ton: 5, npi: 0, addr: 'TEST' };

describe('query_sm, cancel_sm and replace_sm against the sandbox over TCP', () => {
  let smsc: SandboxSmsc;
  let transport: SmppTransport;
  let control: SentMessageControl;

  beforeEach(async () => {
    smsc = await startSandbox({ receipt: { outcome: 'DELIVRD', delayMs: 300 } });
    transport = new SmppTransport(sandboxTransportOptions(smsc));
    await transport.start();
    control = new SentMessageControl(transport);
  });
  afterEach(async () => {
    await transport.close(100);
    await smsc.stop();
  });

  const scheduled = (to: string, text: string, inMs: number): Promise<string> =>
    transport.submit(simpleSubmit(to, text, { scheduleDeliveryTime: smppAbsoluteTime(new Date(Date.now() + inMs)) })).then((r) => r.messageId);

  it('holds a scheduled message ENROUTE, cancels it, and never delivers it to the phone', async () => {
    const id = await scheduled('447700900001', 'Appointment at 10:00', 1200);
    expect(smsc.store.list({ to: '447700900001' })).toEqual([]);
    expect(await control.query(id, SOURCE)).toMatchObject({ messageId: id, state: 'ENROUTE', final: false, finalDate: null });

    await control.cancel(id, SOURCE);
    const after = await control.query(id, SOURCE);
    expect(after).toMatchObject({ state: 'DELETED', final: true });
    expect(after.finalDate).toBeInstanceOf(Date);

    // Past its time: still not on the phone, and a second cancel is refused.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smsc.store.list({ to: '447700900001' })).toEqual([]);
    await expect(control.cancel(id, SOURCE)).rejects.toThrow(SentMessageRefusedError);
    await expect(control.cancel(id, SOURCE)).rejects.toThrow(/ESME_RCANCELFAIL: it cannot be cancelled/);
  });

  it('delivers an uncancelled scheduled message at its time, not before', async () => {
    const id = await scheduled('447700900002', 'Reminder', 600);
    await new Promise((r) => setTimeout(r, 200));
    expect(smsc.store.list({ to: '447700900002' })).toEqual([]);
    await waitFor(() => smsc.store.list({ to: '447700900002' }).length === 1, 'the scheduled message on the phone', 5000);
    expect(smsc.store.get(id)?.text).toBe('Reminder');
  });

  it('replace_sm changes the text the phone gets', async () => {
    const id = await scheduled('447700900003', 'Meeting at 10:00', 800);
    await control.replace(id, SOURCE, { shortMessage: Buffer.from('Meeting moved to 11:30', 'latin1') });
    await waitFor(() => smsc.store.list({ to: '447700900003' }).length === 1, 'the replaced message on the phone', 5000);
    expect(smsc.store.list({ to: '447700900003' }).map((m) => m.text)).toEqual(['Meeting moved to 11:30']);
    // On the phone now: too late to replace or cancel.
    await expect(control.replace(id, SOURCE, { shortMessage: Buffer.from('again') })).rejects.toThrow(/ESME_RREPLACEFAIL/);
    await expect(control.cancel(id, SOURCE)).rejects.toThrow(/ESME_RCANCELFAIL/);
  });

  it('queries a delivered message: ENROUTE until its receipt, then DELIVERED with the final date', async () => {
    const { messageId } = await transport.submit(simpleSubmit('447700900004', 'hello', { registeredDelivery: 1 }));
    expect(await control.query(messageId, SOURCE)).toMatchObject({ state: 'ENROUTE', final: false });
    await waitFor(() => smsc.store.get(messageId)?.delivery !== undefined, 'the receipt', 5000);
    const done = await control.query(messageId, SOURCE);
    expect(done).toMatchObject({ state: 'DELIVERED', stateValue: 2, final: true, errorCode: 0 });
    expect(Math.abs(done.finalDate!.getTime() - smsc.store.get(messageId)!.delivery!.at)).toBeLessThan(1000);
  });

  it('refuses a query of an unknown ID, or with another sender than the message had', async () => {
    const { messageId } = await transport.submit(simpleSubmit('447700900005', 'hello'));
    await expect(control.query('ffffff', SOURCE)).rejects.toThrow(/refused the query_sm of message ffffff: ESME_RQUERYFAIL/);
    const wrongSender = await control.query(messageId, { ton: 5, npi: 0, addr: 'OTHER' }).catch((e: unknown) => e);
    expect(wrongSender).toBeInstanceOf(SentMessageRefusedError);
    expect((wrongSender as SentMessageRefusedError).statusName).toBe('ESME_RQUERYFAIL');
  });

  it('cancels every held message from a sender to a number when no ID is given', async () => {
    await scheduled('447700900006', 'one', 800);
    await scheduled('447700900006', 'two', 800);
    const other = await scheduled('447700900007', 'three', 800);
    await control.cancel('', SOURCE, { destination: { ton: 1, npi: 1, addr: '447700900006' } });
    expect(smsc.scheduled.list().map((m) => m.id)).toEqual([other]);
  });
});

/** An SMSC on the `smpp` library that answers query_sm, cancel_sm and replace_sm as a carrier without them would. */
async function startRefusingSmsc(answer: 'generic_nack' | 'invcmdid' | 'queryfail'): Promise<{ port: number; stop(): Promise<void> }> {
  const sessions = new Set<smpp.Session>();
  const server = smpp.createServer({}, (session) => {
    sessions.add(session);
    session.on('bind_transceiver', (pdu: smpp.PDU) => session.send(pdu.response({ system_id: 'refusing' })));
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    for (const command of ['query_sm', 'cancel_sm', 'replace_sm']) {
      session.on(command, (pdu: smpp.PDU) => {
        if (answer === 'generic_nack')
          session.send(new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: smpp.errors.ESME_RINVCMDID }));
        else session.send(pdu.response({ command_status: answer === 'invcmdid' ? smpp.errors.ESME_RINVCMDID : smpp.errors.ESME_RQUERYFAIL }));
      });
    }
    session.on('error', () => undefined);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('carriers that refuse query_sm, cancel_sm and replace_sm', () => {
  const withCarrier = async (answer: 'generic_nack' | 'invcmdid' | 'queryfail', run: (control: SentMessageControl) => Promise<void>): Promise<void> => {
    const carrier = await startRefusingSmsc(answer);
    const transport = new SmppTransport({
      host: '127.0.0.1',
      port: carrier.port,
      systemId: 'x',
      password: 'y',
      enquireLinkMs: 0,
      responseTimeoutMs: 2000,
      reconnectAttempts: 1,
    });
    try {
      await transport.start();
      await run(new SentMessageControl(transport));
      expect(transport.state).toBe('bound');
    } finally {
      await transport.close(100);
      await carrier.stop();
    }
  };

  it('a generic_nack means the carrier does not support the command', async () => {
    await withCarrier('generic_nack', async (control) => {
      const err = await control.query('42', SOURCE).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SentMessageUnsupportedError);
      expect((err as Error).message).toMatch(/^this carrier does not support query_sm: .* answered generic_nack with ESME_RINVCMDID/);
      await expect(control.cancel('42', SOURCE)).rejects.toThrow(/^this carrier does not support cancel_sm/);
      await expect(control.replace('42', SOURCE, { shortMessage: Buffer.from('x') })).rejects.toThrow(/^this carrier does not support replace_sm/);
    });
  });

  it('an ESME_RINVCMDID response means the same', async () => {
    await withCarrier('invcmdid', async (control) => {
      await expect(control.query('42', SOURCE)).rejects.toThrow(/^this carrier does not support query_sm: .*query_sm_resp with ESME_RINVCMDID/);
    });
  });

  it('ESME_RQUERYFAIL is a refusal of that message, not of the command', async () => {
    await withCarrier('queryfail', async (control) => {
      const err = await control.query('42', SOURCE).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SentMessageRefusedError);
      expect((err as SentMessageRefusedError).statusName).toBe('ESME_RQUERYFAIL');
    });
  });
});
