/** What the SMS verify and cancel operations share: the store, the service and the number. */
import { otpCounters } from '../../src/observability';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { DEFAULT_CHANNEL, OtpService } from '../../src/otp';
import { otpTestNow } from '../shared/otp/otp-clock';
import { otpPhoneNumber, readCountryCode } from '../shared/otp/otp-phone';
import { readChannel } from '../shared/otp/otp-properties';
import type { OtpState } from '../shared/otp/otp-state';

/** Verify and cancel read limits from the stored verification; the send guard is never consulted. */
export function verifyingService(state: OtpState): OtpService {
  return new OtpService({
    store: state.store,
    serverKey: state.serverKey,
    guard: { allowedCountries: [] },
    now: otpTestNow,
    outcomes: otpCounters(state.label ?? 'default'),
  });
}

export interface VerificationTarget {
  to: string;
  channel?: string;
}

export function readTarget(ctx: IExecuteFunctions, state: OtpState, itemIndex: number): VerificationTarget {
  const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
  const defaultCountry = readCountryCode(options.defaultCountry, 'defaultCountry', 'Default Country') ?? state.settings?.defaultCountry;
  return {
    to: otpPhoneNumber(ctx.getNodeParameter('phoneNumber', itemIndex, ''), { defaultCountry }),
    channel: readChannel(ctx.getNodeParameter('channel', itemIndex, '')),
  };
}

/** The fields every SMS verify or cancel item starts with. */
export function targetJson(target: VerificationTarget): IDataObject {
  return { to: target.to, channel: target.channel ?? DEFAULT_CHANNEL };
}

/** For error items: the number as given (it may be the thing that is wrong). */
export function describeTarget(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
  return {
    to: String(ctx.getNodeParameter('phoneNumber', itemIndex, '')),
    channel: readChannel(ctx.getNodeParameter('channel', itemIndex, '')) ?? DEFAULT_CHANNEL,
  };
}
