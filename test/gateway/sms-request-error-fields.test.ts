/**
 * Every bad request names its field in `field` and says what is wrong in the message: the node
 * points at the parameter by `field`, so a field and a message given the wrong way round would
 * send the user to a parameter called "priority must be 0, 1, 2 or 3". Every one is a FieldError
 * (what the node boundary turns into "Check <label>"), and keeps the class of the module that
 * found it: prepareSms does not re-wrap a phone or encoding error on the way.
 */
import { FieldError } from '../../src/errors';
import { EncodingError } from '../../src/encoding';
import { prepareSms, SmsRequestError } from '../../src/gateway';
import type { SmsRequest } from '../../src/gateway';
import { PhoneNumberError } from '../../src/phone';

function refusal(request: Partial<SmsRequest>): FieldError {
  try {
    prepareSms({ to: '+447911123456', from: 'Alerts', text: 'hello', ...request });
  } catch (err) {
    expect(err).toBeInstanceOf(FieldError);
    return err as FieldError;
  }
  throw new Error('prepareSms accepted a bad request');
}

describe('prepareSms: a FieldError of the class that found the problem, field first, then the message', () => {
  it.each([
    [{ priority: 7 }, SmsRequestError, 'priority', /^priority must be 0, 1, 2 or 3 \(got 7\)$/],
    [{ scheduleAt: new Date(Number.NaN) }, SmsRequestError, 'scheduleAt', /^scheduled delivery time is not a valid date$/],
    [{ serviceType: 'TOOLONG' }, SmsRequestError, 'serviceType', /^service_type "TOOLONG" is 7 characters/],
    [{ from: '' }, SmsRequestError, 'from', /^No sender: set "From"/],
    [{ to: 'not a number' }, PhoneNumberError, 'to', /^"not a number" is not a valid phone number/],
    [{ from: 'ABCDEFGHIJKL' }, PhoneNumberError, 'from', /^"ABCDEFGHIJKL" is not a valid sender/],
    [{ text: '' }, EncodingError, 'message', /^The message is empty/],
  ] as Array<[Partial<SmsRequest>, typeof FieldError, string, RegExp]>)('%j: %p naming %s', (request, errorClass, field, message) => {
    const got = refusal(request);
    expect(got).toBeInstanceOf(errorClass);
    expect(got.field).toBe(field);
    expect(got.message).toMatch(message);
    expect(got.problem).toBe(got.message);
  });
});
