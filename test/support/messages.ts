import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../../src/transport/smpp/pdu/message-pdu';

/** A plain single-part GSM submit to `to` (digits), as the transport takes it. */
export function simpleSubmit(to: string, text = 'hello', extra: Partial<MessagePdu> = {}): MessagePdu {
  const pdu = blankMessagePdu();
  pdu.source = { ton: 5, npi: 0, addr: 'TEST' };
  pdu.destination = { ton: 1, npi: 1, addr: to };
  pdu.dataCoding = 0;
  pdu.shortMessage = Buffer.from(text, 'latin1');
  return Object.assign(pdu, extra);
}

export function numberRange(count: number, base = 447700000000): string[] {
  return Array.from({ length: count }, (_, i) => String(base + i));
}
