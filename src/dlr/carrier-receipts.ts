import { processWide } from '../process-wide/shared-resource-pool';
import { redisClient, redisIdentity } from '../redis/redis-clients';
import type { RedisConnection } from '../redis/redis-clients';
import type { IdFormatSetting } from './receipt-ids';
import { ReceiptTracker } from './receipt-tracker';
import { RedisReceiptStore } from './redis-receipt-store';

/** Where a carrier's receipts are kept and how it writes message ids (from the SMPP Carrier credential). */
export interface CarrierReceiptSettings {
  host: string;
  port: number;
  idFormat?: IdFormatSetting;
  /** Shared with every n8n process through this Redis (queue mode); absent: this process only. */
  redis?: RedisConnection;
  /** The SMS Gateway Redis credential's key prefix (default 'sms-gw:'): instances or tenants on one Redis keep their own. */
  keyPrefix?: string;
}

/**
 * Redis key prefix of a carrier's receipts: under the configured key prefix, one per SMSC host and
 * port, whatever account or bind mode received them (a transmitter and a receiver account of one
 * customer may have different system_ids). Tenants that must not see each other's receipts use
 * their own key prefix.
 */
export function receiptKeyPrefix(settings: Pick<CarrierReceiptSettings, 'host' | 'port' | 'keyPrefix'>): string {
  return `${settings.keyPrefix ?? 'sms-gw:'}dlr:${settings.host.trim().toLowerCase()}:${settings.port}:`;
}

function receiptTtlSeconds(): number {
  const hours = Number(process.env.SMS_GATEWAY_RECEIPT_TTL_HOURS ?? 72);
  return Math.max(60, Math.round((Number.isFinite(hours) && hours > 0 ? hours : 72) * 3600));
}

/** The carrier's receipts in Redis, when they are shared ("Share via Redis"); null when they stay in this process. */
export function sharedReceiptStore(settings: CarrierReceiptSettings): RedisReceiptStore | null {
  return settings.redis
    ? new RedisReceiptStore({ redis: redisClient(settings.redis), prefix: receiptKeyPrefix(settings), ttlSeconds: receiptTtlSeconds() })
    : null;
}

/**
 * The receipt tracker of a carrier in this process. Every bind to the SMSC (the trigger's receiver,
 * the senders' transmitter or transceiver) feeds the same one, and every wait uses it: a receipt that
 * comes in on another bind than the one that sent the message is still found. Message ids are unique
 * per SMSC, so the carrier is its host and port (a transmitter and a receiver account share them).
 */
export function carrierReceiptTracker(settings: CarrierReceiptSettings): ReceiptTracker {
  const trackers = processWide('carrierReceiptTrackers', () => new Map<string, ReceiptTracker>());
  const key = [receiptKeyPrefix(settings), settings.idFormat ?? 'same', settings.redis ? redisIdentity(settings.redis) : 'memory'].join('|');
  let tracker = trackers.get(key);
  if (!tracker) {
    tracker = new ReceiptTracker({ idFormat: settings.idFormat, store: sharedReceiptStore(settings) ?? undefined });
    trackers.set(key, tracker);
  }
  return tracker;
}

/** Stops every tracker's shared feed and forgets them (tests). */
export function resetCarrierReceiptTrackers(): void {
  const trackers = processWide('carrierReceiptTrackers', () => new Map<string, ReceiptTracker>());
  for (const tracker of trackers.values()) tracker.close();
  trackers.clear();
}
