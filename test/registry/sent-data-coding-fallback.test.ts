// README (Replace Sent Message): with State Store Redis the shared record is asked first (the
// newest record of a reused ID wins), and this process's memory answers when Redis has no record
// of the ID or cannot be reached; an ID known nowhere with Redis down is a field error, not a
// guess. Without Redis, memory alone (unchanged). The local Redis with an own key prefix, and a
// port nothing listens on for "Redis down".
import * as net from 'net';
import { processWide } from '../../src/process-wide';
import { sentDataCodingOf, tpsBudgetKey } from '../../src/registry';
import type { SmppConnectionConfig } from '../../src/registry';
import type { SentDataCodings } from '../../src/transport/smpp/sent/sent-data-codings';
import { FieldError } from '../../src/errors';
import { closeRedisClients } from '../../src/redis/redis-clients';

const PREFIX = `test-dc-fallback-${process.pid}-${Date.now()}:`;

/** This process's memory of the account's sent messages (as acquireSmppTransport wires it). */
async function localRecords(config: SmppConnectionConfig): Promise<SentDataCodings> {
  await sentDataCodingOf(config, 'warm-up').catch(() => undefined); // opens this process's records of the account
  return processWide('smppSentDataCodings', () => new Map<string, SentDataCodings>()).get(tpsBudgetKey(config))!;
}

/** A TCP port on 127.0.0.1 that refuses connections (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const account = (systemId: string, redisPort?: number): SmppConnectionConfig =>
  ({
    host: '127.0.0.1',
    port: 2775,
    systemId,
    password: 'pw',
    ...(redisPort === undefined ? {} : { receipts: { redis: { host: '127.0.0.1', port: redisPort }, keyPrefix: PREFIX } }),
  }) as unknown as SmppConnectionConfig;

describe("the original's data_coding: Redis first, this process's memory as fallback", () => {
  afterAll(async () => {
    await closeRedisClients();
  });

  it('without Redis: memory answers', async () => {
    const config = account('fallback-memory-only');
    (await localRecords(config)).record('M1', 8);
    expect(await sentDataCodingOf(config, 'M1')).toEqual({ dataCoding: 8, partOfLong: false });
    expect(await sentDataCodingOf(config, 'unknown')).toBeUndefined();
  });

  it('Redis has no record of the ID: memory answers', async () => {
    const config = account('fallback-redis-none', 6379);
    (await localRecords(config)).record('N1', 8, true);
    expect(await sentDataCodingOf(config, 'N1')).toEqual({ dataCoding: 8, partOfLong: true });
    expect(await sentDataCodingOf(config, 'unknown')).toBeUndefined();
  });

  it('Redis down: memory answers for an ID it knows; an unknown ID is a field error naming State Store', async () => {
    const config = account('fallback-redis-down', await closedPort());
    (await localRecords(config)).record('D1', 8);
    expect(await sentDataCodingOf(config, 'D1')).toEqual({ dataCoding: 8, partOfLong: false });
    const err = await sentDataCodingOf(config, ' D2 ').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FieldError);
    expect((err as FieldError).field).toBe('stateStore');
    expect((err as Error).message).toMatch(/^Cannot read from Redis which alphabet message D2 was sent in/);
  }, 20_000);
});
