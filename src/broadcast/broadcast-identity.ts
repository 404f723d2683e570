import { createHash } from 'crypto';
import { normalizePhoneNumber } from '../phone';
import type { BroadcastRecipient } from './broadcast-types';

/** Where a broadcast's ID came from: the user's Broadcast ID, the CAP alert, or the message itself. */
export type IdSource = 'parameter' | 'cap' | 'message';

export interface BroadcastIdentity {
  broadcastId: string;
  idFrom: IdSource;
}

export interface IdentityInput {
  /** The Broadcast ID the user gave (empty: derive one). */
  explicitId?: string;
  /** A CAP alert is one alert wherever it is sent: OASIS CAP 1.2 makes identifier + sender unique. */
  cap?: { identifier: string; sender: string };
  /** What sends it: transport and credential ids, and the sender ID the phones see. */
  channel: string[];
  recipients: BroadcastRecipient[];
  /**
   * A streamed list (a CSV file) is not held to be sorted: its bytes' hash and the text stand for
   * it, so the same file and text is the same alert (the same people in another file are not).
   */
  streamed?: { contentSha256: string; text: string };
  /** The country national numbers are read in (as the send reads them). */
  defaultCountry?: string;
}

/**
 * The identity of a broadcast, so that posting the same alert again (a double click, a webhook
 * client's retry, n8n's "Retry execution") resumes it instead of sending it again. Without a
 * Broadcast ID, a plain alert is identified by what makes it this alert: who sends it, and which
 * numbers get which text, as a set: the numbers in E.164 (07..., 0044... and +44... are one
 * number) and in sorted order, so the same people listed in another order or format are the same
 * alert. Another text or another set of numbers is another alert; the execution plays no part.
 */
export function broadcastIdentity(input: IdentityInput): BroadcastIdentity {
  const explicit = input.explicitId?.trim();
  if (explicit) return { broadcastId: explicit, idFrom: 'parameter' };
  if (input.cap) return { broadcastId: `cap:${input.cap.sender}:${input.cap.identifier}`, idFrom: 'cap' };
  const entries = new Set<string>();
  for (const r of input.recipients) entries.add(`${canonicalNumber(r.to, input.defaultCountry)}\u0000${r.text}`);
  const hash = createHash('sha256');
  for (const part of input.channel) hash.update(`${part}\u0000`);
  if (input.streamed) hash.update(`file\u0000${input.streamed.contentSha256}\u0000${input.streamed.text}\u0001`);
  // One update per recipient: 100,000 recipients hash in milliseconds, with no large string built.
  for (const entry of [...entries].sort()) hash.update(`${entry}\u0001`);
  return { broadcastId: `alert:${hash.digest('hex').slice(0, 20)}`, idFrom: 'message' };
}

/** A number as the send will dial it (E.164); one it cannot read stays as written, trimmed. */
function canonicalNumber(to: string, defaultCountry: string | undefined): string {
  try {
    return normalizePhoneNumber(to, { defaultCountry }).e164;
  } catch {
    return String(to).trim();
  }
}

/** Plain words for the summary: what a re-post does and how to send again on purpose. */
export function howToSendAgain(identity: BroadcastIdentity, windowHours: number): string {
  const again = 'turn on "Send Again" (Options) to send it to everyone once more';
  if (identity.idFrom === 'parameter')
    return `Running this broadcast again with the same Broadcast ID sends only to numbers that have not had it; ${again}, or use a new Broadcast ID.`;
  const what =
    identity.idFrom === 'cap' ? 'The same CAP alert (identifier and sender)' : 'The same alert (same text, sender and numbers, in any order or format)';
  return `${what} posted again within ${formatHours(windowHours)} of its first run sends nothing to numbers that have had it; ${again}.`;
}

function formatHours(hours: number): string {
  if (hours >= 1 && Number.isInteger(hours)) return `${hours} h`;
  const seconds = Math.round(hours * 3600);
  return seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}
