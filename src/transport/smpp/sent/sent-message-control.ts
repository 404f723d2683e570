import * as smpp from 'smpp';
import { CommandId } from '../pdu/command-ids';
import type { DecodedPdu } from '../pdu/pdu-codec';
import type { SmppTransport } from '../smpp-transport';
import { isFinalState, messageStateName } from './message-state';
import type { MessageStateName } from './message-state';
import { SentMessageAnswerError, SentMessageRefusedError, SentMessageUnsupportedError } from './sent-message-errors';
import type { SentMessageCommand } from './sent-message-errors';
import { checkCOctetField, checkMessageId, SentMessageFieldError, MAX_ADDRESS_OCTETS, MAX_SERVICE_TYPE_OCTETS } from './sent-message-fields';

const ESME_RINVCMDID = 0x03;

/** The part of SmppTransport this uses: any bound transport (tests may pass their own). */
export type SentMessageTransport = Pick<SmppTransport, 'request' | 'label'>;

/** An address as SMPP writes it: TON, NPI and digits or an alphanumeric sender. */
export interface SmppAddress {
  ton: number;
  npi: number;
  addr: string;
}

export interface SentMessageState {
  messageId: string;
  state: MessageStateName;
  /** The number on the wire (vendor values above 9 read as UNKNOWN by name). */
  stateValue: number;
  /** The carrier will do nothing more with it (delivered, expired, deleted, ...). */
  final: boolean;
  /** When it reached its final state (the carrier's final_date); null while not final or not given. */
  finalDate: Date | null;
  /** The network error code of a failed delivery (0 when none). */
  errorCode: number;
}

/** What replace_sm changes: the text of the one part (encoded as the original was) and, optionally, timings and receipt request. */
export interface Replacement {
  shortMessage: Buffer;
  /** SMPP time (absolute or relative); '' keeps the original's. */
  scheduleDeliveryTime?: string;
  validityPeriod?: string;
  registeredDelivery?: number;
}

/**
 * query_sm, cancel_sm and replace_sm of a message an earlier submit_sm sent (SMPP 3.4 sections
 * 4.8-4.10), over the credential's bind. Carriers find the message by its ID and the source
 * address it was sent from, so both are asked for. A carrier that does not implement a command
 * answers generic_nack or ESME_RINVCMDID: SentMessageUnsupportedError; any other error status is
 * a SentMessageRefusedError naming what it means for the message.
 */
export class SentMessageControl {
  constructor(private readonly transport: SentMessageTransport) {}

  async query(messageId: string, source: SmppAddress): Promise<SentMessageState> {
    const response = await this.send('query_sm', messageId, { message_id: messageId, ...sourceFields(source) });
    const pdu = response.kind === 'generic' ? (response.pdu as unknown as Record<string, unknown>) : {};
    // Answers are matched by sequence number only: a carrier naming another message gets no say about ours.
    const answeredId = String(pdu.message_id ?? '');
    if (answeredId !== '' && answeredId !== messageId) {
      throw new SentMessageAnswerError(
        'query_sm',
        messageId,
        `the state of another message (${JSON.stringify(answeredId.slice(0, 64))})`,
        this.transport.label,
      );
    }
    const stateValue = Number(pdu.message_state ?? 7);
    const state = messageStateName(stateValue);
    const final = pdu.final_date;
    return {
      messageId,
      state,
      stateValue,
      final: isFinalState(state),
      finalDate: final instanceof Date && !Number.isNaN(final.getTime()) ? final : null,
      errorCode: Number(pdu.error_code ?? 0),
    };
  }

  /** Cancels one message; `destination` narrows it as some carriers require (cancel_sm's destination_addr). */
  async cancel(messageId: string, source: SmppAddress, options: { destination?: SmppAddress; serviceType?: string } = {}): Promise<void> {
    const dest = options.destination ?? { ton: 0, npi: 0, addr: '' };
    checkCOctetField('destination', dest.addr, MAX_ADDRESS_OCTETS);
    checkCOctetField('serviceType', options.serviceType ?? '', MAX_SERVICE_TYPE_OCTETS);
    if (messageId === '' && dest.addr === '')
      throw new SentMessageFieldError('messageId', 'Message IDs: an empty message ID cancels every message to a destination, and no destination was given');
    await this.send('cancel_sm', messageId, {
      service_type: options.serviceType ?? '',
      message_id: messageId,
      ...sourceFields(source),
      dest_addr_ton: dest.ton,
      dest_addr_npi: dest.npi,
      destination_addr: dest.addr,
    });
  }

  async replace(messageId: string, source: SmppAddress, replacement: Replacement): Promise<void> {
    await this.send('replace_sm', messageId, {
      message_id: messageId,
      ...sourceFields(source),
      schedule_delivery_time: replacement.scheduleDeliveryTime ?? '',
      validity_period: replacement.validityPeriod ?? '',
      registered_delivery: replacement.registeredDelivery ?? 0,
      sm_default_msg_id: 0,
      short_message: replacement.shortMessage,
    });
  }

  private async send(command: SentMessageCommand, messageId: string, fields: Record<string, unknown>): Promise<DecodedPdu> {
    // Checked before encoding: a NUL would end message_id early and the rest be read as other fields.
    // An empty ID is cancel_sm's "every message from this source to this destination" (cancel() checks the destination).
    if (messageId !== '' || command !== 'cancel_sm') checkMessageId(messageId);
    checkCOctetField('source', String(fields.source_addr ?? ''), MAX_ADDRESS_OCTETS);
    const response = await this.transport.request(command, fields);
    if (response.commandId === CommandId.genericNack) throw new SentMessageUnsupportedError(command, response.status, 'generic_nack', this.transport.label);
    const expected = smpp.commands[`${command}_resp`].id;
    if (response.commandId !== expected) {
      throw new SentMessageAnswerError(
        command,
        messageId,
        `a ${smpp.commandsById[response.commandId]?.command ?? `0x${response.commandId.toString(16)}`} instead of ${command}_resp`,
        this.transport.label,
      );
    }
    if (response.status === ESME_RINVCMDID) throw new SentMessageUnsupportedError(command, response.status, 'response', this.transport.label);
    if (response.status !== 0) throw new SentMessageRefusedError(command, response.status, messageId);
    return response;
  }
}

function sourceFields(source: SmppAddress): Record<string, unknown> {
  return { source_addr_ton: source.ton, source_addr_npi: source.npi, source_addr: source.addr };
}
