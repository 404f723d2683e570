import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { duringOutage } from './redis-outage';
import { recordOf } from './send-ledger';
import type { LedgerRecord, SendLedger, SettledRecord } from './send-ledger';

/**
 * KEYS[1] the ledger's epoch, KEYS[2] its loss marker, then the keys. ARGV: run, ttlMs, a new
 * epoch, the epoch this process saw last ('' for none), now, then one '1'/'0' per key: '1' for a
 * key that may repeat across executions (the user's own).
 * The epoch is a random value kept once per Redis dataset: a Redis that lost its data comes back
 * without it, and a process that saw another one knows the keys it held are gone. The loss marker
 * then lives for a key's lifetime; meanwhile a user's key not in the ledger may have been sent
 * before the loss: answered '#lost:<when>', not claimed.
 * Claims each other free key; returns the epoch, then '' for claimed keys, else the stored value.
 */
const CLAIM_SCRIPT = `
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  epoch = ARGV[3]
  redis.call('SET', KEYS[1], epoch)
end
if ARGV[4] ~= '' and ARGV[4] ~= epoch and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[2])
end
local lostAt = redis.call('GET', KEYS[2])
local mine = 's:' .. ARGV[1]
local out = {epoch}
for i = 3, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if not value then
    if lostAt and string.sub(ARGV[6], i - 2, i - 2) == '1' then
      out[#out + 1] = '#lost:' .. lostAt
    else
      redis.call('SET', KEYS[i], mine, 'PX', ARGV[2])
      out[#out + 1] = ''
    end
  else
    out[#out + 1] = value
  end
end
return out
`;

/** The epoch each ledger (Redis endpoint and prefix) had when this process last used it. */
const seenEpochs = new Map<string, string>();

/** KEYS[1] the key. ARGV: run. Deletes it if this run still holds it. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == 's:' .. ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

interface LedgerCommands {
  smsGatewayLedgerClaim(numberOfKeys: number, ...args: Array<string | number>): Promise<string[]>;
  smsGatewayLedgerRelease(key: string, run: string): Promise<number>;
}

/** One string key per idempotency key ('s:<run>' while claimed, then the settled record as JSON), expiring with its ttl. */
export class RedisSendLedger implements SendLedger {
  private readonly redis: Redis & LedgerCommands;

  private readonly endpoint: string;

  constructor(
    redis: Redis,
    private readonly prefix = 'sms-gw:sent:',
    private readonly outageToleranceMs = 30_000,
  ) {
    const o = redis.options ?? {};
    this.endpoint = `${o.host ?? ''}:${o.port ?? ''}/${o.db ?? 0}/${o.keyPrefix ?? ''}${prefix}`;
    const commands = redis as Redis & Partial<LedgerCommands>;
    if (!commands.smsGatewayLedgerClaim) {
      redis.defineCommand('smsGatewayLedgerClaim', { lua: CLAIM_SCRIPT });
      redis.defineCommand('smsGatewayLedgerRelease', { lua: RELEASE_SCRIPT, numberOfKeys: 1 });
    }
    this.redis = redis as Redis & LedgerCommands;
  }

  async claim(keys: string[], run: string, ttlMs: number): Promise<Array<LedgerRecord | null>> {
    const out: Array<LedgerRecord | null> = [];
    for (let i = 0; i < keys.length; i += 500) {
      const slice = keys.slice(i, i + 500);
      const batch = slice.map((k) => this.prefix + k);
      // Only the user's own keys can repeat across executions; the default keys name the execution.
      const guarded = slice.map((k) => (k.startsWith('user:') ? '1' : '0')).join('');
      const marks = [`${this.prefix}#epoch`, `${this.prefix}#lost`];
      // A repeated claim (after a lost reply) finds this run's own mark: answered as claimed.
      const [epoch, ...values] = await duringOutage(this.outageToleranceMs, () =>
        this.redis.smsGatewayLedgerClaim(
          batch.length + 2,
          ...marks,
          ...batch,
          run,
          Math.round(ttlMs),
          randomUUID(),
          seenEpochs.get(this.endpoint) ?? '',
          Date.now(),
          guarded,
        ),
      );
      seenEpochs.set(this.endpoint, epoch);
      for (const v of values) out.push(recordOf(v, run));
    }
    return out;
  }

  async settle(key: string, record: SettledRecord, ttlMs: number): Promise<void> {
    await duringOutage(this.outageToleranceMs, () => this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', Math.round(ttlMs)));
  }

  async release(key: string, run: string): Promise<void> {
    await duringOutage(this.outageToleranceMs, () => this.redis.smsGatewayLedgerRelease(this.prefix + key, run));
  }
}
