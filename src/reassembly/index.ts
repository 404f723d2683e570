/** Long-message reassembly for every inbound path (the SMS Trigger's pipeline and the GSM modem's reader). */
export { LongMessageReassembler } from './long-message-reassembler';
export type { AssembledMessage, PartOutcome, PartReading, ReassemblerOptions } from './long-message-reassembler';
