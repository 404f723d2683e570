import { createHash, createHmac, randomBytes } from 'crypto';
import { carrierReceiptTracker } from '../dlr/carrier-receipts';
import type { IdFormatSetting } from '../dlr/receipt-ids';
import type { ReceiptTracker } from '../dlr/receipt-tracker';
import { receiptTrackerFor, shareReceiptsThrough } from '../dlr/tracker-registry';
import { ShareableThrottle } from '../throttle/shareable-throttle';
import type { ThrottleRedis } from '../throttle/tps-throttle';
import { pingRedis, redisClient } from '../redis/redis-clients';
import type { RedisConnection } from '../redis/redis-clients';
import { SmppBindPool } from '../transport/smpp/bind-pool';
import { SentDataCodings, sentCodingOf } from '../transport/smpp/sent/sent-data-codings';
import type { SentCoding } from '../transport/smpp/sent/sent-data-codings';
import { RedisBindSlots } from './bind-slots';
import { carrierAccountKey } from './account-address';
import { FieldError } from '../errors';
import { SharedDataCodings } from './shared-data-codings';
import { SmppSubmitCounter, observeSmppTransport } from '../observability/smpp-observer';
import type { SmppTransportOptions } from '../transport/smpp/types';
import { SharedResourcePool, processWide } from '../process-wide/shared-resource-pool';
import type { Lease } from '../process-wide/shared-resource-pool';

export interface SmppConnectionConfig extends SmppTransportOptions {
  /** Messages per second for this credential (0 or absent: no limit). */
  tps?: number;
  /** Redis for a TPS budget shared by all n8n processes: only ever added to a bind's budget (see ShareableThrottle). */
  throttleRedis?: ThrottleRedis;
  /** How the carrier writes message ids in receipts, and the Redis that shares receipts between n8n processes. */
  receipts?: { idFormat?: IdFormatSetting; redis?: RedisConnection; keyPrefix?: string };
  /** The n8n credential's name: the label of this bind's log lines and metrics (never the host or password). */
  credentialName?: string;
  /** Binds this process opens for the account (default 1); the window is per bind, the TPS cap for them all. */
  binds?: number;
  /** Binds allowed across every n8n process sharing `throttleRedis` (0 or absent: no cap); leases in Redis. */
  maxBindsAcrossProcesses?: number;
}

/** The receipt tracker of this connection's carrier (see src/dlr/carrier-receipts.ts). */
export function receiptTrackerOf(config: SmppConnectionConfig): ReceiptTracker {
  return carrierReceiptTracker({ host: config.host, port: config.port, ...config.receipts });
}

/**
 * Which bind a config means: the account at the carrier (host, port, TLS, system_id and how it
 * binds). Every other setting (password, TPS, window, timeouts, TLS checks, shared-TPS Redis) is
 * a setting of that bind: a config that differs there reconfigures the shared transport.
 */
export function connectionKey(config: SmppConnectionConfig): string {
  return [
    config.host,
    config.port,
    config.tls ? 'tls' : 'tcp',
    config.systemId,
    config.systemType ?? '',
    config.bindMode ?? 'transceiver',
    config.interfaceVersion ?? 0x34,
    config.addressRange ?? '',
    config.binds ?? 1,
    config.maxBindsAcrossProcesses ?? 0,
  ].join('|');
}

/** Keys the settings fingerprint (it covers the password): random per process, never stored. */
const FINGERPRINT_KEY = randomBytes(32);

/** The credential settings of a bind, as a keyed hash (the password is in it); see connectionKey. */
function settingsFingerprint(config: SmppConnectionConfig): string {
  // Not the shared-TPS Redis: nodes of one bind may differ there (their State Store), and the budget
  // only ever moves to Redis (acquireSmppTransport), never back with each node that uses the bind.
  const settings = [
    config.password,
    config.allowSelfSigned === true,
    config.checkHostname !== false,
    config.connectTimeoutMs ?? null,
    config.tps ?? 0,
    config.windowSize ?? 10,
    config.enquireLinkMs ?? 30_000,
    config.responseTimeoutMs ?? 10_000,
  ];
  return createHmac('sha256', FINGERPRINT_KEY).update(JSON.stringify(settings)).digest('hex');
}

