export * from './message-state';
export * from './sent-message-control';
export * from './sent-message-errors';
