/**
 * Where the OTP nodes keep verifications, and the key that signs them.
 *
 * Memory: one store per n8n process, and a random signing key made once per process (the
 * store dies with the process, so nothing else needs the key). Redis: the store is shared by
 * main and workers, so the key must be too: it comes from the SMS OTP Settings credential and
 * never goes into Redis.
 */
import { randomBytes } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';
import type { Redis } from 'ioredis';
import { createMemoryOtpStore, createMemoryTotpStore, createRedisOtpStore, createRedisTotpStore } from '../../../src/otp';
import type { OtpStore, TotpStore } from '../../../src/otp';
import { observeWith } from '../../../src/observability';
import { processWide } from '../../../src/process-wide';
import { FieldError } from '../errors/field-error';
import { otpTestNow } from './otp-clock';
import { OTP_CREDENTIAL, optionalOtpSettings } from '../credentials/otp-settings';
import type { OtpSettings } from '../credentials/otp-settings';
import { redisFor } from '../state/state-stores';

export interface OtpState {
  mode: 'memory' | 'redis';
  store: OtpStore;
  /** Authenticator enrolments, attempts and last accepted steps. */
  totp: TotpStore;
  serverKey: Buffer | string;
  /** The SMS OTP Settings credential, when one is selected (always, in Redis mode). */
  settings?: OtpSettings;
  /** Labels OTP outcomes in the metrics: the SMS OTP Settings credential's name, else "default". */
  label?: string;
}

/** Sub-prefix under the Redis credential's key prefix. */
export const OTP_REDIS_SUBPREFIX = 'otp:';

export function memoryOtpStore(): OtpStore {
  return processWide('otpMemoryStore', () => createMemoryOtpStore());
}

function processSigningKey(): Buffer {
  return processWide('otpProcessSigningKey', () => randomBytes(32));
}

interface RedisOtpStores {
  otp: OtpStore;
  totp: TotpStore;
}

/** One pair of store objects per Redis client and prefix (the stores register their Lua scripts on the client). */
function redisOtpStores(redis: Redis, keyPrefix: string): RedisOtpStores {
  const byClient = processWide('otpRedisStorePairs', () => new WeakMap<Redis, Map<string, RedisOtpStores>>());
  let byPrefix = byClient.get(redis);
  if (!byPrefix) byClient.set(redis, (byPrefix = new Map()));
  let stores = byPrefix.get(keyPrefix);
  if (!stores)
    byPrefix.set(
      keyPrefix,
      (stores = { otp: createRedisOtpStore(redis, { keyPrefix }), totp: createRedisTotpStore(redis, { keyPrefix, testClock: otpTestNow }) }),
    );
  return stores;
}

/** The node's state store (its State Store parameter) and signing key. */
export async function otpStateFor(ctx: IExecuteFunctions): Promise<OtpState> {
  observeWith(ctx.logger);
  return { ...(await readOtpState(ctx)), label: otpLabel(ctx) };
}

/** The SMS OTP Settings credential's name (the label of OTP metrics), else "default". */
export function otpLabel(ctx: IExecuteFunctions): string {
  return ctx.getNode().credentials?.[OTP_CREDENTIAL]?.name ?? 'default';
}

async function readOtpState(ctx: IExecuteFunctions): Promise<OtpState> {
  const settings = await optionalOtpSettings(ctx);
  if (ctx.getNodeParameter('stateStore', 0, 'memory') !== 'redis') {
    const totp = processWide<TotpStore>('otpMemoryTotpStore', () => createMemoryTotpStore());
    return { mode: 'memory', store: memoryOtpStore(), totp, serverKey: processSigningKey(), settings };
  }
  if (!settings) {
    throw new FieldError(
      'credential',
      'State Store is Redis, so select an SMS OTP Settings credential: its Server Signing Key must be the same in every n8n process that issues or verifies codes',
    );
  }
  const { redis, prefix } = await redisFor(ctx);
  const stores = redisOtpStores(redis, `${prefix}${OTP_REDIS_SUBPREFIX}`);
  return { mode: 'redis', store: stores.otp, totp: stores.totp, serverKey: settings.serverKey, settings };
}
