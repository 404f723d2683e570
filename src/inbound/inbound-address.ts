import { normalizePhoneNumber } from '../phone';
import type { SmppAddress } from '../transport/smpp/pdu/message-pdu';

const TON_INTERNATIONAL = 1;
const TON_NATIONAL = 2;
const TON_ALPHANUMERIC = 5;
/** Up to this many digits an address is a short code, never a phone number. */
const MAX_SHORT_CODE_DIGITS = 6;

function tryE164(text: string, defaultCountry: string | undefined): string | null {
  try {
    return normalizePhoneNumber(text, defaultCountry ? { defaultCountry } : {}).e164;
  } catch {
    return null;
  }
}

/**
 * An inbound SMPP address as the event shows it: E.164 for phone numbers, unchanged for short
 * codes and alphanumeric senders. Carriers often send international numbers with TON 0
 * (unknown), so digits are tried as international first, then as national numbers of the
 * default country. A TON 1 number that libphonenumber does not know still gets its '+': the
 * carrier said it is international.
 */
export function inboundAddress(address: SmppAddress, defaultCountry?: string): string {
  const raw = address.addr.trim();
  if (address.ton === TON_ALPHANUMERIC || raw === '') return raw;
  const compact = raw.replace(/^\+/, '').replace(/^00/, '');
  if (!/^\d+$/.test(compact) || compact.length <= MAX_SHORT_CODE_DIGITS) return raw;
  if (address.ton !== TON_NATIONAL) {
    const international = tryE164(`+${compact}`, undefined);
    if (international) return international;
  }
  if (defaultCountry && address.ton !== TON_INTERNATIONAL) {
    const national = tryE164(raw, defaultCountry);
    if (national) return national;
  }
  if (address.ton === TON_INTERNATIONAL || raw.startsWith('+')) return `+${compact}`;
  return raw;
}

/** A number typed in a node parameter (sender filter) in the same form events use. */
export function configuredAddress(input: string, defaultCountry?: string): string {
  const trimmed = input.trim();
  const compact = trimmed.replace(/[\s\-().]/g, '');
  if (/^\d+$/.test(compact) && compact.length <= MAX_SHORT_CODE_DIGITS) return compact;
  return tryE164(trimmed, defaultCountry) ?? (/^\d+$/.test(compact) ? tryE164(`+${compact}`, undefined) : null) ?? trimmed;
}
