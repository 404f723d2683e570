/**
 * How OTP Issue gets a text to a phone: through the transport the node's Transport parameter
 * chose (SMPP carrier, GSM modem, or SMPP with modem failover), opened on the first send.
 */
import type { RoutedSmsResult, SmsRequest, PreparedSms } from '../../src/gateway';
import { prepareSms } from '../../src/gateway';
import { openSmsSender } from '../shared/sending/sender-session';
import type { SmsSender } from '../shared/sending/sender-session';
import { fromFor } from '../shared/sending/sender-transport';
import type { SenderPlan } from '../shared/sending/sender-transport';

export interface OtpSmsSender {
  /** Default country of the transport's credential, for national numbers. */
  readonly defaultCountry?: string;
  /** Validates and encodes a message without sending it; throws SmsRequestError naming the field. */
  check(request: SmsRequest): void;
  /** Sends; `route` says whether the SMPP carrier or the modem took it. */
  send(request: SmsRequest): Promise<RoutedSmsResult>;
  /** Lets go of the connection (shared with other nodes of the same credential or device). */
  release(): Promise<void>;
}

/**
 * Sends through the process-wide SMPP bind and/or modem of the plan's credentials. A modem has no
 * sender ID, so the From field is not even checked when the transport is the modem alone.
 */
export function transportOtpSender(plan: SenderPlan): OtpSmsSender {
  const prepare = (request: SmsRequest): PreparedSms => prepareSms({ ...request, from: fromFor(plan, request.from) }, plan.defaults);
  let sender: Promise<SmsSender> | undefined;
  return {
    defaultCountry: plan.defaults.defaultCountry,
    check: (request) => {
      prepare(request);
    },
    send: async (request) => {
      const prepared = prepare(request);
      sender ??= openSmsSender(plan);
      return (await sender).send(prepared);
    },
    release: async () => {
      const opened = sender;
      sender = undefined;
      if (opened) await (await opened.catch(() => undefined))?.release();
    },
  };
}
