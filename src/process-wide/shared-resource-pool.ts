/**
 * Process-wide pool of shared, ref-counted resources (an SMPP bind, a listening port, a serial
 * device): the first user opens it, later users share it, and it closes a grace period after the
 * last user lets go. Kept on globalThis so two copies of this module (n8n loading the package
 * twice) still share one bind per credential.
 */
export interface Lease<T> {
  resource: T;
  release(): Promise<void>;
}

interface Slot<T> {
  ready: Promise<T>;
  users: number;
  closeTimer: NodeJS.Timeout | null;
  value?: T;
}

export class SharedResourcePool<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(
    private readonly close: (resource: T) => Promise<void>,
    private readonly graceMs: number,
  ) {}

  /** Leases the resource of `key`, opening it with `open` when nobody holds it yet. */
  async acquire(key: string, open: () => Promise<T>): Promise<Lease<T>> {
    let slot = this.slots.get(key);
    if (!slot) {
      const created: Slot<T> = { ready: open(), users: 0, closeTimer: null };
      slot = created;
      this.slots.set(key, created);
      created.ready.then(
        (value) => {
          created.value = value;
        },
        () => {
          if (this.slots.get(key) === created) this.slots.delete(key);
        },
      );
    }
    if (slot.closeTimer) {
      clearTimeout(slot.closeTimer);
      slot.closeTimer = null;
    }
    slot.users++;
    const current = slot;
    let resource: T;
    try {
      resource = await current.ready;
    } catch (err) {
      current.users--;
      throw err;
    }
    let released = false;
    return {
      resource,
      release: async () => {
        if (released) return;
        released = true;
        current.users--;
        if (current.users > 0 || this.slots.get(key) !== current) return;
        if (this.graceMs <= 0) {
          this.slots.delete(key);
          await this.close(resource);
          return;
        }
        current.closeTimer = setTimeout(() => {
          if (current.users === 0 && this.slots.get(key) === current) {
            this.slots.delete(key);
            void this.close(resource);
          }
        }, this.graceMs);
        current.closeTimer.unref();
      },
    };
  }

  /** Forgets a resource that died on its own (e.g. a transport that gave up reconnecting). */
  evict(key: string, resource: T): void {
    const slot = this.slots.get(key);
    if (slot && slot.value === resource) this.slots.delete(key);
  }

  /** Users holding the resource now (for tests and metrics). */
  users(key: string): number {
    return this.slots.get(key)?.users ?? 0;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  async closeAll(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(
      slots.map(async (s) => {
        if (s.closeTimer) clearTimeout(s.closeTimer);
        const value = await s.ready.catch(() => undefined);
        if (value !== undefined) await this.close(value);
      }),
    );
  }
}

export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(`n8n-nodes-sms-gateway.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return (store[key] ??= create());
}
