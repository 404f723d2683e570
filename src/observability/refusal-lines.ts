/**
 * The rate limit of server-mode bind refusal lines: anyone who reaches the port can make them,
 * so they cannot be one line each (400 guesses in a second were 400 warn lines). Per source
 * address, the first refusal of a minute is a line, a lockout is always one (at most one per
 * lockout period), and the rest are counted into one summary line when the minute ends.
 * Beyond MAX_ADDRESSES addresses in a minute, further ones share one count ("other addresses"),
 * so a flood spread over many addresses stays a bounded number of lines and bounded memory.
 */
const MAX_ADDRESSES = 20;
/** The key of refusals from addresses beyond MAX_ADDRESSES in one minute. */
export const OTHER_ADDRESSES = 'other addresses';

export class RefusalLines {
  private readonly windows = new Map<string, { held: number }>();

  constructor(
    private readonly intervalMs: number,
    /** Writes "N more refused binds from `address`"; called when a minute with held-back refusals ends. */
    private readonly summary: (address: string, count: number) => void,
    private readonly maxAddresses = MAX_ADDRESSES,
  ) {}

  /** Whether this refusal gets its own line (else it is counted into the summary of its address). */
  admit(address: string, lockout: boolean): boolean {
    let key = address;
    if (!this.windows.has(key) && this.windows.size >= this.maxAddresses) key = OTHER_ADDRESSES;
    const open = this.windows.get(key);
    if (!open) {
      this.openWindow(key);
      return true;
    }
    if (lockout && key !== OTHER_ADDRESSES) return true;
    open.held++;
    return false;
  }

  private openWindow(key: string): void {
    const window = { held: 0 };
    this.windows.set(key, window);
    const timer = setTimeout(() => {
      this.windows.delete(key);
      if (window.held > 0) this.summary(key, window.held);
    }, this.intervalMs);
    timer.unref();
  }
}
