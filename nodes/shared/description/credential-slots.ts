import type { ICredentialsDisplayOptions, INodeCredentialDescription } from 'n8n-workflow';

/**
 * What a credential's slot shows on every node that has one, written once: its label and whether
 * the node needs it. A node writes each slot as
 *   { name: 'smppApi', ...SMPP_CARRIER_SLOT, testedBy: 'smppApiTest', displayOptions: ... }
 * with `name` and `testedBy` literal in the node file, where n8n's lint reads them
 * (docs/ARCHITECTURE.md, "Node descriptions: what stays literal").
 */
type SlotLabel = Required<Pick<INodeCredentialDescription, 'displayName' | 'required'>>;

export const SMPP_CARRIER_SLOT: SlotLabel = { displayName: 'SMPP Carrier', required: true };
export const GSM_MODEM_SLOT: SlotLabel = { displayName: 'GSM Modem', required: true };
export const SMPP_SERVER_SLOT: SlotLabel = { displayName: 'SMPP Server Account', required: true };
/** Optional: without it the OTP nodes use their defaults. */
export const SMS_OTP_SLOT: SlotLabel = { displayName: 'SMS OTP Settings', required: false };
/** Shown only with State Store = Redis (WITH_REDIS_STORE in ../state-stores.ts). */
export const SMS_GATEWAY_REDIS_SLOT: SlotLabel = { displayName: 'SMS Gateway Redis', required: true };

/** Shown only with Recipient Source = PostgreSQL Query (Broadcast Alert). */
export const SMS_GATEWAY_POSTGRES_SLOT: SlotLabel = { displayName: 'SMS Gateway PostgreSQL', required: true };

type HideConditions = NonNullable<ICredentialsDisplayOptions['hide']>;

/**
 * When a sending node's SMPP slot shows: not with Transport = GSM Modem (../sender-transport.ts),
 * nor where the node's own conditions (`alsoHide`, e.g. operations that need no carrier) say so.
 * `hide` rules only: n8n's editor takes a parameter named in a slot's `show` for the node's
 * authentication and moves it off the panel (test/nodes/editor-layout.test.ts has the rules).
 */
export function smppSlotDisplay(alsoHide: HideConditions = {}): ICredentialsDisplayOptions {
  return { hide: { ...alsoHide, transport: ['modem'] } };
}

/** When a sending node's GSM modem slot shows: not with Transport = SMPP, nor where `alsoHide` says so. */
export function modemSlotDisplay(alsoHide: HideConditions = {}): ICredentialsDisplayOptions {
  return { hide: { ...alsoHide, transport: ['smpp'] } };
}
