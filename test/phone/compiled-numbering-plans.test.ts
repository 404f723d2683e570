import fc from 'fast-check';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { CompiledNumberingPlans } from '../../src/phone/compiled-numbering-plans';
import { normalizePhoneNumber } from '../../src/phone';
import { fuzzProperty } from '../fuzz/support/fuzz-run';

/**
 * The compiled fast path must give libphonenumber-js/max's verdict for every number it answers:
 * valid, the same country, the same E.164 and the same type. Numbers it leaves to the library are
 * fine; a fast path that answered nothing would be useless, so coverage is checked too.
 */

const plans = new CompiledNumberingPlans();
const callingCodes: Record<string, string[]> = (metadataJson as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes;
const nonGeographic = Object.keys((metadataJson as unknown as { nonGeographic: Record<string, unknown> }).nonGeographic);

function library(digits: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(`+${digits}`);
  } catch {
    return undefined;
  }
}

/** Throws with the number when the fast path disagrees with the library; true when it answered. */
function agrees(digits: string): boolean {
  const fast = plans.validInternational(digits);
  if (!fast) return false;
  const lib = library(digits);
  const seen = { digits, fast, lib: lib && { valid: lib.isValid(), country: lib.country, number: lib.number } };
  if (!lib || !lib.isValid()) throw new Error(`fast path says valid, the library does not: ${JSON.stringify(seen)}`);
  if (lib.country !== fast.country || lib.number !== `+${digits}`) throw new Error(`fast path and library disagree: ${JSON.stringify(seen)}`);
  const type = plans.typeOf(digits, fast.country);
  if (type !== lib.getType()) throw new Error(`type differs for +${digits}: fast ${type}, library ${lib.getType()}`);
  return true;
}

/** Every country's example mobile number, and neighbours of it (digits changed, one more, one fewer). */
function exampleFamily(): string[] {
  const out: string[] = [];
  const byCountry = examples as unknown as Record<string, string>;
  for (const [callingCode, countries] of Object.entries(callingCodes)) {
    for (const country of countries) {
      const national = byCountry[country];
      if (!national) continue;
      out.push(callingCode + national);
      for (let i = Math.max(0, national.length - 4); i < national.length; i++) {
        for (const d of '0379') out.push(callingCode + national.slice(0, i) + d + national.slice(i + 1));
      }
      out.push(callingCode + national + '5', callingCode + national.slice(0, -1), callingCode + '0' + national, callingCode + '1' + national);
    }
  }
  return out;
}

/** The library's verdict on digits written nationally with a default country. */
function libraryNational(digits: string, country: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(digits, { defaultCountry: country as CountryCode });
  } catch {
    return undefined;
  }
}

/** Like agrees() for national input; true when the fast path answered. */
function agreesNational(digits: string, country: string): boolean {
  const fast = plans.validNationalInput(digits, country);
  if (!fast) return false;
  const lib = libraryNational(digits, country);
  const seen = { digits, country, fast, lib: lib && { valid: lib.isValid(), country: lib.country, number: lib.number } };
  if (!lib || !lib.isValid()) throw new Error(`fast path says valid, the library does not: ${JSON.stringify(seen)}`);
  if (lib.country !== fast.country || lib.number !== `+${fast.digits}`) throw new Error(`fast path and library disagree: ${JSON.stringify(seen)}`);
  const type = plans.typeOf(fast.digits, fast.country);
  if (type !== lib.getType()) throw new Error(`type differs for ${digits} in ${country}: fast ${type}, library ${lib.getType()}`);
  return true;
}

/** Every country's example mobile number written nationally (with and without its national prefix), and neighbours. */
function nationalFamily(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const byCountry = examples as unknown as Record<string, string>;
  const countries = (metadataJson as unknown as { countries: Record<string, unknown[]> }).countries;
  for (const [country, national] of Object.entries(byCountry)) {
    const prefix = typeof countries[country]?.[5] === 'string' ? (countries[country][5] as string) : '';
    for (const written of [prefix + national, national]) {
      out.push([written, country]);
      for (let i = Math.max(0, written.length - 3); i < written.length; i++) {
        for (const d of '159') out.push([written.slice(0, i) + d + written.slice(i + 1), country]);
      }
      out.push([written.slice(0, -1), country], [written + '2', country]);
    }
    // Written with a neighbour's default country: the library may still read it as this one's.
    out.push([national, 'GB'], [national, 'US']);
  }
  return out;
}

