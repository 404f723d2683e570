/**
 * What a broadcast already did, per recipient, so that running the same broadcast again (a
 * re-post, a webhook retry, n8n's "Retry execution", a resume after a crash) sends nobody the
 * message twice.
 *
 * Per number: 'accepted' (the carrier took it), 'uncertain' (the last submit may have reached the
 * carrier: written but never answered, or only some parts accepted) or 'sending' (claimed by a
 * run that has not recorded the outcome: still running, or it crashed). A re-run sends only to
 * numbers with no state; 'sending' and 'uncertain' are skipped and reported as uncertain unless
 * the caller takes them over on purpose (resend uncertain).
 *
 * A broadcast ID has generations: the first run opens generation 1; a run after the dedupe window
 * (or one told to send again) opens the next, with an empty journal.
 */
export type JournalState = 'accepted' | 'sending' | 'uncertain';

export interface JournalOpenOptions {
  /** A run within this long of the generation's first run resumes it; later, it opens a new one (Infinity: always resume). */
  windowMs: number;
  /** Open a new generation now: the message is sent again on purpose. */
  sendAgain?: boolean;
  /** Clock (ms since the epoch); default Date.now(). The Redis journal uses Redis's clock (TIME) instead. */
  now?: number;
}

export interface JournalGeneration {
  /** The key numbers are journaled under: the base ID for generation 1, `<base>#<n>` after. */
  broadcastId: string;
  generation: number;
  /** When this generation's first run started (ms since the epoch). */
  startedAt: number;
  /** True when an earlier run opened this generation (this run resumes it). */
  resumed: boolean;
  /**
   * The journal of this generation was lost (a Redis restarted without persistence): who got the
   * message cannot be known, so every number without a state since is 'uncertain'.
   */
  lost?: boolean;
}

/** What happened to claimed numbers. `released`: never sent, so a later run may send them. */
export interface JournalOutcomes {
  accepted: string[];
  uncertain: string[];
  released: string[];
}

export interface BroadcastJournal {
  open(baseId: string, options: JournalOpenOptions): Promise<JournalGeneration>;
  states(broadcastId: string, numbers: string[]): Promise<Array<JournalState | undefined>>;
  /**
   * Claims numbers for run `run`; resolves with the ones claimed. A number another run holds, or
   * one already accepted, is not claimed, so two overlapping runs never both send it. Numbers in
   * `takeOver` are claimed also when 'sending' or 'uncertain' (resending on purpose). Claiming
   * again for the same run answers the same (safe to retry after a lost reply).
   */
  claim(broadcastId: string, run: string, numbers: string[], takeOver?: ReadonlySet<string>): Promise<Set<string>>;
  /** Records outcomes of this run's claims (safe to retry). */
  settle(broadcastId: string, run: string, outcomes: JournalOutcomes): Promise<void>;
}

/** The key of generation `n` of a broadcast ID. */
/**
 * A "Send Again" this soon after the one that opened the current generation joins that generation
 * instead of opening another: a double click, or a retried request, is one decision to send again.
 */
export const SEND_AGAIN_JOIN_MS = 60_000;

export function generationKey(baseId: string, generation: number): string {
  return generation <= 1 ? baseId : `${baseId}#${generation}`;
}

/** A stored value as a state: 'a' accepted, 'u' uncertain, 's' or 's:<run>' sending. */
export function stateOf(value: string | null | undefined): JournalState | undefined {
  if (!value) return undefined;
  if (value === 'a') return 'accepted';
  if (value === 'u') return 'uncertain';
  return 'sending';
}

export interface MemoryJournalLimits {
  /** Numbers kept across all broadcasts; the least recently used broadcasts go first (default 2,000,000, ~200 MB). */
  maxNumbers?: number;
  /** A broadcast untouched this long is forgotten (default 24 hours). */
  maxIdleMs?: number;
}

interface MemoryEntry {
  numbers: Map<string, string>;
  usedAt: number;
}

/**
 * The single-process journal. It lives as long as the n8n process, so it is bounded: whole
 * broadcasts are forgotten, least recently used first, past `maxNumbers` or after `maxIdleMs`
 * without use (a re-run after that sends again). Resuming across restarts or days needs Redis.
 */
