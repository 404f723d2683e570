/**
 * The PDU codec against published reference PDUs: the SMS-SUBMIT / SMS-DELIVER walk-through of
 * GSM 03.40 used by most PDU tutorials ("hellohello"), the test vectors of python-gsmmodem
 * (test/test_pdu.py) and of Android's GsmSmsTest. Expected values are written out by hand.
 */
import { decodeMessage, encodeMessage } from '../../../src/encoding';
import {
  buildSmsSubmit,
  decodeModemPdu,
  decodeSmsDeliver,
  decodeSmsStatusReport,
  decodeSmsSubmit,
  encodeAddress,
  encodeRelativeValidity,
  encodeTimestamp,
  decodeTimestamp,
  smppDataCodingFromTpDcs,
  pduHexToBuffer,
} from '../../../src/transport/modem/pdu';
import type { SmsDeliver } from '../../../src/transport/modem/pdu';

function hex(buf: Buffer): string {
  return buf.toString('hex').toUpperCase();
}

function textOf(message: { dcs: number; udhi: boolean; userData: Buffer }): string {
  return decodeMessage({ dataCoding: smppDataCodingFromTpDcs(message.dcs), esmClass: message.udhi ? 0x40 : 0, shortMessage: message.userData }).text;
}

function deliver(hexPdu: string): SmsDeliver {
  const pdu = decodeModemPdu(hexPdu);
  if (pdu.type !== 'deliver') throw new Error(`expected an SMS-DELIVER, got ${pdu.type}`);
  return pdu;
}

function gsmPart(text: string): Buffer {
  return encodeMessage(text, { encoding: 'gsm7' }).parts[0].shortMessage;
}

describe('SMS-SUBMIT building', () => {
  it('builds the classic "hellohello" PDU (relative validity AA = 4 days)', () => {
    const built = buildSmsSubmit({ to: '+46708251358', dcs: 0x00, userData: gsmPart('hellohello'), validitySeconds: 4 * 86400 });
    expect(hex(built.pdu)).toBe('0011000B916407281553F80000AA0AE8329BFD4697D9EC37');
    expect(built.tpduLength).toBe(23);
  });

  it('builds python-gsmmodem\'s "Hello World!" PDU (no validity period)', () => {
    const built = buildSmsSubmit({ to: '+27820001111', dcs: 0x00, userData: gsmPart('Hello World!') });
    expect(hex(built.pdu)).toBe('0001000B917228001011F100000CC8329BFD065DDF72363904');
  });

  it('builds a UCS-2 PDU with an SMSC number and a 52-week validity (python-gsmmodem)', () => {
    const part = encodeMessage('世界您好！', { encoding: 'ucs2' }).parts[0];
    const built = buildSmsSubmit({
      to: '+123456789',
      dcs: part.dataCoding,
      userData: part.shortMessage,
      validitySeconds: 52 * 7 * 86400,
      smsc: '+44000000000',
    });
    expect(hex(built.pdu)).toBe('07914400000000F01100099121436587F90008F40A4E16754C60A8597DFF01');
    expect(built.tpduLength).toBe(built.pdu.length - 8);
  });

  it('packs GSM-7 after an 8-bit concat UDH with one fill bit: python-gsmmodem\'s three-part "Lorem ipsum" PDUs', () => {
    const text =
      'Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.Ut enim ad minim veniam, quinostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.Duis aute irure dolor in reprehenderit in voluptate velit esse cillum doloe eu fugiat nulla pariatur.Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum';
    const expected = [
      '0045000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB741668FC76CFCB637A995E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4721BFE9683D2EE719A9C26D7DD74509D0E6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD',
      '0045000B915121551532F40000A0050003000302DE73BABC4E0695F165F9384D0FD3D36F37A8CE6687DBE337881D16BFE5E939C89D9EA741753A28CC4EC7EB6938A88C0795C3A0F1BBDD7E93DFA0F1DB3D2FC7EB61BA8B584FCF41E13ABD0C4ACBEBF23288FC66BFE5A0B41B242FC3E56574D94D2ECBD37450DA0DB2BFD975383D4C2F83EC65769A0E2ACFE765D038CD66D7DB20F29BFD2E83CA',
      '0045000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF871194E2FD7E5A079DA4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675371D947683C675363C0C8AD7D3A0B7D99C1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0F29C0E6287C56F79BD0D',
    ];
    const encoded = encodeMessage(text, { encoding: 'gsm7', concat: 'udh8', reference: 0 });
    const pdus = encoded.parts.map((part) =>
      hex(buildSmsSubmit({ to: '+15125551234', dcs: part.dataCoding, userData: part.shortMessage, udhi: part.udhi, rejectDuplicates: true }).pdu),
    );
    expect(pdus).toEqual(expected);
  });

  it('sets TP-SRR, TP-MR, class 0 (flash) and the 16-bit concat UDH with 16-bit fill', () => {
    const part = encodeMessage('x'.repeat(200), { encoding: 'gsm7', concat: 'udh16', reference: 0x1234, messageClass: 0 }).parts[1];
    const built = buildSmsSubmit({
      to: '4915112345678',
      toTon: 1,
      dcs: part.dataCoding,
      userData: part.shortMessage,
      udhi: true,
      statusReport: true,
      messageReference: 7,
    });
    const read = decodeSmsSubmit(built.pdu);
    expect(built.pdu[1]).toBe(0x61); // MTI 01 | SRR 0x20 | UDHI 0x40
    expect(read).toMatchObject({ messageReference: 7, statusReport: true, udhi: true, dcs: 0xf0, destination: { address: '+4915112345678', ton: 1, npi: 1 } });
    expect(hex(read.userData.subarray(0, 7))).toBe('06080412340202');
    expect(textOf(read)).toBe('x'.repeat(200 - 152));
  });

  it('rejects what cannot be sent, naming the field', () => {
    expect(() => buildSmsSubmit({ to: '+49 151', dcs: 0, userData: gsmPart('a') })).toThrow(/destination "\+49 151" must be digits/);
    expect(() => buildSmsSubmit({ to: '+4915112345678', dcs: 0, userData: Buffer.alloc(161, 0x41) })).toThrow(/packs to 141 octets/);
    expect(() => buildSmsSubmit({ to: '+4915112345678', dcs: 0, userData: gsmPart('a'), messageReference: 256 })).toThrow(/messageReference must be 0-255/);
  });
});

