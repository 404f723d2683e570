import type { JournalOutcomes } from './broadcast-journal';
import type { SendOutcome } from './journaled-send';
import { genericArray } from './generic-array';

/**
 * Writes a run's send outcomes to the journal in batches: `batch` of them, or the oldest
 * `flushMs` old when another send finishes, or by a timer at 2 x flushMs (at least 1 s) when none
 * does (a stalled or throttled tail). A cleared timer still wakes the process at its deadline
 * (Node keeps its libuv timer), so it is long: at most one wake-up a second for the journal.
 * Writes run one after another; a failed one counts its outcomes as unrecorded and is reported
 * to `failed` (the run stops).
 */
export class OutcomeWriter {
  private pending: JournalOutcomes = noOutcomes();
  private pendingCount = 0;
  private oldestAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private writes: Promise<void> = Promise.resolve();
  private readonly idleFlushMs: number;
  /** Outcomes whose write failed: a re-run sees them as uncertain. */
  unrecorded = 0;

  constructor(
    private readonly write: (outcomes: JournalOutcomes) => Promise<void>,
    private readonly failed: (err: unknown) => void,
    private readonly batch: number,
    private readonly flushMs: number,
  ) {
    this.idleFlushMs = Math.max(1000, 2 * flushMs);
  }

  note(e164: string, outcome: SendOutcome): void {
    const pending = this.pending;
    (outcome === 'accepted' ? pending.accepted : outcome === 'uncertain' ? pending.uncertain : pending.released).push(e164);
    const now = performance.now();
    if (this.pendingCount++ === 0) this.oldestAt = now;
    if (this.pendingCount >= this.batch || now - this.oldestAt >= this.flushMs) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.idleFlushMs);
  }

  /** Writes what waits; resolves when every write so far has ended (failed ones included). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingCount === 0) return this.writes;
    const outcomes = this.pending;
    const count = this.pendingCount;
    this.pending = noOutcomes();
    this.pendingCount = 0;
    this.writes = this.writes
      .then(() => this.write(outcomes))
      .catch((err: unknown) => {
        this.unrecorded += count;
        this.failed(err);
      });
    return this.writes;
  }
}

function noOutcomes(): JournalOutcomes {
  return { accepted: genericArray(), uncertain: genericArray(), released: genericArray() };
}
