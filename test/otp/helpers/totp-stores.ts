/**
 * The two authenticator stores the TOTP tests run against: memory, and the real Redis at
 * 127.0.0.1:6379 under a key prefix unique to the test (removed afterwards), reached through two
 * connections so that two "processes" can race.
 */
import Redis from 'ioredis';
import { TotpService } from '../../../src/otp';
import type { TotpStore } from '../../../src/otp';
import { createMemoryTotpStore, MemoryTotpStore } from '../../../src/otp/totp-memory-store';
import { createRedisTotpStore } from '../../../src/otp/totp-redis-store';
import { authenticatorCode } from '../../fixtures/otp/authenticator-app';
import { deleteRedisPrefix, dumpRedisPrefix, REDIS_URL, uniquePrefix } from './otp-backends';
import type { ManualClock } from './manual-clock';

export interface TotpStoreSetup {
  name: 'memory' | 'redis';
  /** A fresh store; Redis decides on `clock` (its test clock) instead of TIME, so the test can move time. */
  store(clock?: ManualClock): TotpStore;
  /** A second store over the same data (another Redis connection), for racing processes. */
  sibling(clock?: ManualClock): TotpStore;
  dump(): Promise<string>;
  close(): Promise<void>;
}

export function memoryTotpSetup(): TotpStoreSetup {
  let store = createMemoryTotpStore();
  return {
    name: 'memory',
    store: () => (store = createMemoryTotpStore()),
    sibling: () => store,
    dump: async () => (store as MemoryTotpStore).snapshot(),
    close: async () => undefined,
  };
}

export function redisTotpSetup(): TotpStoreSetup {
  const first = new Redis(REDIS_URL);
  const second = new Redis(REDIS_URL);
  let prefix = uniquePrefix();
  const used: string[] = [];
  return {
    name: 'redis',
    store: (clock) => {
      prefix = uniquePrefix();
      used.push(prefix);
      return createRedisTotpStore(first, { keyPrefix: prefix, testClock: clock?.now });
    },
    sibling: (clock) => createRedisTotpStore(second, { keyPrefix: prefix, testClock: clock?.now }),
    dump: () => dumpRedisPrefix(first, prefix),
    close: async () => {
      for (const p of used) await deleteRedisPrefix(first, p);
      await Promise.all([first.quit(), second.quit()]);
    },
  };
}

/** Enrols `userId` and confirms it with the code the app shows one step earlier (its first good code). */
export async function enrolConfirmed(service: TotpService, userId: string, atMs: number): Promise<string> {
  const { secret } = await service.enrol(userId, { issuer: 'ACME', label: userId });
  const confirmation = await service.verify(userId, authenticatorCode(secret, atMs - 30_000));
  if (!confirmation.confirmed) throw new Error(`the enrolment of ${userId} was not confirmed: ${JSON.stringify(confirmation)}`);
  return secret;
}

/** Both stores for a test file (closed after it), as describe.each rows: [name, setup]. */
export function useTotpSetups(): Array<readonly [TotpStoreSetup['name'], TotpStoreSetup]> {
  const setups = [memoryTotpSetup(), redisTotpSetup()];
  afterAll(async () => {
    for (const setup of setups) await setup.close();
  });
  return setups.map((setup) => [setup.name, setup] as const);
}
