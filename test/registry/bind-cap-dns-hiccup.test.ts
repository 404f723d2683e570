// Max Binds Across Processes when the resolver hiccups (EAI_AGAIN) at the moment a
// credential spelled `localhost` opens, while another credential of the same account is spelled
// 127.0.0.1. Promise: the SMSC never sees more binds than the cap. The connection itself
// resolves again when it connects (and succeeds), so only the account's name is at stake.
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import type { SmppConnectionConfig } from '../../src/registry/smpp-registry';
import { closeRedisClients } from '../../src/redis/redis-clients';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { startPrivateRedis } from '../support/private-redis';
import type { PrivateRedis } from '../support/private-redis';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';

let failNextLocalhostLookup = false;
jest.mock('dns/promises', () => {
  const actual = jest.requireActual('dns/promises');
  return {
    ...actual,
    lookup: async (host: string, options: unknown) => {
      if (failNextLocalhostLookup && host === 'localhost') {
        failNextLocalhostLookup = false;
        throw Object.assign(new Error('getaddrinfo EAI_AGAIN localhost'), { code: 'EAI_AGAIN' });
      }
      return actual.lookup(host, options);
    },
  };
});

describe('bind cap across processes when DNS fails for a moment', () => {
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

  // slotWaitMs: how long a first start waits for a slot (BindPoolOptions), passed through the config.
  const account = (host: string, binds: number): SmppConnectionConfig & { slotWaitMs: number } => ({
    ...sandboxTransportOptions(smsc),
    host,
    label: `dns-${host}`,
    binds,
    maxBindsAcrossProcesses: 2,
    slotWaitMs: 1500,
    throttleRedis: { host: '127.0.0.1', port: redis.port },
    receipts: { keyPrefix: 'dns-hiccup:' },
  });

  it('a transient EAI_AGAIN does not give the account a second cap: never more than 2 binds', async () => {
    const a = await acquireSmppTransport(account('127.0.0.1', 2));
    await waitFor(() => smsc.sessionCount === 2, 'the 2 binds of 127.0.0.1');
    failNextLocalhostLookup = true;
    // No slot for localhost (its account's 2 are held): the node fails, the hiccup named in the reason.
    await expect(acquireSmppTransport(account('localhost', 2))).rejects.toThrow('the carrier host "localhost" did not resolve (EAI_AGAIN)');
    // Leases are polled every 500 ms: long enough for seats to take slots they should not have.
    await new Promise((r) => setTimeout(r, 2000));
    expect({ peak: smsc.peakSessionCount, bound: a.resource.boundCount }).toEqual({ peak: 2, bound: 2 });
  }, 30_000);

  it('the bind whose lookup failed is opened once the host resolves again', async () => {
    failNextLocalhostLookup = true;
    const b = await acquireSmppTransport(account('localhost', 2));
    await waitFor(() => b.resource.boundCount === 2, 'both binds of localhost');
    expect({ peak: smsc.peakSessionCount, lookupFailed: !failNextLocalhostLookup }).toEqual({ peak: 2, lookupFailed: true });
  }, 30_000);
});
