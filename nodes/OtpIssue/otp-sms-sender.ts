/**
 * How OTP Issue gets a text to a phone. Today through the SMPP Carrier credential; another
 * transport (a GSM modem) plugs in as a second OtpSmsSender chosen by its credential.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { SmsRequest, SmsResult } from '../../src/gateway/message-request';
import { prepareSms } from '../../src/gateway/prepare-message';
import type { SenderDefaults } from '../../src/gateway/prepare-message';
import { sendPrepared } from '../../src/gateway/send-sms';
import { readSmppCredential } from '../shared/smpp-credential';
import { openSmppSession } from '../shared/smpp-session';
import type { SmppSession } from '../shared/smpp-session';

export interface OtpSmsSender {
  /** Default country of the transport's credential, for national numbers. */
  readonly defaultCountry?: string;
  /** Validates and encodes a message without sending it; throws SmsRequestError naming the field. */
  check(request: SmsRequest): void;
  send(request: SmsRequest): Promise<SmsResult>;
  /** Lets go of the connection (shared with other nodes of the same credential). */
  release(): Promise<void>;
}

/** Sends through the process-wide SMPP bind of the credential, opened on the first send. */
export function smppOtpSender(credential: ICredentialDataDecryptedObject): OtpSmsSender {
  const settings = readSmppCredential(credential);
  const defaults: SenderDefaults = { from: settings.sourceAddress, defaultCountry: settings.defaultCountry, sourceTonNpi: settings.sourceTonNpi };
  let session: Promise<SmppSession> | undefined;
  return {
    defaultCountry: settings.defaultCountry,
    check: (request) => {
      prepareSms(request, defaults);
    },
    send: async (request) => {
      const prepared = prepareSms(request, defaults);
      session ??= openSmppSession(credential).catch((err: Error) => {
        throw new Error(`Cannot connect to the SMPP carrier: ${err.message}`);
      });
      return sendPrepared((await session).transport, prepared);
    },
    release: async () => {
      const opened = session;
      session = undefined;
      if (opened) await (await opened.catch(() => undefined))?.release();
    },
  };
}
