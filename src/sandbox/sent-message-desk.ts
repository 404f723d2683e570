import * as smpp from 'smpp';
import { decodeMessage } from '../encoding';
import { encodeGeneric } from '../transport/smpp/pdu/pdu-codec';
import type { DecodedPdu } from '../transport/smpp/pdu/pdu-codec';
import { Status } from '../transport/smpp/command-status';
import { MESSAGE_STATE_VALUE } from '../transport/smpp/sent/message-state';
import type { MessageStateName } from '../transport/smpp/sent/message-state';
import { smppAbsoluteTime } from '../transport/smpp/pdu/smpp-time';
import type { ScheduledMessages } from './scheduled-messages';
import type { StoredMessage } from './types';

type Fields = Record<string, unknown>;

/** What the desk needs of the sandbox: held messages, delivered ones, and each message's fate. */
export interface SentMessageBook {
  scheduled: ScheduledMessages;
  delivered(id: string): StoredMessage | undefined;
  /** The state a delivered (released) message is in now. */
  stateOf(message: StoredMessage): { state: MessageStateName; at: number | null };
}

const COMMANDS = new Set(['query_sm', 'cancel_sm', 'replace_sm']);
const RQUERYFAIL = smpp.errors.ESME_RQUERYFAIL;
const RCANCELFAIL = smpp.errors.ESME_RCANCELFAIL;
const RREPLACEFAIL = smpp.errors.ESME_RREPLACEFAIL;

/**
 * The sandbox's answers to query_sm, cancel_sm and replace_sm. A message is found by its ID, the
 * account that sent it and (when given) its source address, as a carrier does. Held (scheduled)
 * messages are ENROUTE and can be cancelled or replaced; once on the phone they can only be queried.
 */
export class SentMessageDesk {
  private readonly cancelled = new Map<string, { message: StoredMessage; at: number }>();
  readonly counts = { queried: 0, cancelled: 0, replaced: 0, refused: 0 };

  constructor(private readonly book: SentMessageBook) {}

  /** The response frame, or null for a command this desk does not handle. */
  handle(session: { bind: string | null; systemId: string }, pdu: DecodedPdu): Buffer | null {
    if (pdu.kind !== 'generic' || !COMMANDS.has(pdu.command)) return null;
    const fields = pdu.pdu as unknown as Fields;
    const answer = (status: number, out: Fields = {}): Buffer => {
      if (status !== 0) this.counts.refused++;
      return encodeGeneric(`${pdu.command}_resp`, pdu.sequence, out, status);
    };
    if (session.bind !== 'transmitter' && session.bind !== 'transceiver') return answer(Status.invalidBindStatus);
    const matches = (m: StoredMessage): boolean => m.systemId === session.systemId && (!fields.source_addr || m.from === String(fields.source_addr));
    const id = String(fields.message_id ?? '');
    if (pdu.command === 'query_sm') return this.query(id, matches, answer);
    if (pdu.command === 'cancel_sm') return this.cancel(id, fields, matches, answer);
    return this.replace(id, fields, matches, answer);
  }

  private query(id: string, matches: (m: StoredMessage) => boolean, answer: (status: number, out?: Fields) => Buffer): Buffer {
    const held = this.book.scheduled.get(id);
    const cancelled = this.cancelled.get(id);
    const delivered = this.book.delivered(id);
    let state: { state: MessageStateName; at: number | null };
    if (held && matches(held)) state = { state: 'ENROUTE', at: null };
    else if (cancelled && matches(cancelled.message)) state = { state: 'DELETED', at: cancelled.at };
    else if (delivered && delivered.direction === 'mt' && matches(delivered)) state = this.book.stateOf(delivered);
    else return answer(RQUERYFAIL);
    this.counts.queried++;
    const final = state.state !== 'ENROUTE' && state.at !== null;
    return answer(0, {
      message_id: id,
      final_date: final ? smppAbsoluteTime(new Date(state.at!)) : '',
      message_state: MESSAGE_STATE_VALUE[state.state],
      error_code: 0,
    });
  }

  private cancel(id: string, fields: Fields, matches: (m: StoredMessage) => boolean, answer: (status: number) => Buffer): Buffer {
    const destination = String(fields.destination_addr ?? '');
    const toMatches = (m: StoredMessage): boolean => matches(m) && (!destination || m.to === destination);
    // No message_id: every held message from this source to this destination (SMPP 3.4 section 4.9.1).
    const targets = id
      ? [this.book.scheduled.get(id)].filter((m): m is StoredMessage => m !== undefined && toMatches(m))
      : destination && fields.source_addr
        ? this.book.scheduled.find(toMatches)
        : [];
    if (targets.length === 0) return answer(RCANCELFAIL);
    const at = Date.now();
    for (const message of targets) {
      this.book.scheduled.drop(message.id);
      this.cancelled.set(message.id, { message, at });
      this.counts.cancelled++;
    }
    return answer(0);
  }

  private replace(id: string, fields: Fields, matches: (m: StoredMessage) => boolean, answer: (status: number) => Buffer): Buffer {
    const held = this.book.scheduled.get(id);
    // One part only: replacing one part of a long message would garble the rest.
    if (!held || !matches(held) || held.concat) return answer(RREPLACEFAIL);
    const shortMessage = Buffer.isBuffer(fields.short_message) ? fields.short_message : Buffer.alloc(0);
    held.text = decodeMessage({ dataCoding: held.dataCoding, esmClass: held.esmClass, shortMessage }).text;
    const registered = Number(fields.registered_delivery ?? 0);
    held.registeredDelivery = registered;
    const schedule = fields.schedule_delivery_time;
    if (schedule instanceof Date && !Number.isNaN(schedule.getTime())) this.book.scheduled.reschedule(id, schedule.getTime());
    this.counts.replaced++;
    return answer(0);
  }

  clear(): void {
    this.cancelled.clear();
  }
}
