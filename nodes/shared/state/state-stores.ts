import type { ICredentialsDisplayOptions, IExecuteFunctions, ITriggerFunctions, INodeProperties } from 'n8n-workflow';
import { MemoryBroadcastJournal, RedisBroadcastJournal } from '../../../src/broadcast';
import { MemorySendLedger, RedisSendLedger } from '../../../src/journal';
import type { SendLedger } from '../../../src/journal';
import type { BroadcastJournal } from '../../../src/broadcast';
import { MemoryOptOutStore, RedisOptOutStore } from '../../../src/optout';
import type { OptOutStore } from '../../../src/optout';
import type { SmppConnectionConfig } from '../../../src/registry';
import { processWide } from '../../../src/process-wide';
import { readRedisCredential, REDIS_CREDENTIAL, sharedRedis } from './redis-connection';
import { memoryApplicationReceipts, RedisApplicationReceipts, relayApplicationReceipts } from '../../../src/dlr';
import type { ApplicationReceipts, ReceiptRoute, ReceiptSender } from '../../../src/dlr';
import { redisIdentity } from '../../../src/redis';
import { nodeCredential } from '../credentials/node-credential';

/**
 * The "State Store" parameter, for nodes whose state must survive or be shared. Redis needs the
 * SMS Gateway Redis credential; the carrier's TPS budget and delivery receipts are shared through
 * it too (shareThroughStateStore), so Redis is configured in one place.
 */
export const stateStoreProperty: INodeProperties = {
  displayName: 'State Store',
  name: 'stateStore',
  type: 'options',
  noDataExpression: true,
  default: 'memory',
  options: [
    { name: 'Memory (This Process Only)', value: 'memory', description: 'Single n8n process; lost on restart' },
    {
      name: 'Redis (Shared, Required for Queue Mode)',
      value: 'redis',
      description: "Shared by main and workers (opt-outs, journals, codes, the carrier's TPS budget and receipts); survives restarts",
    },
  ],
};

/**
 * When the SMS Gateway Redis slot shows: State Store is "Redis", and not where the State Store is
 * hidden (e.g. version 1 enrolment): n8n's `not` condition also holds for a parameter that is not
 * there. A `hide` rule, as every slot's (see test/nodes/editor-layout.test.ts). n8n's type for
 * credential conditions lists plain values only; its displayParameter reads `_cnd` for credentials
 * as for parameters (the editor suite checks it in the real editor).
 */
export const WITH_REDIS_STORE = { hide: { stateStore: [{ _cnd: { not: 'redis' } }] } } as unknown as ICredentialsDisplayOptions;

type Ctx = IExecuteFunctions | ITriggerFunctions;

async function redisFor(ctx: Ctx): Promise<{ redis: Awaited<ReturnType<typeof sharedRedis>>; prefix: string }> {
  const settings = readRedisCredential(await nodeCredential(ctx, REDIS_CREDENTIAL));
  return { redis: await sharedRedis(settings), prefix: settings.keyPrefix };
}

function useRedis(ctx: Ctx): boolean {
  return ctx.getNodeParameter('stateStore', 0, 'memory') === 'redis';
}

/** The opt-out store the node is configured for (memory is process-wide, shared with the SMS Trigger). */
export async function optOutStoreFor(ctx: Ctx): Promise<OptOutStore> {
  if (!useRedis(ctx)) return processWide('memoryOptOut', () => new MemoryOptOutStore());
  const { redis, prefix } = await redisFor(ctx);
  return new RedisOptOutStore(redis, `${prefix}optout:`);
}

export async function broadcastJournalFor(ctx: Ctx): Promise<BroadcastJournal> {
  if (!useRedis(ctx)) return processWide('memoryBroadcastJournal', () => new MemoryBroadcastJournal());
  const { redis, prefix } = await redisFor(ctx);
  return new RedisBroadcastJournal(redis, { prefix: `${prefix}broadcast:` });
}

/** Where Send SMS keeps its idempotency keys (memory is process-wide). */
export async function sendLedgerFor(ctx: Ctx): Promise<SendLedger> {
  if (!useRedis(ctx)) return processWide('memorySendLedger', () => new MemorySendLedger());
  const { redis, prefix } = await redisFor(ctx);
  return new RedisSendLedger(redis, `${prefix}sent:`);
}

/**
 * Where the SMS Trigger (SMPP server) remembers the receipts applications ask for, and where Send
 * SMS reports them: this process's memory, or Redis shared by main and workers (queue mode), where
 * the trigger's process relays reported receipts to its server.
 */
export async function applicationReceiptsFor(
  ctx: Ctx,
): Promise<{ store: ApplicationReceipts; relay?: (route: ReceiptRoute, send: ReceiptSender) => () => void }> {
  if (!useRedis(ctx)) return { store: memoryApplicationReceipts() };
  const settings = readRedisCredential(await nodeCredential(ctx, REDIS_CREDENTIAL));
  const redis = await sharedRedis(settings);
  const identity = redisIdentity({
    host: settings.host,
    port: settings.port,
    db: settings.db,
    username: settings.username,
    password: settings.password,
    tls: settings.tls,
  });
  return {
    store: new RedisApplicationReceipts(redis, settings.keyPrefix),
    relay: (route, send) =>
      relayApplicationReceipts(redis, identity, settings.keyPrefix, route, send, {
        onError: (error) => ctx.logger.warn(`SMS Gateway Trigger: a receipt for an SMPP application could not be relayed: ${error.message}`),
      }),
  };
}

export { redisFor };

/**
 * With State Store = Redis, a carrier connection shares its TPS budget and its delivery receipts
 * with every n8n process (main and workers) through the node's SMS Gateway Redis credential. An
 * SMPP Carrier credential saved with Redis settings of its own (before they moved here) keeps them.
 */
export async function shareThroughStateStore(ctx: Ctx, connection: SmppConnectionConfig): Promise<void> {
  if (!useRedis(ctx) || connection.throttleRedis) return;
  const settings = readRedisCredential(await nodeCredential(ctx, REDIS_CREDENTIAL));
  const redis = {
    host: settings.host,
    port: settings.port,
    username: settings.username,
    password: settings.password,
    db: settings.db,
    tls: settings.tls,
    source: 'Host and Port of the SMS Gateway Redis credential',
  };
  connection.throttleRedis = redis;
  connection.receipts = { ...connection.receipts, redis, keyPrefix: settings.keyPrefix };
}
