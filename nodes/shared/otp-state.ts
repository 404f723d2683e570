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
import { createMemoryOtpStore, createRedisOtpStore } from '../../src/otp';
import type { OtpStore } from '../../src/otp';
import { processWide } from '../../src/registry/shared-resource-pool';
import { FieldError } from './field-error';
import { optionalOtpSettings } from './otp-settings';
import type { OtpSettings } from './otp-settings';
import { redisFor } from './state-stores';

export interface OtpState {
  mode: 'memory' | 'redis';
  store: OtpStore;
  serverKey: Buffer | string;
  /** The SMS OTP Settings credential, when one is selected (always, in Redis mode). */
  settings?: OtpSettings;
}

/** Sub-prefix under the Redis credential's key prefix. */
export const OTP_REDIS_SUBPREFIX = 'otp:';

export function memoryOtpStore(): OtpStore {
  return processWide('otpMemoryStore', () => createMemoryOtpStore());
}

function processSigningKey(): Buffer {
  return processWide('otpProcessSigningKey', () => randomBytes(32));
}

/** One store object per Redis client and prefix (the store registers its Lua scripts on the client). */
function redisOtpStore(redis: Redis, keyPrefix: string): OtpStore {
  const byClient = processWide('otpRedisStores', () => new WeakMap<Redis, Map<string, OtpStore>>());
  let byPrefix = byClient.get(redis);
  if (!byPrefix) byClient.set(redis, (byPrefix = new Map()));
  let store = byPrefix.get(keyPrefix);
  if (!store) byPrefix.set(keyPrefix, (store = createRedisOtpStore(redis, { keyPrefix })));
  return store;
}

export async function otpStateFor(ctx: IExecuteFunctions): Promise<OtpState> {
  const settings = await optionalOtpSettings(ctx);
  if (ctx.getNodeParameter('stateStore', 0, 'memory') !== 'redis') {
    return { mode: 'memory', store: memoryOtpStore(), serverKey: processSigningKey(), settings };
  }
  if (!settings) {
    throw new FieldError(
      'credential',
      'State Store is Redis, so select an SMS OTP Settings credential: its Server Signing Key must be the same in every n8n process that issues or verifies codes',
    );
  }
  const { redis, prefix } = await redisFor(ctx);
  return { mode: 'redis', store: redisOtpStore(redis, `${prefix}${OTP_REDIS_SUBPREFIX}`), serverKey: settings.serverKey, settings };
}
