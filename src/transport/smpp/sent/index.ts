export * from './message-state';
export * from './sent-message-control';
export * from './sent-message-errors';
export * from './sent-message-fields';
export * from './sent-data-codings';
