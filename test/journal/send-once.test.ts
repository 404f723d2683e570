import Redis from 'ioredis';
import { sendOnce } from '../../src/journal/send-once';
import { MemorySendLedger } from '../../src/journal/send-ledger';
import type { SendLedger } from '../../src/journal/send-ledger';
import { RedisSendLedger } from '../../src/journal/redis-send-ledger';
import type { SmsResult } from '../../src/gateway/message-request';

/**
 * sendOnce sends each idempotency key at most once. Two jobs with the same key in one call (two
 * items for the same order, one number listed twice) both found the key claimed by "this run"
 * and both sent.
 */
describe('sendOnce: one send per key, also within one run', () => {
  const clients: Redis[] = [];
  afterAll(() => clients.forEach((c) => c.disconnect()));
  const ledgers: Array<[string, () => SendLedger]> = [
    ['memory', () => new MemorySendLedger()],
    [
      'redis',
      () => {
        const client = new Redis({ host: '127.0.0.1', port: 6379 });
        clients.push(client);
        return new RedisSendLedger(client, `test-send-once-${process.pid}-${Date.now()}:`);
      },
    ],
  ];

  const acceptedResult = (id: string): SmsResult =>
    ({ to: '+447900000001', from: 'SHOP', messageIds: [id], parts: 1, encoding: 'GSM', status: 'accepted' }) as SmsResult;

  it.each(ledgers)('%s ledger: the same key twice in one call is sent once; the repeat answers the same result as already sent', async (_kind, make) => {
    const ledger = make();
    let sends = 0;
    const job = (key: string) => ({ key, send: async (): Promise<SmsResult> => acceptedResult(`m${++sends}`) });
    const out = await sendOnce(ledger, [job('user:order-7|+447900000001'), job('user:order-7|+447900000001'), job('user:order-8|+447900000001')], {
      run: 'exec-1',
      ttlMs: 60_000,
      concurrency: 500,
    });
    expect(sends).toBe(2);
    expect(out[0]).toEqual({ sent: acceptedResult('m1') });
    expect(out[1]).toEqual({ earlier: { state: 'accepted', result: acceptedResult('m1') } });
    expect('sent' in out[2]).toBe(true);
  });

  it('a crash after 50 of 500 leaves only the messages in flight claimed: a retry sends the rest', async () => {
    const client = new Redis({ host: '127.0.0.1', port: 6379 });
    clients.push(client);
    const ledger = new RedisSendLedger(client, `test-send-once-crash-${process.pid}-${Date.now()}:`);
    let accepted = 0;
    const jobs = (crash: boolean) =>
      Array.from({ length: 500 }, (_, i) => ({
        key: `user:invoice-${i}|+4479${73_000_000 + i}`,
        send: async (): Promise<SmsResult> => {
          if (crash && accepted >= 50) return new Promise<SmsResult>(() => undefined); // the process is gone
          accepted++;
          return acceptedResult(`m${i}`);
        },
      }));
    void sendOnce(ledger, jobs(true), { run: 'worker-A', ttlMs: 60_000, concurrency: 10 });
    await new Promise((r) => setTimeout(r, 300));
    const before = accepted;
    expect(before).toBe(50);
    const retry = await sendOnce(ledger, jobs(false), { run: 'worker-B', ttlMs: 60_000, concurrency: 10 });
    const unfinished = retry.filter((o) => 'earlier' in o && o.earlier.state === 'sending').length;
    // Only the 10 in flight when it died are kept as "not finished"; the other 440 go.
    expect(unfinished).toBe(10);
    expect(accepted - before).toBe(440);
  });
});
