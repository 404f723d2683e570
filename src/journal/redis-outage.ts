/** Replies that mean Redis is (re)starting, not that the command is wrong. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|READONLY)\b/;

/**
 * True for a failure to reach Redis (connection refused or reset, ioredis giving up on a command
 * while reconnecting, Redis loading its data after a restart); false for an answer that says the
 * command itself is refused (NOPERM, OOM, JOURNAL_LOST, ...): waiting would not help.
 */
export function isRedisOutage(err: unknown): boolean {
  const e = err as Error & { name?: string };
  if (e?.name === 'ReplyError') return TRANSIENT_REPLY.test(e.message);
  return true;
}

/**
 * Runs a Redis command, repeating it while Redis is unreachable, for up to `toleranceMs` (a
 * restart, a failover). Only for commands that are safe to repeat: one whose reply was lost may
 * have run already.
 */
export async function duringOutage<T>(toleranceMs: number, command: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + toleranceMs;
  for (;;) {
    try {
      return await command();
    } catch (err) {
      if (!isRedisOutage(err) || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
