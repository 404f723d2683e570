import type { BroadcastSummary } from './broadcast-types';

/**
 * A broadcast stopped before the end because something it needs failed for good (the journal, the
 * transport, the opt-out store). Every send already started was awaited and recorded first, and
 * nothing is sent after this is thrown. Says what went out, and that a re-run resumes.
 */
export class BroadcastStoppedError extends Error {
  constructor(
    readonly summary: BroadcastSummary,
    readonly reason: Error,
    readonly unrecorded: number,
  ) {
    super(stoppedMessage(summary, reason, unrecorded));
    this.name = 'BroadcastStoppedError';
  }

  /** True when the journal was lost: who got the message cannot be known, so no re-run is safe. */
  get journalLost(): boolean {
    return isJournalLost(this.reason);
  }

  /** What to do next, in the panel's words. */
  get advice(): string {
    if (this.journalLost) {
      return `The gateway cannot tell which numbers got it: its journal is gone. A re-run with the same Broadcast ID ("${this.summary.broadcastId}") sends nothing: it reports every number without a recorded outcome as uncertain. To send it to them anyway, knowing some phones will get it twice, turn on "Resend Uncertain" (each such message is flagged possibleDuplicate). Keep the journal's Redis persistent (AOF) to avoid this.`;
    }
    return `Run it again with the same Broadcast ID ("${this.summary.broadcastId}"; an empty Broadcast ID gives the same one for the same alert) once the cause is fixed: it sends only to numbers that got nothing. Numbers kept as uncertain are skipped unless "Resend Uncertain" is on.`;
  }
}

function isJournalLost(reason: Error): boolean {
  return /\bJOURNAL_LOST\b/.test(reason.message);
}

function stoppedMessage(s: BroadcastSummary, reason: Error, unrecorded: number): string {
  if (isJournalLost(reason)) {
    return (
      `Broadcast ${s.broadcastId} stopped: ${reason.message}. This run had ${s.accepted} accepted and ${s.failed} failed when it stopped, ` +
      'but the gateway cannot tell which numbers got it from earlier runs or in the last moments, so a re-run with the same Broadcast ID sends nothing unless "Resend Uncertain" is on.'
    );
  }
  const uncertain = s.uncertain > 0 ? ` (${s.uncertain} uncertain: they may have reached the phone)` : '';
  const lost = unrecorded > 0 ? `; ${unrecorded} outcomes could not be written to the journal, so a re-run reports those numbers as uncertain` : '';
  return (
    `Broadcast ${s.broadcastId} stopped: ${reason.message}. Up to then ${s.accepted} accepted, ${s.failed} failed${uncertain}${lost}; ` +
    'the other recipients were not sent. A re-run with the same Broadcast ID resumes where it stopped.'
  );
}