describe('compiled numbering plans (fast path for international numbers)', () => {
  it("agrees with libphonenumber-js/max on every country's example mobile number and its neighbours", () => {
    const family = exampleFamily();
    let answered = 0;
    let validForLibrary = 0;
    for (const digits of family) {
      if (agrees(digits)) answered++;
      if (library(digits)?.isValid()) validForLibrary++;
    }
    expect(family.length).toBeGreaterThan(5000);
    // The point of the fast path: it answers nearly every number the library finds valid.
    expect(answered / validForLibrary).toBeGreaterThan(0.9);
  });

  it('agrees with the library on generated numbers under every calling code (fuzz)', () => {
    const codes = [...Object.keys(callingCodes), ...nonGeographic];
    const anyDigits = fc.tuple(fc.constantFrom(...codes), fc.stringMatching(/^[0-9]{0,18}$/)).map(([code, rest]) => code + rest);
    // Mostly valid numbers too: an example number with its last digits redrawn.
    const family = exampleFamily();
    const nearValid = fc
      .tuple(fc.constantFrom(...family), fc.stringMatching(/^[0-9]{1,6}$/))
      .map(([base, tail]) => base.slice(0, Math.max(1, base.length - tail.length)) + tail);
    let answered = 0;
    fuzzProperty(
      'compiled numbering plans vs libphonenumber-js',
      fc.property(fc.oneof(anyDigits, nearValid), (digits) => {
        if (agrees(digits)) answered++;
      }),
      20_000,
    );
    expect(answered).toBeGreaterThan(2000);
  });

  it("agrees with the library on national numbers with a default country: every country's example and its neighbours", () => {
    const family = nationalFamily();
    let answered = 0;
    let validForLibrary = 0;
    for (const [digits, country] of family) {
      if (agreesNational(digits, country)) answered++;
      if (libraryNational(digits, country)?.isValid()) validForLibrary++;
    }
    expect(family.length).toBeGreaterThan(5000);
    expect(answered / validForLibrary).toBeGreaterThan(0.85);
  });

  it('agrees with the library on generated national numbers under every default country (fuzz)', () => {
    const family = nationalFamily();
    const countries = Object.keys((metadataJson as unknown as { countries: Record<string, unknown> }).countries);
    const anyDigits = fc.tuple(fc.stringMatching(/^[0-9]{3,17}$/), fc.constantFrom(...countries));
    const nearValid = fc
      .tuple(fc.constantFrom(...family), fc.stringMatching(/^[0-9]{1,5}$/))
      .map(([[base, country], tail]): [string, string] => [base.slice(0, Math.max(1, base.length - tail.length)) + tail, country]);
    let answered = 0;
    fuzzProperty(
      'compiled numbering plans (national input) vs libphonenumber-js',
      fc.property(fc.oneof(anyDigits, nearValid), ([digits, country]) => {
        if (agreesNational(digits, country)) answered++;
      }),
      20_000,
    );
    expect(answered).toBeGreaterThan(2000);
  });

  it('leaves to the library what only it can decide: national prefixes, non-geographic codes, leading zeros', () => {
    expect(plans.validInternational('4407700900123')).toBeNull(); // +44 0 7700...: GB strips the '0'
    expect(plans.validInternational('80012345678')).toBeNull(); // +800: non-geographic
    expect(plans.validInternational('0123456789')).toBeNull();
    expect(plans.validInternational('44')).toBeNull();
    // National input the library may read as international: after an international call prefix,
    // or starting with the calling code (it reads '358429474' in Åland as +358 429474, not +358 358429474).
    expect(plans.validNationalInput('011447400123456', 'US')).toBeNull();
    expect(plans.validNationalInput('358429474', 'AX')).toBeNull();
  });

  it('answers the common case with the country the library picks among shared calling codes', () => {
    expect(plans.validInternational('447400123456')).toEqual({ digits: '447400123456', country: 'GB' });
    expect(plans.validInternational('447624123456')).toEqual({ digits: '447624123456', country: 'IM' });
    expect(plans.validInternational('12015550123')).toEqual({ digits: '12015550123', country: 'US' });
    expect(plans.validInternational('14165550123')).toEqual({ digits: '14165550123', country: 'CA' });
    expect(plans.validInternational('77012345678')).toEqual({ digits: '77012345678', country: 'KZ' });
    expect(plans.validInternational('5491123456789')).toEqual({ digits: '5491123456789', country: 'AR' }); // a prefix pattern that matches empty
    expect(plans.validInternational('4915123456789')).toEqual({ digits: '4915123456789', country: 'DE' });
    expect(plans.typeOf('447400123456', 'GB')).toBe('MOBILE');
    expect(plans.typeOf('12015550123', 'US')).toBe('FIXED_LINE_OR_MOBILE');
  });

  it('normalizePhoneNumber gives the same answer on the fast path as the library gave before', () => {
    const n = normalizePhoneNumber('+44 7400 123456');
    expect({ e164: n.e164, digits: n.digits, country: n.country, type: n.type, ton: n.ton, npi: n.npi }).toEqual({
      e164: '+447400123456',
      digits: '447400123456',
      country: 'GB',
      type: 'MOBILE',
      ton: 1,
      npi: 1,
    });
    expect(() => normalizePhoneNumber('+1 201 555 0123', { mobileOnly: true })).not.toThrow();
    expect(() => normalizePhoneNumber('+44 20 7946 0018', { mobileOnly: true })).toThrow(/not a mobile number \(it is a fixed line number\)/);
    expect(() => normalizePhoneNumber('+44 7400 1234')).toThrow(/not a valid phone number/);
    expect(plans.validNationalInput('07400123456', 'GB')).toEqual({ digits: '447400123456', country: 'GB' });
    expect(plans.validNationalInput('07624123456', 'GB')).toEqual({ digits: '447624123456', country: 'IM' });
    const national = normalizePhoneNumber('07400 123456', { defaultCountry: 'gb' });
    expect({ e164: national.e164, country: national.country, type: national.type }).toEqual({ e164: '+447400123456', country: 'GB', type: 'MOBILE' });
  });
});