function throttleFor(config: SmppConnectionConfig, redis = config.throttleRedis): ShareableThrottle | undefined {
  return config.tps && config.tps > 0 ? new ShareableThrottle({ tps: config.tps, key: tpsBudgetKey(config), redis }) : undefined;
}

/** Per open transport: the settings applied (and their fingerprint), its throttle, and a settings change under way. */
interface Applied {
  fingerprint: string;
  config: SmppConnectionConfig;
  throttle: ShareableThrottle | undefined;
  change?: Promise<void>;
}
const applied = processWide('smppAppliedSettings', () => new WeakMap<SmppBindPool, Applied>());

/**
 * A user edited the credential while its bind is shared (an active SMS Trigger holds it for good):
 * the new settings apply to the same transport, so the trigger's handlers stay and nothing queued
 * moves; see SmppTransport.reconfigure. Callers with the same new settings share one change.
 * Settings the carrier refuses (a typo, or a stale second credential of the account with an old
 * password) fail that caller only: the bind goes back to the settings that worked, so one bad
 * credential cannot take down a bind others use.
 */
/** How long a TPS some caller used stays in force on the bind (the lowest applies, see lowestRecentTps). */
const TPS_MEMORY_MS = 60_000;
/** Per open transport: each TPS callers asked with (0: none), and when last. */
const tpsAsked = processWide('smppTpsAsked', () => new WeakMap<SmppBindPool, Map<number, number>>());

/**
 * The TPS a bind keeps: the lowest any caller asked with in the last minute. Two credentials of
 * one account (a stale copy with an older TPS) share the bind; taking the last caller's would let
 * the higher one through whenever it is used. A raised TPS applies once the old one went unused
 * for a minute.
 */
function lowestRecentTps(transport: SmppBindPool, tps: number): number {
  const now = performance.now();
  let asked = tpsAsked.get(transport);
  if (!asked) tpsAsked.set(transport, (asked = new Map()));
  asked.set(tps, now);
  let lowest = Infinity;
  for (const [value, at] of asked) {
    if (now - at > TPS_MEMORY_MS) asked.delete(value);
    else if (value > 0) lowest = Math.min(lowest, value);
  }
  return Number.isFinite(lowest) ? lowest : 0;
}

async function applySettings(transport: SmppBindPool, asked: SmppConnectionConfig): Promise<void> {
  const config = { ...asked, tps: lowestRecentTps(transport, asked.tps ?? 0) };
  const current = applied.get(transport);
  const fingerprint = settingsFingerprint(config);
  if (!current || current.fingerprint === fingerprint) return current?.change;
  // A budget already shared stays shared with the new settings.
  const throttle = throttleFor(config, config.throttleRedis ?? current.throttle?.sharedRedis ?? undefined);
  const change = (async () => {
    try {
      await throttle?.ready();
    } catch (err) {
      // Nothing changed: the transport keeps its settings, and the next caller tries again.
      applied.set(transport, current);
      await throttle?.close();
      throw err;
    }
    // The edited budget remembers the sends of the last second (a fresh one would add a second's worth).
    if (throttle && current.throttle) throttle.inheritFrom(current.throttle);
    try {
      await transport.reconfigure({ ...config, throttle }); // swaps the throttle at once
    } catch (err) {
      applied.set(transport, { ...current, change: undefined });
      // Binds again (as reconnecting goes on) with the settings that worked.
      void transport.reconfigure({ ...current.config, throttle: current.throttle }).catch(() => undefined);
      await throttle?.close();
      throw err;
    }
    void current.throttle?.close();
  })();
  applied.set(transport, { fingerprint, config, throttle, change: change.catch(() => undefined) });
  await change;
}

/**
 * Names the shared TPS budget in Redis: the carrier account (host, port, system_id), never the
 * password, since anyone who can read Redis sees key names. Every credential for one account
 * shares one budget, which is what the carrier counts.
 */
export function tpsBudgetKey(config: Pick<SmppConnectionConfig, 'host' | 'port' | 'systemId'>): string {
  return createHash('sha256').update([config.host.toLowerCase(), config.port, config.systemId].join('|')).digest('hex').slice(0, 24);
}

