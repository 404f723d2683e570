import type * as net from 'net';
import { peerKey } from './peer-address';

export interface GateLimits {
  /** Connections at once, counted from accept (TLS handshakes included). */
  maxConnections: number;
  /** Connections at once from one address (IPv6: one /64). */
  maxPerAddress: number;
  /** Whether an address bound successfully recently: its connections have priority over the unbound ones of others. */
  isKnown?: (address: string) => boolean;
}

interface Slot {
  socket: net.Socket;
  address: string;
  /** Accept order. */
  seq: number;
  bound: boolean;
}

/**
 * Admission at accept time, before any TLS handshake or bind: every TCP connection counts from
 * the moment it is accepted until it closes.
 *
 * At capacity a new connection does not simply lose: it takes the slot of an unbound connection
 * (one still in its TLS handshake or not yet bound), never a bound one. Silent sockets renewed
 * as fast as they close would otherwise keep every slot (attackers on 5 addresses x 10 sockets
 * held the default 50 against the application for good). Whose slot: from an address at its own
 * cap, its own oldest unbound connection; else the oldest unbound connection of the address
 * holding the most unbound ones, among addresses that never bound (isKnown), so an attacker's
 * socket cannot push out the application's; a connection from a known address may also take an
 * unknown one's slot first, then another known one's.
 */
export class ConnectionGate {
  /** Open connections in accept order (Map order is insertion order), by remote address and port. */
  private readonly slots = new Map<string, Slot>();
  private readonly perAddress = new Map<string, Set<Slot>>();
  private accepted = 0;
  /** Unbound connections closed to make room for another (tests, metrics). */
  evicted = 0;

  constructor(private readonly limits: GateLimits) {}

  get openConnections(): number {
    return this.slots.size;
  }

  /** Counts `socket` until it closes and returns true, or destroys it and returns false. */
  admit(socket: net.Socket): boolean {
    const address = peerKey(socket.remoteAddress);
    const own = this.perAddress.get(address);
    if (own && own.size >= this.limits.maxPerAddress) this.forgetDestroyed(own);
    if (this.slots.size >= this.limits.maxConnections) this.forgetDestroyed(this.slots.values());
    if (own && own.size >= this.limits.maxPerAddress && !this.evict(oldestUnbound(own))) return this.refuse(socket);
    if (this.slots.size >= this.limits.maxConnections && !this.evict(this.victimFor(this.isKnown(address)))) return this.refuse(socket);
    const slot: Slot = { socket, address, seq: this.accepted++, bound: false };
    const id = slotId(socket);
    this.slots.set(id, slot);
    let set = this.perAddress.get(address);
    if (!set) this.perAddress.set(address, (set = new Set()));
    set.add(slot);
    socket.once('close', () => this.forget(id, slot));
    return true;
  }

  /** The connection bound: it is never evicted. `socket` may be the TLS socket over the one admitted. */
  markBound(socket: net.Socket): void {
    const slot = this.slots.get(slotId(socket));
    if (slot) slot.bound = true;
  }

  /** Destroys every connection still counted (the server is closing). */
  destroyAll(): void {
    for (const slot of [...this.slots.values()]) slot.socket.destroy();
  }

  private refuse(socket: net.Socket): false {
    socket.destroy();
    return false;
  }

  private isKnown(address: string): boolean {
    return this.limits.isKnown?.(address) ?? false;
  }

  private victimFor(known: boolean): Slot | undefined {
    return this.mostCrowdedUnbound(false) ?? (known ? this.mostCrowdedUnbound(true) : undefined);
  }

  /** The oldest unbound connection of the address (known or not, as asked) with the most unbound connections. */
  private mostCrowdedUnbound(known: boolean): Slot | undefined {
    let victim: Slot | undefined;
    let most = 0;
    for (const [address, set] of this.perAddress) {
      const first = oldestUnbound(set);
      if (!first || this.isKnown(address) !== known) continue;
      let unbound = 0;
      for (const slot of set) if (!slot.bound) unbound++;
      if (unbound > most || (unbound === most && victim && first.seq < victim.seq)) {
        victim = first;
        most = unbound;
      }
    }
    return victim;
  }

  private evict(slot: Slot | undefined): boolean {
    if (!slot) return false;
    this.forget(slotId(slot.socket), slot);
    this.evicted++;
    slot.socket.destroy();
    return true;
  }

  /**
   * A socket destroyed in this event-loop turn (e.g. an ended connection whose grace ran out)
   * emits 'close' only later in the turn, after new connections were accepted: its slot is free now.
   */
  private forgetDestroyed(slots: Iterable<Slot>): void {
    for (const slot of [...slots]) if (slot.socket.destroyed) this.forget(slotId(slot.socket), slot);
  }

  private forget(id: string, slot: Slot): void {
    if (this.slots.get(id) !== slot) return;
    this.slots.delete(id);
    const set = this.perAddress.get(slot.address);
    set?.delete(slot);
    if (set && set.size === 0) this.perAddress.delete(slot.address);
  }
}

function oldestUnbound(set: Set<Slot>): Slot | undefined {
  for (const slot of set) if (!slot.bound) return slot;
  return undefined;
}

function slotId(socket: net.Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}
