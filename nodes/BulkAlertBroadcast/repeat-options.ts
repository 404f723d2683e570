import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { FieldError } from '../shared/errors/field-error';

/** Options of Bulk Alert Broadcast that decide what a repeated run sends (see README, Guarantees). */
export const repeatOptions: INodeProperties[] = [
  {
    displayName: 'Dedupe Window (Hours)',
    name: 'dedupeWindowHours',
    type: 'number',
    default: 24,
    typeOptions: { minValue: 0 },
    description:
      'Without a Broadcast ID, the same alert posted again within this many hours of its first run sends nothing to numbers that had it (0: every post is a new alert)',
  },
  {
    displayName: 'Send Again',
    name: 'sendAgain',
    type: 'boolean',
    default: false,
    description: 'Whether to send the alert to everyone once more although it was sent before: on purpose, as a new run of the broadcast',
  },
  {
    displayName: 'Resend Uncertain Numbers',
    name: 'resendUncertain',
    type: 'boolean',
    default: false,
    description:
      'Whether to send also to numbers an earlier run may have reached (the carrier never answered): they may get it twice, and each result is flagged possibleDuplicate',
  },
];

export interface RepeatSettings {
  dedupeWindowHours: number;
  sendAgain: boolean;
  resendUncertain: boolean;
}

export function readRepeatOptions(options: IDataObject): RepeatSettings {
  const hours = options.dedupeWindowHours === undefined || options.dedupeWindowHours === '' ? 24 : Number(options.dedupeWindowHours);
  if (!(hours >= 0)) throw new FieldError('dedupeWindowHours', `Dedupe Window (Hours) must be 0 or more (got ${String(options.dedupeWindowHours)})`);
  return { dedupeWindowHours: hours, sendAgain: options.sendAgain === true, resendUncertain: options.resendUncertain === true };
}
