/**
 * Parameters the OTP Issue and OTP Verify nodes share. Their credentials are listed in each node
 * file (n8n's lint reads them there): the SMS OTP Settings credential is optional in memory mode
 * and required (checked at run time) with the Redis state store.
 */
import type { INodeProperties } from 'n8n-workflow';
import { stateStoreProperty } from '../state/state-stores';

/** Operations a parameter shows for, and optionally the node versions (n8n's '@version' display condition). */
type ShowFor = { operation: string[]; '@version'?: Array<number | { _cnd: { gte: number } }> };

export function phoneNumberProperty(show: ShowFor): INodeProperties {
  return {
    displayName: 'Phone Number',
    name: 'phoneNumber',
    type: 'string',
    default: '',
    required: true,
    placeholder: '+4915112345678',
    description: 'The number the code is for. National numbers use the default country; Issue and Verify must name the same number.',
    displayOptions: { show },
  };
}

export function channelProperty(show: ShowFor): INodeProperties {
  return {
    displayName: 'Purpose',
    name: 'channel',
    type: 'string',
    default: '',
    placeholder: 'login',
    description: 'Keeps separate codes for one number (e.g. login, payment). Issue and Verify must use the same purpose. Empty means "default".',
    displayOptions: { show },
  };
}

export function otpStateStoreProperty(show: ShowFor): INodeProperties {
  return {
    ...stateStoreProperty,
    description:
      'Memory works in one n8n process. Use Redis in queue mode (Issue and Verify may run in different workers), with an SMS OTP Settings credential.',
    displayOptions: { show },
  };
}

/** Reads the Purpose parameter; empty becomes undefined (the core's "default" purpose). */
export function readChannel(value: unknown): string | undefined {
  const text = String(value ?? '').trim();
  return text === '' ? undefined : text;
}