describe('relative validity period and timestamps', () => {
  it.each([
    [30 * 60, 5],
    [16 * 3600, 151],
    [3 * 86400, 169],
    [5 * 7 * 86400, 197],
    [4 * 86400, 0xaa],
    [1, 0],
    [1000 * 7 * 86400, 255],
  ])('%i seconds -> TP-VP %i', (seconds, vp) => {
    expect(encodeRelativeValidity(seconds)).toBe(vp);
  });

  it.each([
    ['51117200000000', '2015-11-27T00:00:00.000Z', 0],
    ['51117200000080', '2015-11-26T22:00:00.000Z', 120],
    ['70402132522423', '2007-04-12T15:25:42.000Z', 480],
    ['7040213252242B', '2007-04-13T07:25:42.000Z', -480],
  ])('timestamp %s is %s (UTC offset %i min) and encodes back', (bcd, iso, offset) => {
    const decoded = decodeTimestamp(Buffer.from(bcd, 'hex'));
    expect(decoded.date.toISOString()).toBe(iso);
    expect(decoded.utcOffsetMinutes).toBe(offset);
    expect(hex(encodeTimestamp(decoded.date, offset))).toBe(bcd);
  });
});

describe('address fields', () => {
  it.each([
    ['+9876543210', 1, '0A918967452301'],
    ['+987654321', 1, '099189674523F1'],
    ['+27829135934', 1, '0B917228195339F4'],
    ['abc', 5, '06D061F118'],
    ['FRANCOIS', 5, '0ED04669D0397C26A7'],
  ])('%s (TON %i) encodes to %s', (address, ton, expected) => {
    const digits = address.startsWith('+') ? address.slice(1) : address;
    const built = ton === 5 ? encodeAddress(address, { ton: 5, npi: 0 }) : encodeAddress(digits, { ton });
    expect(hex(built)).toBe(expected);
  });
});

