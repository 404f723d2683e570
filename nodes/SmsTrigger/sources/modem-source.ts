import type { InboundSource, SourceStartOptions } from './inbound-source';

/**
 * Extension point for the GSM modem source (src/transport/modem is being written alongside).
 * To add it: open the modem through a device registry (like acquireSmppTransport), decode each
 * SMS-DELIVER into an InboundPart (src/inbound/inbound-part.ts, with its concat info) and pass it
 * to `pipeline.handlePart(part)`; turn each SMS-STATUS-REPORT into a ReceiptEvent and pass it to
 * `pipeline.handleReceipt(event)`; delete the message from the modem only after the returned
 * promise resolves. Then list 'modem' in the Source options (trigger-properties.ts).
 */
export async function startModemSource(_options: SourceStartOptions): Promise<InboundSource> {
  throw new Error('The GSM modem source is not available in this version of the SMS Trigger: use SMPP Carrier or SMPP Server');
}
