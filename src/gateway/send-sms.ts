import type { SmppTransport } from '../transport/smpp/smpp-transport';
import { SmppSubmitError } from '../transport/smpp/types';
import type { SmsResult } from './message-request';
import type { PreparedSms } from './prepare-message';

/** Anything that can submit one part: the SMPP transport, or (later) a modem or a failover pair. */
export interface PartSender {
  submit: SmppTransport['submit'];
}

/**
 * Submits every part of a prepared SMS. The message is 'accepted' only when every part was;
 * parts accepted before a failure keep their ids in the result, so nothing is hidden.
 */
export async function sendPrepared(sender: PartSender, prepared: PreparedSms): Promise<SmsResult> {
  const settled = await Promise.allSettled(prepared.pdus.map((pdu) => sender.submit(pdu)));
  const messageIds: string[] = [];
  let possibleDuplicate = false;
  let error: string | undefined;
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') {
      messageIds.push(s.value.messageId);
      possibleDuplicate ||= s.value.possibleDuplicate;
    } else {
      const e = s.reason as Error;
      possibleDuplicate ||= e instanceof SmppSubmitError && e.possibleDuplicate;
      error ??= prepared.pdus.length > 1 ? `part ${i + 1} of ${prepared.pdus.length}: ${e.message}` : e.message;
    }
  });
  return {
    to: prepared.destination.e164,
    from: prepared.source.address,
    messageIds,
    parts: prepared.pdus.length,
    encoding: prepared.encoded.encoding,
    status: error ? 'failed' : 'accepted',
    ...(error ? { error } : {}),
    ...(possibleDuplicate ? { possibleDuplicate } : {}),
  };
}
