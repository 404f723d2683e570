// Max Binds Across Processes when credentials of one account spell its host differently
// (127.0.0.1 and localhost: a name and its address): the carrier counts the account's binds whatever the spelling, so the cap must too. Over real TCP
// to the sandbox, with the leases in a Redis of the test's own.
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../src/registry/smpp-registry';
import { closeRedisClients } from '../../src/redis/redis-clients';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { startPrivateRedis } from '../support/private-redis';
import type { PrivateRedis } from '../support/private-redis';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';

describe('the bind cap of an account whose host is spelled two ways', () => {
  let smsc: SandboxSmsc;
  let redis: PrivateRedis;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
  });
  beforeEach(async () => {
    smsc = await startSandbox();
    redis = await startPrivateRedis();
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeRedisClients();
    await redis.stop();
    await smsc.stop();
  });

  const account = (host: string, binds: number): SmppConnectionConfig => ({
    ...sandboxTransportOptions(smsc),
    host,
    label: `cap-${host}`,
    binds,
    maxBindsAcrossProcesses: 2,
    throttleRedis: { host: '127.0.0.1', port: redis.port },
    receipts: { keyPrefix: 'host-spelling:' },
  });

  it.each([
    ['127.0.0.1', 'localhost'],
    ['localhost', '127.0.0.1'],
  ])(
    '%s and %s share one cap of 2: the sandbox never sees more than 2 binds',
    async (first, second) => {
      const a = await acquireSmppTransport(account(first, 1));
      await waitFor(() => smsc.sessionCount === 1, `the bind of ${first}`);
      // Wants 2 more: one slot is left, so one of them waits.
      const b = await acquireSmppTransport(account(second, 2));
      await waitFor(() => smsc.sessionCount >= 2, `a bind of ${second}`);
      // Long enough for a second seat to take a slot it should not have (leases are polled every 500 ms).
      await new Promise((r) => setTimeout(r, 1500));
      expect({ peak: smsc.peakSessionCount, bound: [a.resource.boundCount, b.resource.boundCount] }).toEqual({ peak: 2, bound: [1, 1] });
      // The slot freed by the first credential goes to the second's waiting seat.
      await a.release();
      await a.resource.close();
      await waitFor(() => b.resource.boundCount === 2, "the second credential's other bind");
      expect(smsc.peakSessionCount).toBe(2);
    },
    30_000,
  );
});
