import { CommandId, RESPONSE_BIT } from '../../../src/transport/smpp/pdu/command-ids';
import type { WireFrame } from './raw-peer';

/** A frame a test sent, with the header it carried. */
export interface SentFrame {
  commandId: number;
  sequence: number;
}

export function isRequest(commandId: number): boolean {
  return (commandId & RESPONSE_BIT) === 0;
}

/** Gives every frame its own sequence number (from `first` up) and records what was sent. */
export function stampSequences(frames: Buffer[], first: number): { bytes: Buffer; sent: SentFrame[] } {
  const sent = frames.map((frame, i) => {
    const sequence = first + i;
    frame.writeUInt32BE(sequence, 12);
    return { commandId: frame.readUInt32BE(4), sequence };
  });
  return { bytes: Buffer.concat(frames), sent };
}

export interface AnswerReport {
  /** Requests with no answer at all. */
  unanswered: SentFrame[];
  /** Requests answered more than once. */
  duplicated: SentFrame[];
  /** Answers whose command_id is neither the request's response nor generic_nack. */
  mismatched: Array<{ request: SentFrame; answer: WireFrame }>;
  /** Responses for sequence numbers we never used in a request. */
  phantom: WireFrame[];
}

/**
 * What an SMPP peer owes for a batch of requests: one answer each (the matching *_resp or a
 * generic_nack), nothing for our own responses, nothing for sequence numbers we never sent.
 * `ignoreBelow` skips answers to sequences the test used for other things (bind, sentinel).
 */
export function checkAnswers(sent: SentFrame[], answers: WireFrame[], otherSequences: ReadonlySet<number> = new Set()): AnswerReport {
  const requests = new Map(sent.filter((s) => isRequest(s.commandId)).map((s) => [s.sequence, s]));
  const count = new Map<number, number>();
  const report: AnswerReport = { unanswered: [], duplicated: [], mismatched: [], phantom: [] };
  for (const answer of answers) {
    if (isRequest(answer.commandId)) continue;
    const request = requests.get(answer.sequence);
    if (!request) {
      if (!otherSequences.has(answer.sequence)) report.phantom.push(answer);
      continue;
    }
    count.set(answer.sequence, (count.get(answer.sequence) ?? 0) + 1);
    const expectedId = (request.commandId | RESPONSE_BIT) >>> 0;
    if (answer.commandId !== expectedId && answer.commandId !== CommandId.genericNack) report.mismatched.push({ request, answer });
  }
  for (const request of requests.values()) {
    const n = count.get(request.sequence) ?? 0;
    if (n === 0) report.unanswered.push(request);
    if (n > 1) report.duplicated.push(request);
  }
  return report;
}

/** Requests sent after the first one for which `closes` holds (answers to those may be lost). */
export function sentAfterFirst(sent: SentFrame[], closes: (frame: SentFrame) => boolean): Set<number> {
  const after = new Set<number>();
  let seen = false;
  for (const s of sent) {
    if (seen) after.add(s.sequence);
    else if (closes(s)) seen = true;
  }
  return after;
}

/** A short description of a report for assertion messages. */
export function describeReport(report: AnswerReport): string {
  const hex = (n: number): string => `0x${n.toString(16)}`;
  return [
    `unanswered: ${report.unanswered
      .slice(0, 5)
      .map((s) => `${hex(s.commandId)}#${s.sequence}`)
      .join(' ')}${report.unanswered.length > 5 ? ` (+${report.unanswered.length - 5})` : ''}`,
    `duplicated: ${report.duplicated.length}`,
    `mismatched: ${report.mismatched
      .slice(0, 5)
      .map((m) => `${hex(m.request.commandId)}->${hex(m.answer.commandId)}`)
      .join(' ')}`,
    `phantom: ${report.phantom
      .slice(0, 5)
      .map((p) => `${hex(p.commandId)}#${p.sequence}`)
      .join(' ')}`,
  ].join('; ');
}
