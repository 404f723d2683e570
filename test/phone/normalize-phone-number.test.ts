import { PhoneNumberError, normalizePhoneNumber } from '../../src/phone';

describe('normalizePhoneNumber: national and international input', () => {
  it.each([
    ['DE', '01512 3456789', '+49 1512 3456789', '4915123456789'],
    ['US', '(201) 555-0123', '+1 201-555-0123', '12015550123'],
    ['GB', '07400 123456', '0044 7400 123456', '447400123456'],
    ['FR', '06.12.34.56.78', '+33 6 12 34 56 78', '33612345678'],
    ['IN', '081234-56789', '+91 81234 56789', '918123456789'],
    ['BR', '(11) 96123-4567', '+55 (11) 96123-4567', '5511961234567'],
    ['NG', '0802 123 4567', '00234 802 123 4567', '2348021234567'],
    ['JP', '090-1234-5678', '+81 90-1234-5678', '819012345678'],
    ['AU', '0412 345 678', '+61 412 345 678', '61412345678'],
    ['TR', '0501 234 56 78', '+90 (501) 234 56 78', '905012345678'],
    ['ES', '612 34 56 78', '+34 612-34-56-78', '34612345678'],
    ['PT', '912 345 678', '00351 912 345 678', '351912345678'],
    ['ZA', '071 123 4567', '+27 71 123 4567', '27711234567'],
    ['CN', '131 2345 6789', '+86 131 2345 6789', '8613123456789'],
  ])('%s: national %s and international %s give %s', (country, national, international, digits) => {
    const fromNational = normalizePhoneNumber(national, { defaultCountry: country });
    const fromInternational = normalizePhoneNumber(international);
    for (const result of [fromNational, fromInternational]) {
      expect(result).toMatchObject({ e164: `+${digits}`, digits, country, ton: 1, npi: 1 });
      expect(['MOBILE', 'FIXED_LINE_OR_MOBILE']).toContain(result.type);
    }
    // A default country does not change a number written with its country code.
    expect(normalizePhoneNumber(international, { defaultCountry: country === 'DE' ? 'FR' : 'DE' }).e164).toBe(`+${digits}`);
  });

  it('accepts a lower-case default country and surrounding spaces', () => {
    expect(normalizePhoneNumber('  01512 3456789 ', { defaultCountry: 'de' }).e164).toBe('+4915123456789');
  });
});

describe('normalizePhoneNumber: invalid numbers and their reasons', () => {
  it.each([
    ['+99 123', {}, 'invalid country code', '"+99 123" is not a valid phone number: invalid country code'],
    ['+49 1', {}, 'too short', '"+49 1" is not a valid phone number: too short'],
    ['+44 7400 1234567', {}, 'too long', '"+44 7400 1234567" is not a valid phone number: too long'],
    ['call me', {}, 'not a number', undefined],
    ['+49 151 2345x', {}, 'not a number', undefined],
    ['01512 3456789', {}, 'missing country code', undefined],
    ['', {}, 'empty', 'The phone number is empty'],
    ['   ', {}, 'empty', 'The phone number is empty'],
    ['+1 555 555 5555', {}, 'invalid number', '"+1 555 555 5555" is not a valid phone number: not a number in use in +1'],
    ['12', { defaultCountry: 'DE' }, 'too short', undefined],
  ])('%j -> %s', (input, options, reason, message) => {
    let error: unknown;
    try {
      normalizePhoneNumber(input, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PhoneNumberError);
    expect((error as PhoneNumberError).reason).toBe(reason);
    expect((error as PhoneNumberError).field).toBe('to');
    if (message) expect((error as PhoneNumberError).message).toBe(message);
    else expect((error as PhoneNumberError).message).toContain(reason);
  });

  it('names the field it was given and rejects an unknown default country', () => {
    expect(() => normalizePhoneNumber('+99 1', { field: 'recipients' })).toThrow(expect.objectContaining({ field: 'recipients' }));
    expect(() => normalizePhoneNumber('0151 23456789', { defaultCountry: 'XX' })).toThrow(
      expect.objectContaining({ field: 'defaultCountry', reason: 'invalid default country' }),
    );
  });
});

describe('normalizePhoneNumber: mobileOnly', () => {
  it('rejects a fixed line and names its type', () => {
    expect(() => normalizePhoneNumber('030 1234567', { defaultCountry: 'DE', mobileOnly: true })).toThrow(
      new PhoneNumberError('to', '"030 1234567" is not a mobile number (it is a fixed line number) and mobileOnly is on', 'not a mobile number'),
    );
    expect(() => normalizePhoneNumber('+44 800 123 4567', { mobileOnly: true })).toThrow(/it is a toll free number/);
  });

  it('accepts mobiles, and fixed-line-or-mobile ranges (US/CA)', () => {
    expect(normalizePhoneNumber('+49 1512 3456789', { mobileOnly: true }).type).toBe('MOBILE');
    expect(normalizePhoneNumber('+1 201 555 0123', { mobileOnly: true }).type).toBe('FIXED_LINE_OR_MOBILE');
  });

  it('lets fixed lines through when mobileOnly is off', () => {
    expect(normalizePhoneNumber('030 1234567', { defaultCountry: 'DE' })).toMatchObject({ e164: '+49301234567', type: 'FIXED_LINE' });
  });

  it('withoutType (a broadcast) still checks mobileOnly, and otherwise gives no type at all', () => {
    expect(() => normalizePhoneNumber('030 1234567', { defaultCountry: 'DE', mobileOnly: true, withoutType: true })).toThrow(/it is a fixed line number/);
    expect(() => normalizePhoneNumber('+44 800 123 4567', { mobileOnly: true, withoutType: true })).toThrow(/it is a toll free number/);
    expect(normalizePhoneNumber('+49 1512 3456789', { mobileOnly: true, withoutType: true }).type).toBe('MOBILE');
    const plain = normalizePhoneNumber('030 1234567', { defaultCountry: 'DE', withoutType: true });
    expect(plain).toStrictEqual({ e164: '+49301234567', digits: '49301234567', country: 'DE', ton: 1, npi: 1 });
    expect(Object.keys(plain)).toEqual(['e164', 'digits', 'ton', 'npi', 'country']);
  });

  it('a number the library parses (not the compiled plans) has its country and a lazy type too', () => {
    // +800: international freephone, no country; not in the compiled plans' country tables.
    const global = normalizePhoneNumber('+800 1234 5678');
    expect(global.country).toBeUndefined();
    expect(Object.keys(global)).not.toContain('country');
    expect(global.type).toBe('TOLL_FREE');
  });
});
