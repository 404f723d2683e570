export * from './command-ids';
export * from './frame-reader';
export * from './message-pdu';
export * from './pdu-codec';
