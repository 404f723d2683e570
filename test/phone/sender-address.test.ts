import { PhoneNumberError, parseSenderAddress } from '../../src/phone';

describe('parseSenderAddress', () => {
  it.each([
    ['MyShop', {}, { address: 'MyShop', kind: 'alphanumeric', ton: 5, npi: 0 }],
    ['ACME Bank 1', {}, { address: 'ACME Bank 1', kind: 'alphanumeric', ton: 5, npi: 0 }], // 11 characters
    ['  Café  ', {}, { address: 'Café', kind: 'alphanumeric', ton: 5, npi: 0 }],
    ['Shop€', {}, { address: 'Shop€', kind: 'alphanumeric', ton: 5, npi: 0 }], // 6 septets
    ['123', {}, { address: '123', kind: 'shortcode', ton: 3, npi: 0 }],
    ['12345', {}, { address: '12345', kind: 'shortcode', ton: 3, npi: 0 }],
    ['1234-5678', {}, { address: '12345678', kind: 'shortcode', ton: 3, npi: 0 }],
    ['+49 1512 3456789', {}, { address: '4915123456789', kind: 'international', ton: 1, npi: 1 }],
    ['0044 7400 123456', {}, { address: '447400123456', kind: 'international', ton: 1, npi: 1 }],
    ['4915123456789', {}, { address: '4915123456789', kind: 'international', ton: 1, npi: 1 }],
    ['4915123456789', { defaultCountry: 'DE' }, { address: '4915123456789', kind: 'international', ton: 1, npi: 1 }],
    ['01512 3456789', { defaultCountry: 'DE' }, { address: '15123456789', kind: 'national', ton: 2, npi: 1 }],
    ['(201) 555-0123', { defaultCountry: 'US' }, { address: '2015550123', kind: 'national', ton: 2, npi: 1 }],
    ['1231', { defaultCountry: 'DK' }, { address: '1231', kind: 'shortcode', ton: 3, npi: 0 }],
  ])('%j %j', (input, options, expected) => {
    expect(parseSenderAddress(input, options)).toEqual(expected);
  });

  it.each([
    ['MyShopOnline', 'too long', '"MyShopOnline" is not a valid sender: it is 12 characters long; an alphanumeric sender ID has at most 11'],
    ['Shop{Online}', 'too long', /it is 14 characters long \(characters such as € \[ \] \{ \} count as two\)/],
    ['Shop😀', 'characters outside the GSM alphabet', /"😀" cannot be sent/],
    ['12', 'too short', '"12" is not a valid sender: it has 2 digits; a short code has 3 to 8'],
    ['1234567890123456', 'too long', /16 digits; a phone number has at most 15/],
    ['+99 123456', 'invalid country code', /not a possible international number/],
    ['', 'empty', 'The sender is empty'],
  ])('%j is rejected: %s', (input, reason, message) => {
    let error: unknown;
    try {
      parseSenderAddress(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PhoneNumberError);
    expect(error).toMatchObject({ field: 'from', reason });
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });

  it('names the field it was given', () => {
    expect(() => parseSenderAddress('MyShopOnline', { field: 'senderId' })).toThrow(expect.objectContaining({ field: 'senderId' }));
  });
});
