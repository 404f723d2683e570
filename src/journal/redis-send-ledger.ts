import type Redis from 'ioredis';
import { duringOutage } from './redis-outage';
import { recordOf } from './send-ledger';
import type { LedgerRecord, SendLedger } from './send-ledger';

/** KEYS: the keys. ARGV: run, ttlMs. Claims each free key; returns '' for claimed ones, else the stored value. */
const CLAIM_SCRIPT = `
local mine = 's:' .. ARGV[1]
local out = {}
for i = 1, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if not value then
    redis.call('SET', KEYS[i], mine, 'PX', ARGV[2])
    out[i] = ''
  else
    out[i] = value
  end
end
return out
`;

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

  constructor(redis: Redis, private readonly prefix = 'sms-gw:sent:', private readonly outageToleranceMs = 30_000) {
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
      const batch = keys.slice(i, i + 500).map((k) => this.prefix + k);
      // A repeated claim (after a lost reply) finds this run's own mark: answered as claimed.
      const values = await duringOutage(this.outageToleranceMs, () => this.redis.smsGatewayLedgerClaim(batch.length, ...batch, run, Math.round(ttlMs)));
      for (const v of values) out.push(recordOf(v, run));
    }
    return out;
  }

  async settle(key: string, record: Exclude<LedgerRecord, { state: 'sending' }>, ttlMs: number): Promise<void> {
    await duringOutage(this.outageToleranceMs, () => this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', Math.round(ttlMs)));
  }

  async release(key: string, run: string): Promise<void> {
    await duringOutage(this.outageToleranceMs, () => this.redis.smsGatewayLedgerRelease(this.prefix + key, run));
  }
}
