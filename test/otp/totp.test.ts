/** Authenticator-app enrolment and TOTP checks, with an injected clock. */
import { createHmac } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { enrolTotp, OtpInputError, verifyTotp } from '../../src/otp';
import { base32Plugin } from '../../src/otp/otplib-plugins';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) written out here, independent of the code under test. */
function referenceTotp(base32Secret: string, atMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const digest = createHmac('sha1', Buffer.from(base32Plugin.decode(base32Secret)))
    .update(counter)
    .digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

const NOW = Date.UTC(2030, 0, 1, 12, 0, 10); // 10 s into a 30 s step

describe('TOTP', () => {
  test('enrolment returns a secret, its otpauth URI and a QR code of that URI', async () => {
    const enrolment = await enrolTotp({ issuer: 'ACME Co', label: 'alice@example.com' });
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/ACME%20Co:alice%40example\.com\?/);
    const params = new URL(enrolment.uri).searchParams;
    expect(params.get('secret')).toBe(enrolment.secret);
    expect(params.get('issuer')).toBe('ACME Co');

    const png = PNG.sync.read(enrolment.qrPng);
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(enrolment.uri);
  });

  test('two enrolments get different secrets', async () => {
    const [a, b] = await Promise.all([enrolTotp({ issuer: 'ACME', label: 'a' }), enrolTotp({ issuer: 'ACME', label: 'a' })]);
    expect(a.secret).not.toBe(b.secret);
  });

  test('the current, previous and next step codes are accepted; two steps old is not', async () => {
    const { secret } = await enrolTotp({ issuer: 'ACME', label: 'bob' });
    const now = () => NOW;
    expect(await verifyTotp(secret, referenceTotp(secret, NOW), { now })).toMatchObject({ valid: true, delta: 0 });
    expect(await verifyTotp(secret, referenceTotp(secret, NOW - 30_000), { now })).toMatchObject({ valid: true, delta: -1 });
    expect(await verifyTotp(secret, referenceTotp(secret, NOW + 30_000), { now })).toMatchObject({ valid: true, delta: 1 });
    expect(await verifyTotp(secret, referenceTotp(secret, NOW - 60_000), { now })).toEqual({ valid: false });
    expect(await verifyTotp(secret, referenceTotp(secret, NOW - 60_000), { now, window: 2 })).toMatchObject({ valid: true, delta: -2 });
    expect(await verifyTotp(secret, referenceTotp(secret, NOW - 30_000), { now, window: 0 })).toEqual({ valid: false });
  });

  test('RFC 6238 appendix B vector (SHA-1, last 6 digits)', async () => {
    const secret = base32Plugin.encode(new TextEncoder().encode('12345678901234567890'));
    expect(await verifyTotp(secret, '081804', { now: () => 1_111_111_109_000, window: 0 })).toMatchObject({ valid: true });
    expect(await verifyTotp(secret, '081805', { now: () => 1_111_111_109_000 })).toEqual({ valid: false });
  });

  test('afterTimeStep stops a replay of an accepted code', async () => {
    const { secret } = await enrolTotp({ issuer: 'ACME', label: 'carol' });
    const code = referenceTotp(secret, NOW);
    const first = await verifyTotp(secret, code, { now: () => NOW });
    expect(first.timeStep).toBe(Math.floor(NOW / 30_000));
    expect(await verifyTotp(secret, code, { now: () => NOW, afterTimeStep: first.timeStep })).toEqual({ valid: false });
  });

  test.each([
    ['issuer', 'empty', () => enrolTotp({ issuer: '', label: 'x' })],
    ['issuer', 'with a colon', () => enrolTotp({ issuer: 'A:B', label: 'x' })],
    ['label', 'blank', () => enrolTotp({ issuer: 'A', label: ' ' })],
    ['secret', 'not Base32', () => verifyTotp('not base32!', '123456')],
    ['code', 'of 5 digits', () => verifyTotp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', '12345')],
    ['code', 'with a letter', () => verifyTotp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', '12a456')],
    ['window', 'of 11 steps', () => verifyTotp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', '123456', { window: 11 })],
  ] as Array<[string, string, () => Promise<unknown>]>)('%s %s is refused naming the field', async (field, _what, run) => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OtpInputError);
    expect((error as OtpInputError).field).toBe(field);
  });
});