/**
 * With Max Binds Across Processes and a Redis to count in, each bind holds a lease on one of the
 * account's slots (see bind-slots.ts); named by the account as the carrier sees it (the host
 * resolved, so `localhost` and `127.0.0.1` count together), never the password.
 */
function bindSlotsFor(config: SmppConnectionConfig): RedisBindSlots | undefined {
  const cap = config.maxBindsAcrossProcesses ?? 0;
  if (!(cap > 0) || !config.throttleRedis) return undefined;
  // The lease's lifetime: how soon a dead process's binds free up (tests shorten it).
  const ttlMs = Number(process.env.SMS_GATEWAY_BIND_LEASE_MS) || undefined;
  // Named again at each bind: a resolver hiccup then delays that bind instead of naming the account otherwise.
  const key = async (): Promise<string> => `${config.receipts?.keyPrefix ?? 'sms-gw:'}smpp-binds:${await carrierAccountKey(config)}`;
  return new RedisBindSlots(redisClient(config.throttleRedis), { key, cap, ttlMs });
}

/**
 * The data_coding of the messages this process sent to one carrier account (every one, GSM-7
 * too), kept beyond the bind's life: a Replace Sent Message an hour later opens a new bind.
 */
function sentDataCodingsOf(config: Pick<SmppConnectionConfig, 'host' | 'port' | 'systemId'>): SentDataCodings {
  const all = processWide('smppSentDataCodings', () => new Map<string, SentDataCodings>());
  const key = tpsBudgetKey(config);
  let codings = all.get(key);
  if (!codings) all.set(key, (codings = new SentDataCodings()));
  return codings;
}

/** Per account and Redis: the data codings shared through it (see shared-data-codings.ts). */
function sharedDataCodingsOf(config: SmppConnectionConfig): SharedDataCodings | undefined {
  const receipts = config.receipts;
  if (!receipts?.redis) return undefined;
  const all = processWide('smppSharedDataCodings', () => new Map<string, SharedDataCodings>());
  const key = `${receipts.keyPrefix ?? 'sms-gw:'}sent-dc:${tpsBudgetKey(config)}`;
  const id = `${key}@${receipts.redis.host}:${receipts.redis.port}/${receipts.redis.db ?? 0}`;
  let shared = all.get(id);
  if (!shared) all.set(id, (shared = new SharedDataCodings(redisClient(receipts.redis), key)));
  return shared;
}

/**
 * The data_coding `messageId` was sent with, and whether it was one part of a long message, for
 * replace_sm; undefined when it is not known. With State Store Redis the shared record is asked
 * first: a carrier that hands an ID out again (an SMSC restart) may have given it to a message
 * another process sent since, and this process's memory of the ID would be the old message's.
 * This process's memory answers when Redis has no record (a lost write, a record older than the
 * share's three days) or cannot be reached; without Redis it is the only record.
 */
export async function sentDataCodingOf(config: SmppConnectionConfig, messageId: string): Promise<SentCoding | undefined> {
  const remembered = (): number | undefined => sentDataCodingsOf(config).get(messageId);
  let recorded: number | undefined;
  try {
    recorded = (await sharedDataCodingsOf(config)?.get(messageId)) ?? remembered();
  } catch (err) {
    recorded = remembered();
    // Guessing would risk a garbled text on the phone: say why it cannot be known.
    if (recorded === undefined)
      throw new FieldError(
        'stateStore',
        `Cannot read from Redis which alphabet message ${messageId.trim()} was sent in (replace_sm must keep it): ${(err as Error).message}`,
      );
  }
  return recorded === undefined ? undefined : sentCodingOf(recorded);
}

