import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import type { SmppAddress } from '../transport/smpp/pdu/message-pdu';

const TON_INTERNATIONAL = 1;
const TON_NATIONAL = 2;
const TON_ALPHANUMERIC = 5;
/** Up to this many digits an address is a short code, never a phone number. */
const MAX_SHORT_CODE_DIGITS = 6;

type Reading = { phone: PhoneNumber | undefined };

function international(digits: string): Reading {
  return { phone: parsePhoneNumberFromString(`+${digits}`) };
}

function national(digits: string, defaultCountry: string | undefined): Reading {
  if (!defaultCountry) return { phone: undefined };
  return { phone: parsePhoneNumberFromString(digits, defaultCountry.toUpperCase() as CountryCode) };
}

/** The first reading that is a valid number, else the first that is at least a possible one. */
function pick(readings: Reading[]): string | null {
  for (const r of readings) if (r.phone?.isValid()) return r.phone.number;
  for (const r of readings) if (r.phone?.isPossible()) return r.phone.number;
  return null;
}

/**
 * An inbound SMPP address as events show it: E.164 for phone numbers, unchanged for short codes
 * and alphanumeric senders. Inbound numbers are not checked as strictly as the numbers we send
 * to (a number the carrier hands us exists), so a "possible" number (right length for its
 * country) is accepted when no reading gives a valid one. Carriers often send international
 * numbers with TON 0 (unknown): digits are read as international first, then as a national
 * number of the default country.
 */
export function inboundAddress(address: SmppAddress, defaultCountry?: string): string {
  const raw = address.addr.trim();
  if (address.ton === TON_ALPHANUMERIC || raw === '') return raw;
  const plus = raw.startsWith('+') || raw.startsWith('00');
  const digits = raw.replace(/^\+/, '').replace(/^00/, '');
  if (!/^\d+$/.test(digits) || digits.length <= MAX_SHORT_CODE_DIGITS) return raw;
  if (address.ton === TON_INTERNATIONAL || plus) return pick([international(digits)]) ?? `+${digits}`;
  if (address.ton === TON_NATIONAL) return pick([national(digits, defaultCountry)]) ?? raw;
  return pick([international(digits), national(digits, defaultCountry)]) ?? raw;
}

/** A number typed in a node parameter (sender filter) in the same form events use. */
export function configuredAddress(input: string, defaultCountry?: string): string {
  const trimmed = input.trim();
  const compact = trimmed.replace(/[\s\-().]/g, '');
  if (!/^(\+|00)?\d+$/.test(compact)) return trimmed;
  return inboundAddress({ ton: 0, npi: 1, addr: compact }, defaultCountry);
}
