import { decodeMessage } from '../../src/encoding';
import type { MessageView } from '../../src/sandbox/http';
import type { InboundMessage } from '../../src/transport/smpp/types';
import { SmppSubmitError } from '../../src/transport/smpp/types';
import { simpleSubmit } from '../support/messages';
import { waitFor } from '../support/sandbox';
import { requestJson, startSandboxHttpFixture } from './support/sandbox-http-fixture';
import type { SandboxHttpFixture } from './support/sandbox-http-fixture';

type MessageList = { total: number; truncated: boolean; messages: MessageView[] };

function textOf(message: InboundMessage): string {
  const pdu = message.pdu;
  return decodeMessage({
    dataCoding: pdu.dataCoding,
    esmClass: pdu.esmClass,
    shortMessage: pdu.shortMessage,
    messagePayload: pdu.tlvs.messagePayload,
    sar: pdu.tlvs.sar,
  }).text;
}

describe('sandbox HTTP API', () => {
  let f: SandboxHttpFixture;
  beforeEach(async () => {
    f = await startSandboxHttpFixture();
  });
  afterEach(async () => {
    await f.stop();
  });

  describe('GET/DELETE /api/messages', () => {
    it('lists what ESMEs submitted and what phones sent, filtered by to, from, direction and since', async () => {
      const t = await f.connect();
      await t.submit(simpleSubmit('447700900001', 'hello one'));
      await t.submit(simpleSubmit('447700900002', 'hello two', { source: { ton: 5, npi: 0, addr: 'ACME' } }));
      const mo = await requestJson(f.base, 'POST', '/api/mo', { from: '+447700900003', to: '12345', text: 'STOP' });
      expect(mo.status).toBe(200);

      const all = await requestJson<MessageList>(f.base, 'GET', '/api/messages');
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(3);
      expect(all.body.messages.map((m) => [m.direction, m.from, m.to, m.text])).toEqual([
        ['mt', 'TEST', '447700900001', 'hello one'],
        ['mt', 'ACME', '447700900002', 'hello two'],
        ['mo', '447700900003', '12345', 'STOP'],
      ]);
      expect(all.body.messages[0]).toMatchObject({ encoding: 'gsm7', parts: 1, systemId: 'sandbox' });

      const toOne = await requestJson<MessageList>(f.base, 'GET', '/api/messages?to=%2B447700900001');
      expect(toOne.body.messages.map((m) => m.text)).toEqual(['hello one']);
      const fromAcme = await requestJson<MessageList>(f.base, 'GET', '/api/messages?from=ACME');
      expect(fromAcme.body.messages.map((m) => m.text)).toEqual(['hello two']);
      const moOnly = await requestJson<MessageList>(f.base, 'GET', '/api/messages?direction=mo');
      expect(moOnly.body.messages.map((m) => m.text)).toEqual(['STOP']);

      const cut = all.body.messages[2].receivedAt + 1;
      const later = await requestJson<MessageList>(f.base, 'GET', `/api/messages?since=${cut}`);
      expect(later.body.total).toBe(0);
      const sinceIso = await requestJson<MessageList>(
        f.base,
        'GET',
        `/api/messages?since=${encodeURIComponent(new Date(all.body.messages[0].receivedAt).toISOString())}`,
      );
      expect(sinceIso.body.total).toBe(3);

      const newest = await requestJson<MessageList>(f.base, 'GET', '/api/messages?limit=1');
      expect(newest.body).toMatchObject({ total: 3, truncated: true });
      expect(newest.body.messages.map((m) => m.text)).toEqual(['STOP']);
    });

    it('answers 400 naming the query parameter that is wrong', async () => {
      const cases: Array<[string, RegExp]> = [
        ['direction=sideways', /direction must be "mt".*"sideways"/],
        ['since=yesterday-ish', /since must be epoch milliseconds or an ISO 8601 date/],
        ['limit=0', /limit must be a whole number from 1 to 100000/],
        ['recipient=1', /unknown query parameter "recipient"/],
      ];
      for (const [query, message] of cases) {
        const answer = await requestJson<{ error: string }>(f.base, 'GET', `/api/messages?${query}`);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatch(message);
      }
    });

    it('DELETE forgets every stored message', async () => {
      const t = await f.connect();
      await t.submit(simpleSubmit('447700900001'));
      expect(f.smsc.store.list()).toHaveLength(1);
      const answer = await requestJson(f.base, 'DELETE', '/api/messages');
      expect(answer).toMatchObject({ status: 200, body: { cleared: true } });
      expect(f.smsc.store.list()).toHaveLength(0);
      expect((await requestJson<MessageList>(f.base, 'GET', '/api/messages')).body.total).toBe(0);
    });
  });

  describe('POST /api/mo', () => {
    it('delivers an MO to the bound transceiver and answers the part count', async () => {
      const t = await f.connect();
      const received: InboundMessage[] = [];
      t.addInboundHandler((m) => {
        received.push(m);
      });
      const answer = await requestJson(f.base, 'POST', '/api/mo', { from: '+447700900123', to: '12345', text: 'YES please' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ parts: 1, delivered: true, pending: false });
      expect(received).toHaveLength(1);
      expect(received[0].pdu.source.addr).toBe('447700900123');
      expect(received[0].pdu.destination.addr).toBe('12345');
      expect(textOf(received[0])).toBe('YES please');
      const stored = f.smsc.store.list({ direction: 'mo' });
      expect(stored.map((m) => m.id)).toEqual([answer.body.id]);
    });

    it('splits a long MO into concatenated deliver_sm parts', async () => {
      const t = await f.connect();
      const received: InboundMessage[] = [];
      t.addInboundHandler((m) => {
        received.push(m);
      });
      const text = 'A long reply from the phone. '.repeat(8);
      const answer = await requestJson(f.base, 'POST', '/api/mo', { from: '447700900123', to: '12345', text, concat: 'sar' });
      expect(answer.body).toMatchObject({ parts: 2, delivered: true });
      expect(received).toHaveLength(2);
      expect(received.map((m) => m.pdu.tlvs.sar?.seqNum).sort()).toEqual([1, 2]);
      const listed = await requestJson<MessageList>(f.base, 'GET', '/api/messages?direction=mo');
      expect(listed.body.messages[0]).toMatchObject({ text, parts: 2 });
    });

    it('answers 202 pending when no receiver is bound, and keeps the MO for a later bind', async () => {
      const answer = await requestJson(f.base, 'POST', '/api/mo', { from: '447700900123', to: '12345', text: 'anyone there?', waitMs: 0 });
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ parts: 1, delivered: false, pending: true });
      expect(f.smsc.store.list({ direction: 'mo' }).map((m) => m.text)).toEqual(['anyone there?']);
      expect(f.smsc.stats.moSent).toBe(0);
    });

    // The sandbox writes the queued deliver_sm right behind bind_resp (one TCP read): the transport
    // must hand PDUs that arrive before its listener is attached to it (see BoundSession.takeOver).
    it('delivers a queued MO to an ESME that binds later', async () => {
      await requestJson(f.base, 'POST', '/api/mo', { from: '447700900123', to: '12345', text: 'anyone there?', waitMs: 0 });
      const received: string[] = [];
      await f.connect({}, (t) =>
        t.addInboundHandler((m) => {
          received.push(textOf(m));
        }),
      );
      await waitFor(() => received.length === 1, 'the queued MO to be delivered', 2000);
      expect(received).toEqual(['anyone there?']);
    });

    it('answers 400 naming the field for bad input', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ to: '12345', text: 'hi' }, /^from is required$/],
        [{ from: 'not-a-phone', to: '12345', text: 'hi' }, /^from must be a phone number/],
        [{ from: '447700900123', text: 'hi' }, /^to is required$/],
        [{ from: '447700900123', to: 'way too long sender', text: 'hi' }, /^to must be a phone number or short code/],
        [{ from: '447700900123', to: '12345', text: 42 }, /^text must be a string, got a number$/],
        [{ from: '447700900123', to: '12345', text: '' }, /^text must not be empty$/],
        [{ from: '447700900123', to: '12345', text: 'x'.repeat(40_000) }, /^text is 40000 characters; at most 39015 fit in 255 SMS parts/],
        [{ from: '447700900123', to: '12345', text: 'ж'.repeat(17_200) }, /^text cannot be sent as an SMS: /],
        [{ from: '447700900123', to: '12345', text: 'hi', concat: 'udh7' }, /^concat must be one of udh8, udh16, sar, got "udh7"$/],
        [{ from: '447700900123', to: '12345', text: 'hi', waitMs: -5 }, /^waitMs must be a whole number/],
        [{ from: '447700900123', to: '12345', text: 'hi', colour: 'red' }, /^unknown field "colour"/],
      ];
      for (const [body, message] of cases) {
        const answer = await requestJson<{ error: string }>(f.base, 'POST', '/api/mo', body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(answer.body.error).toMatch(message);
      }
      expect(f.smsc.store.list()).toHaveLength(0);
    });
  });

  describe('POST /api/faults', () => {
    it('applies throttleRatio: submits get ESME_RTHROTTLED until it is lifted', async () => {
      const t = await f.connect({ maxThrottleMs: 60_000 });
      const set = await requestJson(f.base, 'POST', '/api/faults', { throttleRatio: 1 });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ faults: { throttleRatio: 1 } });
      expect(f.smsc.faults.throttleRatio).toBe(1);
      const sending = t.submit(simpleSubmit('447700900001'));
      await waitFor(() => f.smsc.stats.throttled >= 1, 'a throttled answer');
      expect(f.smsc.stats.accepted).toBe(0);
      await requestJson(f.base, 'POST', '/api/faults', { throttleRatio: 0 });
      const result = await sending;
      expect(result.throttled).toBeGreaterThanOrEqual(1);
      expect(f.smsc.stats.accepted).toBe(1);
    });

    it('applies failStatus by SMPP name and failDestinations (with a leading +)', async () => {
      const t = await f.connect();
      const set = await requestJson(f.base, 'POST', '/api/faults', { failStatus: 'ESME_RINVDSTADR', failDestinations: ['+447700900009'] });
      expect(set.body).toMatchObject({ faults: { failStatus: 0x0b, failDestinations: ['447700900009'] } });
      const err = await t.submit(simpleSubmit('447700900009')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmppSubmitError);
      expect((err as SmppSubmitError).status).toBe(0x0b);
      await expect(t.submit(simpleSubmit('447700900001'))).resolves.toMatchObject({ attempts: 1 });
    });

    it('sets latency, stall, failRatio and dropAfterSubmits, and keeps fields not given', async () => {
      const answer = await requestJson(f.base, 'POST', '/api/faults', { latencyMs: 25, stalled: true, failRatio: 0.5, dropAfterSubmits: 3 });
      expect(answer.body).toMatchObject({ faults: { latencyMs: 25, stalled: true, failRatio: 0.5, dropAfterSubmits: 3, throttleRatio: 0 } });
      await requestJson(f.base, 'POST', '/api/faults', { stalled: false });
      expect(f.smsc.faults).toMatchObject({ latencyMs: 25, stalled: false, failRatio: 0.5, dropAfterSubmits: 3 });
    });

    it('answers 400 naming the fault field and its problem, changing nothing', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ throttleRatio: 1.5 }, /^faults\.throttleRatio must be from 0 to 1 .*got 1\.5$/],
        [{ throttleRatio: '0.5' }, /^faults\.throttleRatio must be a number from 0 to 1, got a string$/],
        [{ failRatio: -0.1 }, /^faults\.failRatio must be from 0 to 1/],
        [{ latencyMs: -1 }, /^faults\.latencyMs must be from 0 to 600000, got -1$/],
        [{ latencyMs: 2.5 }, /^faults\.latencyMs must be a whole number/],
        [{ stalled: 'yes' }, /^faults\.stalled must be true or false, got a string$/],
        [{ dropAfterSubmits: null }, /^faults\.dropAfterSubmits must be a whole number .* got null$/],
        [{ failStatus: 0 }, /^faults\.failStatus must be from 1 to 4294967295/],
        [{ failStatus: 'ESME_NOPE' }, /^faults\.failStatus "ESME_NOPE" is not a known SMPP error name/],
        [{ failDestinations: '447700900001' }, /^faults\.failDestinations must be an array of phone numbers, got a string$/],
        [{ failDestinations: ['447700900001', 'no spaces allowed'] }, /^faults\.failDestinations\[1\] must be an address/],
        [{ throttle: 0.5 }, /^unknown fault field "throttle"; known fields: throttleRatio, /],
        [[{ throttleRatio: 1 }], /^request body must be a JSON object, got an array$/],
      ];
      for (const [body, message] of cases) {
        const answer = await requestJson<{ error: string }>(f.base, 'POST', '/api/faults', body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(answer.body.error).toMatch(message);
      }
      expect(f.smsc.faults).toMatchObject({ throttleRatio: 0, failRatio: 0, latencyMs: 0, stalled: false, failDestinations: [] });
    });
  });

  it('POST /api/drop drops every SMPP connection and the client reconnects', async () => {
    const t = await f.connect();
    const disconnects: string[] = [];
    t.on('disconnected', (info) => disconnects.push(info.reason));
    const answer = await requestJson(f.base, 'POST', '/api/drop');
    expect(answer).toMatchObject({ status: 200, body: { dropped: 1 } });
    await waitFor(() => disconnects.length === 1, 'the transport to see the drop');
    await waitFor(() => t.state === 'bound', 'the transport to rebind');
    expect(f.smsc.stats.drops).toBe(1);
  });

  it('GET /api/stats reports counters, sessions, the busiest second, duplicates and faults', async () => {
    const t = await f.connect();
    await t.submit(simpleSubmit('447700900001', 'same text'));
    await t.submit(simpleSubmit('447700900001', 'same text'));
    await t.submit(simpleSubmit('447700900002', 'other'));
    await requestJson(f.base, 'POST', '/api/faults', { latencyMs: 5 });
    const answer = await requestJson(f.base, 'GET', '/api/stats');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      stats: { submits: 3, accepted: 3, binds: 1 },
      sessionCount: 1,
      duplicates: { destinations: 1, extraCopies: 1 },
      uniqueDestinations: 2,
      faults: { latencyMs: 5, throttleRatio: 0 },
    });
    expect(answer.body.maxInWindow).toBeGreaterThanOrEqual(1);
    expect(answer.body.maxInWindow).toBeLessThanOrEqual(3);
  });
});
