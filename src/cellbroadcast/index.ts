/** Cell broadcast (public warning to every phone in an area) over SMPP 5.0 broadcast_sm. */
export * from './broadcast-area';
export * from './broadcast-content';
export * from './broadcast-frequency';
export * from './broadcast-id-store';
export * from './broadcast-request';
export * from './cap-areas';
export * from './cap-broadcast';
export * from './cell-broadcast-client';
export * from './cell-broadcast-errors';
export * from './gad-shapes';
export * from './polygon-simplify';
export * from './smpp5-definitions';
export * from './warning-channels';
