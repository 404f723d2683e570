// The sandbox's scheduled messages over HTTP: accepted with a schedule_delivery_time still to come,
// listed by GET /api/scheduled and absent from the phone (GET /api/messages) until their time; a
// cancelled one leaves the list and never reaches the phone.
import { smppAbsoluteTime } from '../../src/transport/smpp/pdu/smpp-time';
import { SentMessageControl } from '../../src/transport/smpp/sent';
import { simpleSubmit } from '../support/messages';
import { waitFor } from '../support/sandbox';
import { requestJson, startSandboxHttpFixture } from './support/sandbox-http-fixture';
import type { SandboxHttpFixture } from './support/sandbox-http-fixture';

describe('sandbox HTTP API: scheduled messages', () => {
  let f: SandboxHttpFixture;
  beforeEach(async () => {
    f = await startSandboxHttpFixture();
  });
  afterEach(async () => f.stop());

  it('lists a held message until its time, then the phone has it; a cancelled one is never on the phone', async () => {
    const transport = await f.connect();
    const at = (ms: number): string => smppAbsoluteTime(new Date(Date.now() + ms));
    const kept = await transport.submit(simpleSubmit('447911123301', 'kept', { scheduleDeliveryTime: at(700) }));
    const cancelled = await transport.submit(simpleSubmit('447911123302', 'cancelled', { scheduleDeliveryTime: at(700) }));
    const held = await requestJson(f.base, 'GET', '/api/scheduled');
    expect((held.body as { messages: Array<{ id: string; to: string; scheduledFor: number }> }).messages.map((m) => [m.id, m.to])).toEqual([
      [kept.messageId, '447911123301'],
      [cancelled.messageId, '447911123302'],
    ]);
    expect((await requestJson(f.base, 'GET', '/api/messages')).body).toMatchObject({ total: 0 });

    await new SentMessageControl(transport).cancel(cancelled.messageId, { ton: 5, npi: 0, addr: 'TEST' });
    await waitFor(() => f.smsc.store.list().length === 1, 'the kept message on the phone', 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(((await requestJson(f.base, 'GET', '/api/messages')).body as { messages: Array<{ to: string }> }).messages.map((m) => m.to)).toEqual([
      '447911123301',
    ]);
    expect((await requestJson(f.base, 'GET', '/api/scheduled')).body).toEqual({ messages: [] });
  });
});
