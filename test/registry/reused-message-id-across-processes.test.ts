// README (Replace Sent Message): a message ID the carrier hands out again (an SMSC restart) takes
// the new message's alphabet, and with State Store Redis the record is shared so a replace on
// another n8n process (queue mode) finds it. Worker A sent ID "X" in UCS-2; the SMSC restarted
// and handed "X" to a GSM-7 message worker B sent (shared through Redis, overwriting A's entry).
// A replace of "X" that n8n happens to run on worker A must use the new message's alphabet: A's
// own, older memory of "X" must not win over the newer shared record.
import Redis from 'ioredis';
import { processWide } from '../../src/process-wide';
import { SharedDataCodings } from '../../src/registry/shared-data-codings';
import { sentDataCodingOf, tpsBudgetKey } from '../../src/registry';
import type { SmppConnectionConfig } from '../../src/registry';
import type { SentDataCodings } from '../../src/transport/smpp/sent/sent-data-codings';
import { closeRedisClients } from '../../src/redis/redis-clients';

const REDIS = { host: '127.0.0.1', port: 6379 };
const PREFIX = `test-reused-id-${process.pid}-${Date.now()}:`;

describe('a reused message ID across queue-mode workers', () => {
  const redis = new Redis(REDIS);
  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await closeRedisClients();
  });

  it("the newer record shared by another worker wins over this worker's older one", async () => {
    const config = {
      host: '127.0.0.1',
      port: 2775,
      systemId: 'reuse-acct',
      password: 'pw',
      receipts: { redis: REDIS, keyPrefix: PREFIX },
    } as unknown as SmppConnectionConfig;
    expect(await sentDataCodingOf(config, 'warm-up')).toBeUndefined(); // opens this worker's records of the account
    const local = processWide('smppSentDataCodings', () => new Map<string, SentDataCodings>()).get(tpsBudgetKey(config));
    const shared = new SharedDataCodings(redis, `${PREFIX}sent-dc:${tpsBudgetKey(config)}`);
    // Worker A (this process) sent "X" in UCS-2 and shared it, as acquireSmppTransport wires it.
    local!.record('X', 8);
    shared.add('X', 8);
    await shared.flush();
    // The SMSC restarted; worker B sent a GSM-7 message the carrier gave the ID "X" again.
    const workerB = new SharedDataCodings(redis, `${PREFIX}sent-dc:${tpsBudgetKey(config)}`);
    workerB.add('X', 0);
    await workerB.flush();
    // A replace of "X" (the new message) runs on worker A.
    expect(await sentDataCodingOf(config, 'X')).toEqual({ dataCoding: 0, partOfLong: false });
  });
});
