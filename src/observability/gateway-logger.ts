/**
 * Where the gateway's operational lines go. n8n's own logger (a node's `this.logger`, configured
 * by N8N_LOG_LEVEL / N8N_LOG_OUTPUT in main and workers) fits this shape; src/ never imports n8n,
 * so the nodes hand it in (see useGatewayLogger). Until one is handed in, lines go nowhere.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Metadata of a line: the credential's name and plain facts, never a host's password or a code. */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface GatewayLogger {
  error(message: string, metadata?: LogFields): void;
  warn(message: string, metadata?: LogFields): void;
  info(message: string, metadata?: LogFields): void;
  debug(message: string, metadata?: LogFields): void;
}

/** Every line starts with this, so `grep 'SMS Gateway'` finds them among n8n's own. */
export const LINE_PREFIX = 'SMS Gateway';

/**
 * At most one line per key and interval; what was held back is counted and said in the next
 * line ("12 more since ..."), so a throttled burst of 10,000 answers is one line a minute, not
 * 10,000, and the count is not lost.
 */
export class RateLimitedLines {
  private readonly last = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the number of lines held back since the last one for `key`, or -1 to hold this one back too. */
  admit(key: string): number {
    const now = this.now();
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.held++;
      return -1;
    }
    const held = seen?.held ?? 0;
    this.last.set(key, { at: now, held: 0 });
    return held;
  }
}
