import Redis from 'ioredis';
import { MemoryBroadcastJournal } from '../../src/broadcast/broadcast-journal';
import type { BroadcastJournal } from '../../src/broadcast/broadcast-journal';
import { RedisBroadcastJournal } from '../../src/broadcast/redis-broadcast-journal';
import { runBroadcast } from '../../src/broadcast/broadcast-runner';
import type { BroadcastOptions } from '../../src/broadcast/broadcast-runner';
import { CommandId } from '../../src/transport/smpp/pdu/command-ids';
import { encodeSimpleResponse } from '../../src/transport/smpp/pdu/pdu-codec';
import { decodeFrame } from '../../src/transport/smpp/pdu/pdu-codec';
import { SmppTransport } from '../../src/transport/smpp/smpp-transport';
import { HostileSmsc } from '../security/support/hostile-smsc';

/**
 * A number whose submit the carrier took but never answered (the transport gave up after its
 * attempts) may have reached the phone: the journal keeps it as uncertain, a re-run skips it and
 * says so, and only "Resend Uncertain" sends it again, flagged as a possible duplicate.
 * Real TCP to a scripted SMSC that swallows every submit to SILENT.
 */
const SILENT = '447911000777';
const numbers = ['+447911000701', `+${SILENT}`, '+447911000703'];
const prefix = `test-uncertain-${process.pid}-${Date.now()}:`;

describe('a submit the carrier never answered stays uncertain across re-runs', () => {
  let smsc: HostileSmsc;
  let transport: SmppTransport;
  let redis: Redis;
  let swallow = true;
  /** Destinations of every submit_sm the SMSC received. */
  const received: string[] = [];

  beforeAll(async () => {
    smsc = await HostileSmsc.start((conn) => {
      conn.onFrame = (frame) => {
        if (frame.commandId !== CommandId.submitSm) return conn.answerPolitely(frame);
        const pdu = decodeFrame(frame.frame);
        const to = pdu.kind === 'message' ? pdu.message.destination.addr : '?';
        received.push(to);
        if (to === SILENT && swallow) return; // taken, never answered
        conn.send(encodeSimpleResponse(CommandId.submitSmResp, 0, frame.sequence, `id-${received.length}`));
      };
    });
    transport = new SmppTransport({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'esme',
      password: 'pw',
      enquireLinkMs: 0,
      windowSize: 1,
      responseTimeoutMs: 300,
      connectTimeoutMs: 2000,
      reconnectBaseMs: 10,
      reconnectMaxMs: 50,
      maxAttempts: 2,
    });
    await transport.start();
    redis = new Redis({ host: '127.0.0.1', port: 6379 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await transport.close(100);
    await smsc.close();
  });

  it.each([
    ['memory', (): BroadcastJournal => new MemoryBroadcastJournal()],
    ['redis', (): BroadcastJournal => new RedisBroadcastJournal(redis, { prefix })],
  ])('%s journal: reported uncertain, skipped by a re-run, resent (flagged) only on purpose', async (kind, makeJournal) => {
    swallow = true;
    received.length = 0;
    const journal = makeJournal();
    const options: BroadcastOptions = { broadcastId: `silent-${kind}-${Date.now()}`, sender: transport, defaults: { from: 'CITYALERT' }, message: {}, journal };
    const recipients = numbers.map((to, itemIndex) => ({ to, text: 'Water main burst: boil water.', itemIndex }));

    const first = await runBroadcast(recipients, options);
    expect(first.summary).toMatchObject({ accepted: 2, failed: 1, uncertain: 1, possibleDuplicates: 1 });
    expect(first.results.find((r) => r.to === `+${SILENT}`)).toMatchObject({ status: 'failed', possibleDuplicate: true });
    expect(received.filter((to) => to === SILENT)).toHaveLength(2); // the transport's two attempts

    swallow = false;
    const rerun = await runBroadcast(recipients, options);
    expect(rerun.summary).toMatchObject({ accepted: 0, skippedAlreadySent: 2, skippedUncertain: 1 });
    expect(rerun.results.find((r) => r.to === `+${SILENT}`)).toMatchObject({
      status: 'skipped_uncertain',
      error: expect.stringMatching(/may have sent it.*Resend Uncertain/),
    });
    expect(received.filter((to) => to === SILENT)).toHaveLength(2); // not sent again

    const resend = await runBroadcast(recipients, { ...options, resendUncertain: true });
    expect(resend.summary).toMatchObject({ accepted: 1, skippedAlreadySent: 2, skippedUncertain: 0, resentUncertain: 1, possibleDuplicates: 1 });
    expect(resend.results.find((r) => r.to === `+${SILENT}`)).toMatchObject({ status: 'accepted', possibleDuplicate: true });
    expect(received.filter((to) => to === SILENT)).toHaveLength(3);
    expect(received.filter((to) => to !== SILENT)).toHaveLength(2); // the others once each, ever

    const after = await runBroadcast(recipients, options);
    expect(after.summary).toMatchObject({ accepted: 0, skippedAlreadySent: 3 });
  });
});