describe('SMS-DELIVER decoding', () => {
  it('reads the classic "hellohello" SMS-DELIVER (national-type sender, 1999 time stamp)', () => {
    const pdu = deliver('07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37');
    expect(pdu.smsc?.address).toBe('+27381000015');
    expect(pdu.originator).toEqual({ address: '27838890001', ton: 4, npi: 8 });
    expect(pdu.serviceCentreTime.date.toISOString()).toBe('1999-03-29T13:16:59.000Z');
    expect(pdu.serviceCentreTime.utcOffsetMinutes).toBe(120);
    expect(textOf(pdu)).toBe('hellohello');
  });

  it('reads python-gsmmodem\'s "Test2" and a +8 h time zone message', () => {
    const a = deliver('06917228195339040B917228214365F700003130805120618005D4F29C2E03');
    expect([a.smsc?.address, a.originator.address, textOf(a), a.serviceCentreTime.date.toISOString()]).toEqual([
      '+2782913593',
      '+27821234567',
      'Test2',
      '2013-03-08T13:02:16.000Z',
    ]);
    const b = deliver(
      '07915892000000F0040B915892214365F700007040213252242331493A283D0795C3F33C88FE06C9CB6132885EC6D341EDF27C1E3E97E7207B3A0C0A5241E377BB1D7693E72E',
    );
    expect([b.smsc?.address, b.originator.address, textOf(b), b.serviceCentreTime.utcOffsetMinutes]).toEqual([
      '+85290000000',
      '+85291234567',
      'It is easy to read text messages via AT commands.',
      480,
    ]);
  });

  it('reads GSM escapes ("@{tést}!") and the extension table (Android)', () => {
    expect(textOf(deliver('06917228195339040B917228214365F70000313062315352800A800D8A5E98D337A910'))).toBe('@{tést}!');
    const pdu = deliver(
      '07914151551512f2040B916105551511f100006080615131728A44D4F29C0E2AE3E96537B94C068DD16179784C2FCB41F4B0985D06B958ADD00FB0E94536AF974974DA6D281BA00E95E26D509B946FC3DBF87A25D56A04',
    );
    expect(textOf(pdu)).toBe('Test extended character table .,-!?@~_\\/&"\';^|:()<{}>[]=%*+#');
  });

  it('reads UCS-2 (Android: "™©®hello")', () => {
    const pdu = deliver('07912160130300F4040B914151245584F600087010807121352B10212200A900AE00680065006C006C006F');
    expect(pdu.originator.address).toBe('+14154255486');
    expect(textOf(pdu)).toBe('\u2122\u00a9\u00aehello');
  });

  it('reads an alphanumeric originator (Android CPHS capture "_@"; python-gsmmodem\'s "FRANCOIS" address field in a DELIVER)', () => {
    const cphs = deliver('07912160130310F20404D0110041006060627171118A0120');
    expect(cphs.originator).toEqual({ address: '_@', ton: 5, npi: 0 });
    expect(textOf(cphs)).toBe(' ');
    const francois = deliver('00040ED04669D0397C26A700002190101200000005C8329BFD06');
    expect(francois.originator.address).toBe('FRANCOIS');
    expect(textOf(francois)).toBe('Hello');
  });

  it('reads 8-bit concat UDHs with GSM-7 fill bits (Android two-part message)', () => {
    const part1 = deliver(
      '07916163838408F6440B816105224431F700007060217175830AA0050003' +
        '00020162B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
        '168BC562B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
        '168BC562B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
        '168BC562B1582C168BC562B1582C168BC562B1582C168BC562B1582C' +
        '168BC562B1582C168BC562B1582C168BC562B1582C168BC562',
    );
    const part2 = deliver('07916163838408F6440B816105224431F700007060217185000A23050003' + '00020262B1582C168BC96432994C2693C96432994C2693C96432990C');
    const d1 = decodeMessage({ dataCoding: 0, esmClass: 0x40, shortMessage: part1.userData });
    const d2 = decodeMessage({ dataCoding: 0, esmClass: 0x40, shortMessage: part2.userData });
    expect(d1.concat).toEqual({ ref: 0, total: 2, seq: 1, refBits: 8 });
    expect(d2.concat).toEqual({ ref: 0, total: 2, seq: 2, refBits: 8 });
    expect(d1.text + d2.text).toBe('1'.repeat(153) + '1111111222222222222222222222');
    expect(part1.originator).toEqual({ address: '16502244137', ton: 0, npi: 1 });
  });

  it('reads a UDH with a concat element in a one-part message (python-gsmmodem)', () => {
    const pdu = deliver(
      '0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E064941B19CAB060319A5C522289C96D3D3ED32286C0FA7D96131BBEC024941B19CAB0603DDD36C36A88C87A7E565D0DB0D82C55EB0DB4B068BCD5C20',
    );
    expect([pdu.smsc?.address, pdu.originator.address]).toEqual(['+2781191', '2781188']);
    const decoded = decodeMessage({ dataCoding: 0, esmClass: 0x40, shortMessage: pdu.userData });
    expect(decoded.concat).toEqual({ ref: 0xc3, total: 1, seq: 1, refBits: 8 });
    expect(decoded.text).toBe('Hello!You have R 19.50 FREE airtime available. R 19.50 will expire on 01/07/2013. ');
  });

  it('reports a truncated PDU as a PduError naming the field', () => {
    expect(() => decodeSmsDeliver(pduHexToBuffer('07917283010010F5040BC8723888'))).toThrow(/TP-OA needs 6 octets/);
    expect(() => pduHexToBuffer('0G')).toThrow(/not a hex digit/);
  });
});

describe('SMS-STATUS-REPORT decoding', () => {
  it("reads python-gsmmodem's status report (MR 214, delivered)", () => {
    const report = decodeSmsStatusReport(pduHexToBuffer('0006D60B911326880736F4111011719551401110117195714000'));
    expect(report.smsc).toBeUndefined();
    expect(report.messageReference).toBe(214);
    expect(report.recipient.address).toBe('+31628870634');
    expect(report.serviceCentreTime.date.toISOString()).toBe('2011-01-11T16:59:15.000Z');
    expect(report.dischargeTime.date.toISOString()).toBe('2011-01-11T16:59:17.000Z');
    expect(report.status).toBe(0);
  });

  it('decodeModemPdu tells the three kinds apart', () => {
    expect(decodeModemPdu('0006D60B911326880736F4111011719551401110117195714000').type).toBe('statusReport');
    expect(decodeModemPdu('0011000B916407281553F80000AA0AE8329BFD4697D9EC37').type).toBe('submit');
    expect(decodeModemPdu('06917228195339040B917228214365F700003130805120618005D4F29C2E03').type).toBe('deliver');
  });
});
