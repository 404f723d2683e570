// Binds capped through Redis leases when Redis goes away: a bind that cannot renew its lease
// closes before the lease could run out (so another process taking the slot never makes one bind
// too many), and the binds come back once Redis does.
import Redis from 'ioredis';
import { acquireSmppTransport, closeAllSmppTransports } from '../../src/registry/smpp-registry';
import { RedisBindSlots } from '../../src/registry/bind-slots';
import { SmppBindPool } from '../../src/transport/smpp/bind-pool';
import { closeRedisClients } from '../../src/redis/redis-clients';
import type { SandboxSmsc } from '../../src/sandbox/sandbox-smsc';
import { simpleSubmit } from '../support/messages';
import { startPrivateRedis } from '../support/private-redis';
import type { PrivateRedis } from '../support/private-redis';
import { sandboxTransportOptions, startSandbox, waitFor } from '../support/sandbox';

const LEASE_MS = 3000;

describe('bind leases when Redis goes away', () => {
  let smsc: SandboxSmsc;
  let redis: PrivateRedis;
  beforeAll(() => {
    process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
    process.env.SMS_GATEWAY_BIND_LEASE_MS = String(LEASE_MS);
  });
  afterAll(() => {
    delete process.env.SMS_GATEWAY_BIND_LEASE_MS;
  });
  afterEach(async () => {
    await closeAllSmppTransports();
    await closeRedisClients();
    await redis.stop();
    await smsc.stop();
  });

  it('closes its binds before their leases run out, and binds again when Redis is back', async () => {
    smsc = await startSandbox();
    redis = await startPrivateRedis();
    const lease = await acquireSmppTransport({
      ...sandboxTransportOptions(smsc),
      label: 'lease-test',
      binds: 2,
      maxBindsAcrossProcesses: 2,
      throttleRedis: { host: '127.0.0.1', port: redis.port },
      receipts: { keyPrefix: 'lease-test:' },
    });
    await waitFor(() => smsc.sessionCount === 2, '2 binds');
    await redis.stop();
    const stoppedAt = Date.now();
    await waitFor(() => smsc.sessionCount === 0, 'the binds to close without their leases', LEASE_MS * 2);
    // Before the last renewed lease could have expired, whoever else might take the slot.
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS);
    // The sandbox counts a session gone when it closes the socket after unbind_resp; the client
    // learns of the close a moment later (seen once on a loaded machine: 'bound' read in between).
    await waitFor(() => lease.resource.state === 'reconnecting', 'the pool to wait for a bind', 1000);
    expect(lease.resource.state).toBe('reconnecting');
    // A message sent meanwhile waits for a bind, and goes once Redis (and so a bind) is back.
    const waiting = lease.resource.submit(simpleSubmit('447700900123'));
    await redis.restart();
    await waitFor(() => smsc.sessionCount === 2, 'the binds back with Redis', 15_000);
    await expect(waiting).resolves.toMatchObject({ messageId: expect.any(String) });
    await lease.release();
  }, 40_000);

  it('a process that gets no slot fails its start naming the cap, and opens no bind', async () => {
    smsc = await startSandbox();
    redis = await startPrivateRedis();
    const client = new Redis({ host: '127.0.0.1', port: redis.port });
    const slots = (): RedisBindSlots => new RedisBindSlots(client, { key: 'full-test:binds', cap: 2, ttlMs: LEASE_MS });
    const first = new SmppBindPool({ ...sandboxTransportOptions(smsc), binds: 2, slots: slots() });
    await first.start();
    await waitFor(() => smsc.sessionCount === 2, "the first process's 2 binds");
    const second = new SmppBindPool({ ...sandboxTransportOptions(smsc), binds: 1, slots: slots(), slotWaitMs: 500 });
    await expect(second.start()).rejects.toThrow(/all 2 binds allowed for .* across n8n processes are in use \(Max Binds Across Processes\)/);
    expect(smsc.peakSessionCount).toBe(2);
    await first.close();
    client.disconnect();
  }, 40_000);

  it('a first start with Redis away fails at once with the reason', async () => {
    smsc = await startSandbox();
    redis = await startPrivateRedis();
    await redis.stop();
    const started = Date.now();
    await expect(
      acquireSmppTransport({
        ...sandboxTransportOptions(smsc),
        label: 'lease-down',
        binds: 2,
        maxBindsAcrossProcesses: 2,
        throttleRedis: { host: '127.0.0.1', port: redis.port },
        receipts: { keyPrefix: 'lease-down:' },
      }),
    ).rejects.toThrow(/Redis/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(smsc.stats.binds).toBe(0);
  }, 40_000);
});
