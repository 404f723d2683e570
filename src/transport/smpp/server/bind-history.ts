/** How long an address that bound stays known (for the connection slots and the account guard). */
export const KNOWN_FOR_MS = 30 * 24 * 3600_000;

/** Known addresses kept per account, and in all: an account's own addresses are evicted only by its own binds. */
const MAX_PER_ACCOUNT = 1_000;
const MAX_ADDRESSES = 10_000;

/**
 * Addresses (peerKey form) that bound successfully, per account and in all, with when they last
 * did. Only a bind with the right password adds to it, so an attacker without a password cannot
 * flood it; each table is bounded, least recently bound first out, and per account, so a tenant
 * binding from many addresses pushes out only its own.
 */
export class BindHistory {
  private readonly byAccount = new Map<string, Map<string, number>>();
  private readonly addresses = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(address: string, systemId: string): void {
    const now = this.now();
    let known = this.byAccount.get(systemId);
    if (!known) this.byAccount.set(systemId, (known = new Map()));
    touch(known, address, now, MAX_PER_ACCOUNT);
    touch(this.addresses, address, now, MAX_ADDRESSES);
  }

  /** Whether `address` bound within KNOWN_FOR_MS: as `systemId` when given, else as any account. */
  knows(address: string, systemId?: string): boolean {
    const at = systemId === undefined ? this.addresses.get(address) : this.byAccount.get(systemId)?.get(address);
    return at !== undefined && this.now() - at < KNOWN_FOR_MS;
  }
}

/** Sets `key` as the most recent entry of `map` (Map order is insertion order) and drops the oldest beyond `max`. */
function touch(map: Map<string, number>, key: string, at: number, max: number): void {
  map.delete(key);
  map.set(key, at);
  while (map.size > max) map.delete(map.keys().next().value as string);
}
