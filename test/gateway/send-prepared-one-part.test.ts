import { prepareSms } from '../../src/gateway/prepare-message';
import { sendPrepared } from '../../src/gateway/send-sms';
import type { PartSender } from '../../src/gateway/send-sms';
import { normalizePhoneNumber } from '../../src/phone';
import { SmppSubmitError } from '../../src/transport/smpp/types';
import type { SubmitResult } from '../../src/transport/smpp/types';

/**
 * One-part messages take a path of their own (no async frame per message, for broadcasts): its
 * results must be those of the general path, whatever the sender does.
 */
describe('sendPrepared: a one-part message', () => {
  const one = prepareSms({ to: '+447911123456', text: 'Road closed at the bridge.' }, { from: 'CITY' });
  const two = prepareSms({ to: '+447911123456', text: 'x'.repeat(200) }, { from: 'CITY' });
  const sender = (submit: PartSender['submit']): PartSender => ({ submit });

  it('accepted: the id, one part, no duplicate flag unless the transport set it', async () => {
    const r = await sendPrepared(
      sender(async () => ({ messageId: 'm1', possibleDuplicate: false, attempts: 1, throttled: 0 })),
      one,
    );
    expect(r).toEqual({ to: '+447911123456', from: 'CITY', messageIds: ['m1'], parts: 1, encoding: one.encoded.encoding, status: 'accepted' });
    const again = await sendPrepared(
      sender(async () => ({ messageId: 'm2', possibleDuplicate: true, attempts: 2, throttled: 0 })),
      one,
    );
    expect(again.possibleDuplicate).toBe(true);
  });

  it('a refusal reads as it does for a long message (error, duplicate flag, failure class)', async () => {
    const refusal = new SmppSubmitError('carrier rejected the message: invalid destination', 'rejected', 0x0b, 'ESME_RINVDSTADR', false, 1);
    const onePart = await sendPrepared(
      sender(() => Promise.reject(refusal)),
      one,
    );
    const longMessage = await sendPrepared(
      sender(() => Promise.reject(refusal)),
      two,
    );
    expect(onePart.status).toBe('failed');
    expect(onePart.error).toBe(refusal.message);
    expect(onePart.messageIds).toEqual([]);
    expect(onePart.possibleDuplicate).toBeUndefined();
    expect({ failure: onePart.failure, retryElsewhere: onePart.retryElsewhere }).toEqual({
      failure: longMessage.failure,
      retryElsewhere: longMessage.retryElsewhere,
    });
    const unanswered = new SmppSubmitError('no answer', 'retries_exhausted', undefined, undefined, true, 5);
    expect(
      (
        await sendPrepared(
          sender(() => Promise.reject(unanswered)),
          one,
        )
      ).possibleDuplicate,
    ).toBe(true);
  });

  it('a sender that throws instead of rejecting gives a failed result, not an exception', async () => {
    const throwing = sender((): Promise<SubmitResult> => {
      throw new Error('the SMPP connection is closed');
    });
    const r = await sendPrepared(throwing, one);
    expect(r.status).toBe('failed');
    expect(r.error).toBe('the SMPP connection is closed');
  });
});

describe('normalizePhoneNumber: withoutType', () => {
  it('gives the E.164 form without a type; mobileOnly still refuses a landline', () => {
    const n = normalizePhoneNumber('07911 123456', { defaultCountry: 'GB', withoutType: true });
    expect(n.e164).toBe('+447911123456');
    expect('type' in n).toBe(false);
    expect(() => normalizePhoneNumber('030 1234567', { defaultCountry: 'DE', mobileOnly: true, withoutType: true })).toThrow(/not a mobile number/);
    expect(normalizePhoneNumber('07911 123456', { defaultCountry: 'GB', mobileOnly: true, withoutType: true }).type).toBe('MOBILE');
  });
});
