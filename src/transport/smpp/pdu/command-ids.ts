import * as smpp from 'smpp';

/** Command ids of the PDUs our hot paths handle without the generic decoder (values from smpp's own table). */
export const CommandId = {
  genericNack: smpp.commands.generic_nack.id,
  bindReceiver: smpp.commands.bind_receiver.id,
  bindTransmitter: smpp.commands.bind_transmitter.id,
  bindTransceiver: smpp.commands.bind_transceiver.id,
  submitSm: smpp.commands.submit_sm.id,
  submitSmResp: smpp.commands.submit_sm_resp.id,
  deliverSm: smpp.commands.deliver_sm.id,
  deliverSmResp: smpp.commands.deliver_sm_resp.id,
  enquireLink: smpp.commands.enquire_link.id,
  enquireLinkResp: smpp.commands.enquire_link_resp.id,
  unbind: smpp.commands.unbind.id,
  unbindResp: smpp.commands.unbind_resp.id,
} as const;

export const RESPONSE_BIT = 0x80000000;

export function isResponseId(commandId: number): boolean {
  return (commandId & RESPONSE_BIT) !== 0;
}

export function commandName(commandId: number): string {
  return smpp.commandsById[commandId]?.command ?? `unknown(0x${commandId.toString(16).padStart(8, '0')})`;
}

/** TLV tags we read or write in message PDUs (SMPP 3.4 section 5.3.2). */
export const Tlv = {
  receiptedMessageId: 0x001e,
  userMessageReference: 0x0204,
  sarMsgRefNum: 0x020c,
  sarTotalSegments: 0x020e,
  sarSegmentSeqnum: 0x020f,
  messagePayload: 0x0424,
  messageState: 0x0427,
  networkErrorCode: 0x0423,
} as const;
