// A carrier that pads the message IDs of its submit_sm_resp with spaces ("4f2a      "): the IDs
// are recorded trimmed, as Replace Sent Message looks them up (it trims what it is given), in
// this process's memory and in what it shares through Redis, so a replace finds the original's
// alphabet whether it is given the ID as Send SMS returned it or as a person typed it.
// A scripted SMSC over TCP; the local Redis (own key prefix).
import * as smpp from 'smpp';
import Redis from 'ioredis';
import type { AddressInfo } from 'net';
import { SmppTransport } from '../../../../src/transport/smpp/smpp-transport';
import { SentDataCodings } from '../../../../src/transport/smpp/sent/sent-data-codings';
import { SharedDataCodings } from '../../../../src/registry/shared-data-codings';
import { simpleSubmit } from '../../../support/messages';

const DAY_MS = 86_400_000;
const PREFIX = `test-padded-ids-${process.pid}-${Date.now()}:`;

describe('message IDs a carrier pads with spaces', () => {
  let server: ReturnType<typeof smpp.createServer>;
  let port: number;
  let submits = 0;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  beforeAll(async () => {
    server = smpp.createServer({}, (session) => {
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu: smpp.PDU) => session.send(pdu.response({ system_id: 'padding' })));
      session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: smpp.PDU) => {
        session.send(pdu.response());
        session.close();
      });
      // Fixed-width IDs, padded with trailing (and for the second, leading) spaces.
      session.on('submit_sm', (pdu: smpp.PDU) => {
        submits++;
        session.send(pdu.response({ message_id: submits === 1 ? '4f2a      ' : '  77b0    ' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('are recorded trimmed, in memory and in Redis, and found by either form', async () => {
    const codings = new SentDataCodings();
    const shared = new SharedDataCodings(redis, `${PREFIX}sent-dc:acct`);
    const shareAdds: string[] = [];
    codings.onRecord = (id, coding) => {
      shareAdds.push(id);
      shared.add(id, coding);
    };
    const t = new SmppTransport({ host: '127.0.0.1', port, systemId: 'x', password: 'y', enquireLinkMs: 0, responseTimeoutMs: 2000, sentDataCodings: codings });
    t.on('error', () => undefined);
    await t.start();
    try {
      const first = await t.submit(simpleSubmit('447700900001', 'R', { dataCoding: 8, shortMessage: Buffer.from('0052', 'hex') }));
      const second = await t.submit(simpleSubmit('447700900002', 'hello'));
      // Send SMS returns the IDs as the carrier gave them (query_sm / cancel_sm send them back as is).
      expect([first.messageId, second.messageId]).toEqual(['4f2a      ', '  77b0    ']);
    } finally {
      await t.close(100);
    }
    expect(shareAdds).toEqual(['4f2a', '77b0']);
    expect([codings.get('4f2a'), codings.get('4f2a      '), codings.get(' 77b0 '), codings.get('77b0')]).toEqual([8, 8, 0, 0]);
    expect(codings.size).toBe(2);
    await shared.flush();
    // Another process reads Redis: one field per message, the trimmed ID.
    const dayKey = `${PREFIX}sent-dc:acct:${Math.floor(Date.now() / DAY_MS)}`;
    expect((await redis.hkeys(dayKey)).sort()).toEqual(['4f2a', '77b0']);
    const reader = new SharedDataCodings(redis, `${PREFIX}sent-dc:acct`);
    expect([await reader.get('4f2a      '), await reader.get('77b0')]).toEqual([8, 0]);
  });
});
