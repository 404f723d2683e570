import type { SandboxSmsc } from '../sandbox-smsc';
import type { SandboxFaults } from '../types';

export interface StatsSnapshot {
  stats: SandboxSmsc['stats'];
  /** Bound ESME sessions right now. */
  sessionCount: number;
  /** Most ESME sessions bound at once since the sandbox started. */
  peakSessionCount: number;
  /** Highest number of accepted submits within any one second (checks a client's TPS limit). */
  maxInWindow: number;
  duplicates: { destinations: number; extraCopies: number };
  uniqueDestinations: number;
  /** Peak of answers one session had outstanding at the sandbox (the client's window). */
  maxOutstanding: number;
  faults: SandboxFaults;
}

/** Everything GET /api/stats reports; costs a pass over the accept times and destinations. */
export function statsSnapshot(smsc: SandboxSmsc): StatsSnapshot {
  return {
    stats: { ...smsc.stats },
    sessionCount: smsc.sessionCount,
    peakSessionCount: smsc.peakSessionCount,
    maxInWindow: smsc.store.maxInWindow(1000),
    duplicates: smsc.store.duplicates(),
    uniqueDestinations: smsc.store.uniqueDestinations(),
    maxOutstanding: smsc.maxOutstanding,
    faults: { ...smsc.faults, failDestinations: [...smsc.faults.failDestinations] },
  };
}
