/**
 * Every bad request names its field in `field` and says what is wrong in the message: the node
 * points at the parameter by `field`, so a field and a message given the wrong way round would
 * send the user to a parameter called "priority must be 0, 1, 2 or 3".
 */
import { prepareSms, SmsRequestError } from '../../src/gateway';
import type { SmsRequest } from '../../src/gateway';

function refusal(request: Partial<SmsRequest>): { field: string; message: string } {
  try {
    prepareSms({ to: '+447911123456', from: 'Alerts', text: 'hello', ...request });
  } catch (err) {
    expect(err).toBeInstanceOf(SmsRequestError);
    const { field, message } = err as SmsRequestError;
    return { field, message };
  }
  throw new Error('prepareSms accepted a bad request');
}

describe('SmsRequestError: field first, then the message', () => {
  it.each([
    [{ priority: 7 }, 'priority', /^priority must be 0, 1, 2 or 3 \(got 7\)$/],
    [{ scheduleAt: new Date(Number.NaN) }, 'scheduleAt', /^scheduled delivery time is not a valid date$/],
    [{ serviceType: 'TOOLONG' }, 'serviceType', /^service_type "TOOLONG" is 7 characters/],
    [{ from: '' }, 'from', /^No sender: set "From"/],
    [{ to: 'not a number' }, 'to', /\w/],
  ] as Array<[Partial<SmsRequest>, string, RegExp]>)('%j names %s', (request, field, message) => {
    const got = refusal(request);
    expect(got.field).toBe(field);
    expect(got.message).toMatch(message);
  });
});
