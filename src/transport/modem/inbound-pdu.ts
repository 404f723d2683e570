/** Modem PDUs as deliver_sm-shaped MessagePdus and DeliveryReceipts (see types.ts for why). */
import type { DeliveryReceipt } from '../../dlr/receipt-pdu';
import { isFinalStatus } from '../smpp/receipt-format/receipt-status';
import { MESSAGE_STATE, formatReceiptText } from '../smpp/receipt-format/receipt-text';
import { blankMessagePdu } from '../smpp/pdu/message-pdu';
import type { MessagePdu } from '../smpp/pdu/message-pdu';
import { describeReportStatus, receiptStateOf, smppDataCodingFromTpDcs } from './pdu';
import type { SmsDeliver, SmsStatusReport } from './pdu';

const ESM_UDHI = 0x40;
const ESM_DELIVERY_RECEIPT = 0x04;

export function deliverToMessagePdu(deliver: SmsDeliver): MessagePdu {
  const pdu = blankMessagePdu();
  pdu.source = { ton: deliver.originator.ton, npi: deliver.originator.npi, addr: deliver.originator.address.replace(/^\+/, '') };
  pdu.destination = { ton: 0, npi: 0, addr: '' };
  pdu.esmClass = deliver.udhi ? ESM_UDHI : 0;
  pdu.protocolId = deliver.protocolId;
  pdu.dataCoding = smppDataCodingFromTpDcs(deliver.dcs);
  pdu.shortMessage = deliver.userData;
  return pdu;
}

export function receiptFromStatusReport(report: SmsStatusReport, receivedAt: Date): DeliveryReceipt {
  const status = receiptStateOf(report.status);
  const receipt: DeliveryReceipt = {
    messageId: String(report.messageReference),
    status,
    // 0x20-0x3f: the service centre is still trying (ENROUTE), a report of progress, not the outcome.
    final: isFinalStatus(status),
    submittedAt: report.serviceCentreTime.date,
    doneAt: report.dischargeTime.date,
    receivedAt,
    from: '',
    to: report.recipient.address,
  };
  if (status !== 'DELIVRD') receipt.error = `${report.status.toString().padStart(3, '0')} ${describeReportStatus(report.status)}`;
  return receipt;
}

/** A receipt deliver_sm: SMPP 3.4 Appendix B text plus receipted_message_id / message_state. */
export function statusReportToMessagePdu(report: SmsStatusReport): MessagePdu {
  const pdu = blankMessagePdu();
  const stat = receiptStateOf(report.status);
  // The receipt travels back: its source is the phone the message went to.
  pdu.source = { ton: report.recipient.ton, npi: report.recipient.npi, addr: report.recipient.address.replace(/^\+/, '') };
  pdu.destination = { ton: 0, npi: 0, addr: '' };
  pdu.esmClass = ESM_DELIVERY_RECEIPT;
  pdu.shortMessage = Buffer.from(
    formatReceiptText({
      id: String(report.messageReference),
      stat,
      err: report.status.toString().padStart(3, '0'),
      submitDate: report.serviceCentreTime.date,
      doneDate: report.dischargeTime.date,
    }),
    'latin1',
  );
  pdu.tlvs = { receiptedMessageId: String(report.messageReference), messageState: MESSAGE_STATE[stat] };
  return pdu;
}
