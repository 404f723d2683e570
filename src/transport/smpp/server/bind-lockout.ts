import { createHash } from 'crypto';
import { widerPrefix } from './peer-address';
import { StrikeTable } from './strike-table';
import type { StrikePolicy } from './strike-table';

/** How many failed binds block an address for an account, and for how long the first time. */
export interface LockoutPolicy {
  /** Failed binds in a row from one address for one account that block it (default 10). */
  maxFailures: number;
  /** The first block's length, and how long failures are remembered (default 5 min); later blocks double. */
  lockoutMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 10, lockoutMs: 5 * 60_000 };

/** An address's failures over every account block it at this many times Max Failures. */
export const ADDRESS_FAILURE_FACTOR = 3;
/** An account's failures from every address guard it at this many times Max Failures. */
export const ACCOUNT_FAILURE_FACTOR = 10;

/** Why a bind is refused unevaluated. */
export type LockReason = 'account-address' | 'address' | 'prefix' | 'account';

export interface LockoutSizes {
  /** Keys with failures but no block, per table (default 10,000). */
  counting: number;
  /** Blocked keys per table (default 10,000); beyond it a block goes to a wider prefix. */
  blocked: number;
}

/** Levels of keys: the address, then its /24, /16, /8 and all (IPv6: its /64, /48, /32, /16 and all). */
const LEVELS = 5;

/**
 * Failed binds of SMPP server mode, counted three ways (each with a growing block, see StrikeTable):
 *
 * - **per address and account** (system_id): Max Failures in a row block that address for that
 *   account; only a successful bind as that account from that address clears the count, so a
 *   tenant binding as its own account between guesses at another's resets nothing there;
 * - **per address**, over every account: ADDRESS_FAILURE_FACTOR x Max Failures block the address;
 *   a success clears nothing (guesses spread over many system_ids);
 * - **per account**, from every address: ACCOUNT_FAILURE_FACTOR x Max Failures guard the account,
 *   and then only addresses that bound as it in the last 30 days (BindHistory) may try it, so
 *   guesses spread over thousands of addresses stop there while the owner's addresses still bind.
 *
 * The tables are bounded and their eviction does not erase an attacker's history: one table per
 * prefix level, and an entry pushed out of one by a flood of others is merged into its wider
 * prefix one level up (an address into its /24, a /24 into its /16, ...; IPv6 /64 into /48, ...),
 * which from then on counts every further failure from inside it. Blocks are never evicted; a
 * block with no room left is kept as a block one level up. Blocks of prefixes and of accounts
 * spare addresses known for the account. `sweep` (on a timer) purges ended blocks, keeping their
 * history, and entries old enough to forget.
 */
export class BindLockout {
  private readonly pairs: StrikeTable[] = [];
  private readonly addresses: StrikeTable[] = [];
  private readonly accounts: StrikeTable;

  constructor(
    private readonly now: () => number = Date.now,
    sizes: LockoutSizes = { counting: 10_000, blocked: 10_000 },
  ) {
    for (let level = 0; level < LEVELS; level++) {
      const top = level === LEVELS - 1;
      this.addresses.push(
        new StrikeTable(
          sizes.counting,
          sizes.blocked,
          top
            ? { pinned: () => true } // all of IPv4, all of IPv6: a handful of keys
            : {
                evicted: (key, strikes) => this.addresses[level + 1].absorb(widerPrefix(key), strikes, this.now(), true),
                blockElsewhere: (key, strikes) => (this.addresses[level + 1].absorb(widerPrefix(key), strikes, this.now(), true), true),
              },
        ),
      );
      this.pairs.push(
        new StrikeTable(sizes.counting, sizes.blocked, {
          // Pushed out of the widest level it is let go: for a real account, the account table counts the same failures.
          evicted: top
            ? undefined
            : (key, strikes) => {
                const [address, id] = splitPair(key);
                this.pairs[level + 1].absorb(pairKey(widerPrefix(address), id), strikes, this.now(), true);
              },
          // No room for another blocked pair: the address (or prefix) is blocked for every account instead.
          blockElsewhere: (key, strikes) => (this.addresses[level].absorb(splitPair(key)[0], strikes, this.now(), false), true),
        }),
      );
    }
    // Only real accounts' system_ids: a few.
    this.accounts = new StrikeTable(sizes.counting, sizes.blocked);
  }