async function openTransport(
  config: SmppConnectionConfig,
  key: string,
  pool: SharedResourcePool<SmppBindPool>,
  beforeStart?: (transport: SmppBindPool) => void,
): Promise<SmppBindPool> {
  const throttle = throttleFor(config);
  const counter = new SmppSubmitCounter(config.credentialName ?? config.systemId);
  const transport = new SmppBindPool({ ...config, throttle, observer: counter, slots: bindSlotsFor(config), sentDataCodings: sentDataCodingsOf(config) });
  observeSmppTransport(transport, counter);
  applied.set(transport, { fingerprint: settingsFingerprint(config), config, throttle });
  lowestRecentTps(transport, config.tps ?? 0);
  const closeThrottle = (): void => void applied.get(transport)?.throttle?.close();
  // Before the bind: receipts the carrier sends right after bind_resp are recorded, not acknowledged unseen.
  receiptTrackerFor(transport, receiptTrackerOf(config));
  beforeStart?.(transport);
  transport.once('gaveUp', () => {
    pool.evict(key, transport);
    closeThrottle();
  });
  transport.once('closed', closeThrottle);
  try {
    await throttle?.ready();
    // Receipts are recorded in Redis before they are acknowledged: say now, not at the first receipt, when it cannot be reached.
    const receiptRedis = config.receipts?.redis;
    if (receiptRedis)
      await pingRedis(
        redisClient(receiptRedis),
        3000,
        (problem) =>
          `Cannot reach Redis at ${receiptRedis.host}:${receiptRedis.port} for the shared delivery receipts (check ${receiptRedis.source ?? 'Redis Host and Redis Port in the SMPP credential'}): ${problem}`,
      );
    await transport.start();
  } catch (err) {
    await throttle?.close();
    throw err;
  }
  return transport;
}

function registry(): SharedResourcePool<SmppBindPool> {
  return processWide('smppRegistry', () => {
    const graceMs = Number(process.env.SMS_GATEWAY_IDLE_CLOSE_MS ?? 10_000);
    const pool: SharedResourcePool<SmppBindPool> = new SharedResourcePool<SmppBindPool>((transport) => transport.close(), graceMs);
    return pool;
  });
}

/**
 * One live pool of binds per credential per process (one bind unless the credential asks for more), shared by the SMS Trigger and every
 * sending node; release() when done (it closes after an idle grace period).
 * `beforeStart` runs only when this call opens the transport, before it binds: the SMS Trigger
 * adds its inbound handler there, so deliver_sm the carrier sends right after bind_resp (queued
 * MO messages and receipts) find a handler instead of being acknowledged unseen.
 */
export async function acquireSmppTransport(config: SmppConnectionConfig, beforeStart?: (transport: SmppBindPool) => void): Promise<Lease<SmppBindPool>> {
  const pool = registry();
  const key = connectionKey(config);
  const lease = await pool.acquire(key, () => openTransport(config, key, pool, beforeStart));
  try {
    await applySettings(lease.resource, config);
    // A node sharing the budget through Redis may use a bind another node opened with a local one.
    const throttle = applied.get(lease.resource)?.throttle;
    if (config.throttleRedis && throttle && throttle.sharedThrough === null) await throttle.share(config.throttleRedis);
  } catch (err) {
    await lease.release();
    throw err;
  }
  // Likewise the receipts: a node sharing them through Redis may use a bind another node opened.
  if (config.receipts?.redis) shareReceiptsThrough(lease.resource, receiptTrackerOf(config));
  // And the data codings Replace Sent Message needs (the first Redis wins, as for the receipts).
  const shared = sharedDataCodingsOf(config);
  const codings = sentDataCodingsOf(config);
  if (shared && !codings.onRecord) codings.onRecord = (id, coding) => shared.add(id, coding);
  return lease;
}

/**
 * Applies `config` to a transport this registry opened (a holder re-reading its credential, e.g.
 * an SMS Trigger that sends nothing). A config for another bind (host, port, system_id, ...
 * changed) cannot be applied to this one: it resolves false, and the holder has to reopen.
 */
export async function reapplySmppSettings(transport: SmppBindPool, config: SmppConnectionConfig): Promise<boolean> {
  if (connectionKey(config) !== connectionKey(transport.options as SmppConnectionConfig)) return false;
  await applySettings(transport, config);
  return true;
}

export function smppRegistryUsers(config: SmppConnectionConfig): number {
  return registry().users(connectionKey(config));
}

export function closeAllSmppTransports(): Promise<void> {
  return registry().closeAll();
}
