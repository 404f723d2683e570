/**
 * One base for "the user gave a bad value": every such error of the core is a FieldError with the
 * field it names, the value's problem and the message users read (unchanged by the base class),
 * under its own class name, which tests and callers outside n8n check.
 */
import { FieldError } from '../../src/errors';
import { EncodingError } from '../../src/encoding';
import { SenderTpsError, SmsRequestError, sentMessageDestination, sentMessageSource, prepareReplacement } from '../../src/gateway';
import { FilterSettingError } from '../../src/inbound';
import { BroadcastInputError } from '../../src/cellbroadcast';
import { OtpInputError } from '../../src/otp';
import { CustomTlvError } from '../../src/tlv';
import { SentMessageFieldError } from '../../src/transport/smpp';
import { CapAlertError } from '../../src/broadcast';
import { PhoneNumberError } from '../../src/phone';

describe('FieldError: the base of every bad-value error', () => {
  it.each([
    [new FieldError('host', 'Host is empty', { credential: 'smppApi' }), 'FieldError', 'host', 'Host is empty', 'Host is empty'],
    [new SmsRequestError('priority', 'priority must be 0-3'), 'SmsRequestError', 'priority', 'priority must be 0-3', 'priority must be 0-3'],
    [
      new PhoneNumberError('to', '"x" is not a valid phone number: too short', 'too short'),
      'PhoneNumberError',
      'to',
      '"x" is not a valid phone number: too short',
      '"x" is not a valid phone number: too short',
    ],
    [new EncodingError('message', 'The message is empty'), 'EncodingError', 'message', 'The message is empty', 'The message is empty'],
    [new SenderTpsError('A=x', '"A=x" is not SENDER=TPS'), 'SenderTpsError', 'senderTps', '"A=x" is not SENDER=TPS', '"A=x" is not SENDER=TPS'],
    [new FilterSettingError('events', 'Unknown event type'), 'FilterSettingError', 'events', 'Unknown event type', 'Unknown event type'],
    [new BroadcastInputError('cbPolygon', 'needs 3 points'), 'BroadcastInputError', 'cbPolygon', 'needs 3 points', 'cbPolygon: needs 3 points'],
    [
      new OtpInputError('userId', 'must be at most 256 characters'),
      'OtpInputError',
      'userId',
      'must be at most 256 characters',
      'userId: must be at most 256 characters',
    ],
    [
      new CustomTlvError('Custom TLV 1: tag is not hex', 1, 'tag'),
      'CustomTlvError',
      'customTlvs',
      'Custom TLV 1: tag is not hex',
      'Custom TLV 1: tag is not hex',
    ],
    [new SentMessageFieldError('messageId', 'has a space'), 'SentMessageFieldError', 'messageId', 'has a space', 'has a space'],
    [new CapAlertError('CAP alert has no <info> block'), 'CapAlertError', 'capXml', 'CAP alert has no <info> block', 'CAP alert has no <info> block'],
  ] as Array<[FieldError, string, string, string, string]>)('%p', (error, name, field, problem, message) => {
    expect(error).toBeInstanceOf(FieldError);
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, field: error.field, problem: error.problem, message: error.message }).toEqual({ name, field, problem, message });
  });

  it('keeps the credential and the hint it is given, and nothing when given none', () => {
    expect(new FieldError('port', 'Port must be 1-65535', { credential: 'smsGatewayRedisApi', hint: 'Use 6379' })).toMatchObject({
      credential: 'smsGatewayRedisApi',
      hint: 'Use 6379',
    });
    expect(Object.keys(new FieldError('to', 'To is empty'))).not.toEqual(expect.arrayContaining(['credential', 'hint']));
  });

  it('the sent-message requests keep the class of what found the problem (no re-wrapping on the way)', () => {
    expect(() => sentMessageSource('ABCDEFGHIJKL', {})).toThrow(PhoneNumberError);
    expect(() => sentMessageDestination('call me', {})).toThrow(PhoneNumberError);
    const replacement = (() => {
      try {
        prepareReplacement({ text: '' });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(replacement).toBeInstanceOf(EncodingError);
    expect(replacement).toMatchObject({ field: 'newMessage', message: 'The message is empty; there is nothing to send' });
  });
});