  /** Why `address` may not try `systemId` now, or null. `known`: it bound as `systemId` recently. */
  blockedFor(address: string, systemId: string, known: boolean): LockReason | null {
    const now = this.now();
    const id = systemIdKey(systemId);
    if (this.pairs[0].isBlocked(pairKey(address, id), now)) return 'account-address';
    if (this.addresses[0].isBlocked(address, now)) return 'address';
    if (known) return null;
    for (let level = 1, key = address; level < LEVELS; level++) {
      key = widerPrefix(key);
      if (this.pairs[level].isBlocked(pairKey(key, id), now) || this.addresses[level].isBlocked(key, now)) return 'prefix';
    }
    return this.accounts.isBlocked(systemId, now) ? 'account' : null;
  }

  /**
   * Counts a failed bind; returns true when it blocked the address (for this account or all).
   * `policy`: the account's (the server's default for a system_id no account has); the address
   * and account thresholds are multiples of its Max Failures. `isAccount`: `systemId` names an
   * account here (junk system_ids are not counted per account).
   */
  recordFailure(address: string, systemId: string, policy: LockoutPolicy, isAccount: boolean): boolean {
    const now = this.now();
    const perAddress = scaled(policy, ADDRESS_FAILURE_FACTOR);
    const id = systemIdKey(systemId);
    const pairBlocked = this.pairs[0].fail(pairKey(address, id), policy, now);
    const addressBlocked = this.addresses[0].fail(address, perAddress, now);
    // Prefixes that hold merged entries (a flood pushed them out) count on, so the merged history keeps growing.
    for (let level = 1, key = address; level < LEVELS; level++) {
      key = widerPrefix(key);
      const pair = pairKey(key, id);
      if (this.pairs[level].tracks(pair)) this.pairs[level].fail(pair, policy, now);
      if (this.addresses[level].tracks(key)) this.addresses[level].fail(key, perAddress, now);
    }
    if (isAccount) this.accounts.fail(systemId, scaled(policy, ACCOUNT_FAILURE_FACTOR), now);
    return pairBlocked || addressBlocked;
  }

  /** A successful bind clears the failures of that address for that account, nothing else. */
  recordSuccess(address: string, systemId: string): void {
    this.pairs[0].reset(pairKey(address, systemIdKey(systemId)));
  }

  sweep(): void {
    const now = this.now();
    for (const table of this.tables()) table.sweep(now);
  }

  /** Keys with failures but no block now, over every table. */
  get trackedCount(): number {
    return this.tables().reduce((n, t) => n + t.countingSize, 0);
  }

  /** Blocked keys now, over every table. */
  get blockedCount(): number {
    return this.tables().reduce((n, t) => n + t.blockedSize, 0);
  }

  private tables(): StrikeTable[] {
    return [...this.pairs, ...this.addresses, this.accounts];
  }
}

/**
 * The system_id as the pair tables key it: 16 characters of its SHA-256 (96 bits), whatever its
 * length, so the tables' size in bytes is bounded by their size in keys (a bind may carry a
 * system_id of kilobytes; over-long ones are refused, but they are counted too).
 */
function systemIdKey(systemId: string): string {
  return createHash('sha256').update(systemId, 'utf8').digest('base64').slice(0, 16);
}

/** `id`: systemIdKey() of the system_id. */
function pairKey(address: string, id: string): string {
  return `${address}\u0000${id}`;
}

function splitPair(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}

function scaled(policy: LockoutPolicy, factor: number): StrikePolicy {
  return { maxFailures: policy.maxFailures * factor, lockoutMs: policy.lockoutMs };
}
