/**
 * What the metrics add per receipt (found costing ~48 µs: a second receiptFromPdu parse and
 * libphonenumber-js/max's countryOf on every receipt). Behaviour here, speed in the bench
 * (BENCH_ONLY=metrics npm run bench: "metrics: receipt path"): the receipt is parsed once for
 * every handler of the bind, and the fast country gives the library's answer.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { countryOf } from '../../src/observability/country-of';
import { receiptOf } from '../../src/dlr/receipt-pdu';
import { formatReceiptText, MESSAGE_STATE } from '../../src/transport/smpp/receipt-format/receipt-text';
import { blankMessagePdu } from '../../src/transport/smpp/pdu/message-pdu';
import type { MessagePdu } from '../../src/transport/smpp/pdu/message-pdu';

function receipt(i: number): MessagePdu {
  const pdu = blankMessagePdu();
  const to = String(447700900000 + (i % 1000));
  pdu.source = { ton: 1, npi: 1, addr: to };
  pdu.destination = { ton: 5, npi: 0, addr: 'ACME' };
  pdu.esmClass = 0x04;
  pdu.shortMessage = Buffer.from(
    formatReceiptText({ id: `m${i}`, stat: 'DELIVRD', submitDate: new Date(), doneDate: new Date(), err: '000', text: 'hello' }),
    'latin1',
  );
  pdu.tlvs = { receiptedMessageId: `m${i}`, messageState: MESSAGE_STATE.DELIVRD };
  return pdu;
}

/** The answer countryOf gave before the fast path (the library on every receipt). */
function libraryCountry(number: string): string {
  const digits = number.replace(/[^\d+]/g, '');
  if (digits.length < 6) return 'unknown';
  const parsed = parsePhoneNumberFromString(digits.startsWith('+') ? digits : `+${digits}`);
  return parsed?.country ?? parsed?.getPossibleCountries()[0] ?? 'unknown';
}

it('one inbound receipt is parsed once, whichever handler reads it first', () => {
  const message = { pdu: receipt(1), receivedAt: new Date() };
  const first = receiptOf(message);
  expect(first?.messageId).toBe('m1');
  expect(receiptOf(message)).toBe(first);
  // Another message (even with the same PDU) is parsed for itself.
  expect(receiptOf({ pdu: message.pdu, receivedAt: new Date() })).not.toBe(first);
});

it('the fast country agrees with libphonenumber-js/max, also on numbers it cannot place', () => {
  const numbers = [
    '447700900123',
    '+447911123456',
    '447781123456',
    '447700312345',
    '4915112345678',
    '14155550123',
    '16135550123',
    '18765550123',
    '33612345678',
    '919876543210',
    '8613812345678',
    '5511987654321',
    '2348031234567',
    '61412345678',
    '79161234567',
    '77012345678',
    '390612345678',
    '35312345678',
    '88234567890',
    '80012345678',
    '447',
    '0044770090012',
    '999123456789',
    '44 7700 900123',
    '1 (415) 555-0123',
    '4470000000000000',
    '12',
    '',
    '+',
    'abcdefgh',
  ];
  for (const n of numbers) expect([n, countryOf(n, 1)]).toEqual([n, libraryCountry(n)]);
  for (const n of numbers) expect([n, countryOf(n, 1)]).toEqual([n, libraryCountry(n)]); // remembered answers too
  expect(countryOf('447700900123', 5)).toBe('unknown'); // alphanumeric TON: no country
});