export class MemoryBroadcastJournal implements BroadcastJournal {
  /** In least-recently-used order (a Map keeps insertion order; a used journal is moved last). */
  private readonly journals = new Map<string, MemoryEntry>();
  private readonly generations = new Map<string, { generation: number; startedAt: number; usedAt: number; again?: boolean }>();
  private total = 0;
  private readonly maxNumbers: number;
  private readonly maxIdleMs: number;

  constructor(
    limits: MemoryJournalLimits = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxNumbers = limits.maxNumbers ?? 2_000_000;
    this.maxIdleMs = limits.maxIdleMs ?? 24 * 3600 * 1000;
  }

  /** Broadcasts and numbers held (for tests and metrics). */
  get size(): { broadcasts: number; numbers: number } {
    return { broadcasts: this.journals.size, numbers: this.total };
  }

  private journal(id: string): Map<string, string> {
    const now = this.now();
    let entry = this.journals.get(id);
    if (entry) this.journals.delete(id);
    else entry = { numbers: new Map(), usedAt: now };
    entry.usedAt = now;
    this.journals.set(id, entry);
    this.evict(id);
    return entry.numbers;
  }

  /** Forgets idle broadcasts, then the least recently used ones while over the limit; never `keep`. */
  private evict(keep: string): void {
    if (this.journals.size === 1 && this.journals.has(keep)) return; // nothing else to forget
    const now = this.now();
    for (const [id, entry] of this.journals) {
      if (id === keep) continue;
      if (now - entry.usedAt <= this.maxIdleMs && this.total <= this.maxNumbers) break;
      this.drop(id, entry);
    }
  }

  private drop(id: string, entry: MemoryEntry): void {
    this.total -= entry.numbers.size;
    this.journals.delete(id);
  }

  async open(baseId: string, options: JournalOpenOptions): Promise<JournalGeneration> {
    const now = options.now ?? this.now();
    for (const [id, idle] of this.generations) {
      if (now - idle.usedAt > this.maxIdleMs && !this.journals.has(generationKey(id, idle.generation))) this.generations.delete(id);
    }
    let g = this.generations.get(baseId);
    let resumed = true;
    const joinsSendAgain = options.sendAgain && g?.again === true && now - g.startedAt < SEND_AGAIN_JOIN_MS;
    if (!g || (options.sendAgain && !joinsSendAgain) || now - g.startedAt > options.windowMs) {
      if (g) {
        const old = this.journals.get(generationKey(baseId, g.generation));
        if (old) this.drop(generationKey(baseId, g.generation), old);
      }
      g = { generation: (g?.generation ?? 0) + 1, startedAt: now, usedAt: now, again: options.sendAgain === true };
      this.generations.set(baseId, g);
      resumed = false;
    }
    g.usedAt = now;
    const broadcastId = generationKey(baseId, g.generation);
    this.journal(broadcastId);
    return { broadcastId, generation: g.generation, startedAt: g.startedAt, resumed };
  }

  async states(id: string, numbers: string[]): Promise<Array<JournalState | undefined>> {
    const j = this.journal(id);
    return numbers.map((n) => stateOf(j.get(n)));
  }

  async claim(id: string, run: string, numbers: string[], takeOver?: ReadonlySet<string>): Promise<Set<string>> {
    const j = this.journal(id);
    const mine = `s:${run}`;
    const claimed = new Set<string>();
    for (let i = 0; i < numbers.length; i++) {
      const n = numbers[i];
      const value = j.get(n);
      if (value !== undefined && value !== mine && !(takeOver?.has(n) && value !== 'a')) continue;
      if (value === undefined) this.total++;
      j.set(n, mine);
      claimed.add(n);
    }
    if (this.total > this.maxNumbers) this.evict(id);
    return claimed;
  }

  async settle(id: string, run: string, outcomes: JournalOutcomes): Promise<void> {
    const j = this.journal(id);
    // Index loops: for...of makes an iterator result per number in the baseline code this runs as.
    const { accepted, uncertain, released } = outcomes;
    for (let i = 0; i < accepted.length; i++) {
      const n = accepted[i];
      if (!j.has(n)) this.total++;
      j.set(n, 'a');
    }
    for (let i = 0; i < uncertain.length; i++) {
      const n = uncertain[i];
      if (!j.has(n)) this.total++;
      if (j.get(n) !== 'a') j.set(n, 'u');
    }
    const mine = `s:${run}`;
    for (let i = 0; i < released.length; i++) {
      const n = released[i];
      if (j.get(n) === mine) {
        j.delete(n);
        this.total--;
      }
    }
  }
}
