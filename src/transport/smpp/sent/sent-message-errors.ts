import { describeStatus, statusName } from '../command-status';

export type SentMessageCommand = 'query_sm' | 'cancel_sm' | 'replace_sm';

/** The carrier does not implement the command: it answered generic_nack or ESME_RINVCMDID. */
export class SentMessageUnsupportedError extends Error {
  constructor(
    readonly command: SentMessageCommand,
    readonly status: number,
    readonly answer: 'generic_nack' | 'response',
    label: string,
  ) {
    super(
      `this carrier does not support ${command}: ${label} answered ${answer === 'generic_nack' ? 'generic_nack' : `${command}_resp`} with ${describeStatus(status)}`,
    );
    this.name = 'SentMessageUnsupportedError';
  }
}

/** What each refusal means for the message, in words a workflow author can act on. */
const REFUSAL: Record<string, string> = {
  ESME_RQUERYFAIL: 'the carrier could not find it (a wrong message ID or sender, or a message it no longer keeps)',
  ESME_RCANCELFAIL: 'it cannot be cancelled: it was delivered or ended already, or the ID or sender do not match',
  ESME_RREPLACEFAIL: 'it cannot be replaced: it was delivered or ended already, or the ID or sender do not match',
  ESME_RINVMSGID: 'the carrier does not know this message ID',
  ESME_RINVSRCADR: 'the sender (source address) does not match the one the message was sent from',
};

/** The carrier refused a query, cancel or replace of one message (its command_status says why). */
export class SentMessageRefusedError extends Error {
  readonly statusName: string;

  constructor(
    readonly command: SentMessageCommand,
    readonly status: number,
    readonly messageId: string,
  ) {
    const name = statusName(status);
    const why = REFUSAL[name];
    super(`the carrier refused the ${command} of message ${messageId}: ${why ? `${name}: ${why}` : describeStatus(status)}`);
    this.name = 'SentMessageRefusedError';
    this.statusName = name;
  }
}

/** The carrier's answer does not fit the request: another command's response, or the state of another message. */
export class SentMessageAnswerError extends Error {
  constructor(
    readonly command: SentMessageCommand,
    readonly messageId: string,
    what: string,
    label: string,
  ) {
    super(`${label} answered the ${command} of message ${messageId} with ${what}: the answer is not taken (nothing is known of the message)`);
    this.name = 'SentMessageAnswerError';
  }
}
