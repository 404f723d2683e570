import type { BroadcastSummary } from './broadcast-types';

/**
 * A broadcast stopped before the end because something it needs failed for good (the journal, the
 * transport, the opt-out store). Every send already started was awaited and recorded first, and
 * nothing is sent after this is thrown. Says what went out, and that a re-run resumes.
 */
export class BroadcastStoppedError extends Error {
  constructor(readonly summary: BroadcastSummary, readonly reason: Error, readonly unrecorded: number) {
    super(stoppedMessage(summary, reason, unrecorded));
    this.name = 'BroadcastStoppedError';
  }

  /** What to do next, in the panel's words. */
  get advice(): string {
    return `Run it again with the same Broadcast ID ("${this.summary.broadcastId}"; an empty Broadcast ID gives the same one for the same alert) once the cause is fixed: it sends only to numbers that got nothing. Numbers kept as uncertain are skipped unless "Resend Uncertain" is on.`;
  }
}

function stoppedMessage(s: BroadcastSummary, reason: Error, unrecorded: number): string {
  const uncertain = s.uncertain > 0 ? ` (${s.uncertain} uncertain: they may have reached the phone)` : '';
  const lost = unrecorded > 0 ? `; ${unrecorded} outcomes could not be written to the journal, so a re-run reports those numbers as uncertain` : '';
  return `Broadcast ${s.broadcastId} stopped: ${reason.message}. Up to then ${s.accepted} accepted, ${s.failed} failed${uncertain}${lost}; `
    + 'the other recipients were not sent. A re-run with the same Broadcast ID resumes where it stopped.';
}
