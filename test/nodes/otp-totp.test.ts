/** Authenticator apps: enrolment by OTP Issue (QR code as binary data) and TOTP checks by OTP Verify. */
import { createHmac } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { logCapture } from '../harness/n8n-harness';
import { resetOtpClock, setOtpClock } from '../../nodes/shared/otp-clock';
import { ISSUE, ManualClock, runIssue, runVerify, VERIFY } from '../fixtures/otp/otp-node-runs';

const APPROVED = 0;
const REJECTED = 1;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  let bits = '';
  for (const char of text.replace(/=+$/, '')) bits += BASE32.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 (SHA-1, 30 s, 6 digits) written out here, independent of the code under test. */
function authenticatorCode(secret: string, atMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('OTP authenticator enrolment and verification', () => {
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock(Date.UTC(2030, 0, 1, 12, 0, 10)); // 10 s into a 30 s step
    setOtpClock(clock.now);
  });
  afterAll(() => resetOtpClock());

  const enrol = (extra: Record<string, unknown> = {}, otpSettings?: ICredentialDataDecryptedObject) =>
    runIssue({ operation: 'enrolAuthenticator', accountName: 'alice@example.com', issuer: 'ACME Co', ...extra }, { otpSettings });
  /** Secret and code come from the input item, as in a real workflow (n8n logs a failing node's literal parameters). */
  const check = (secret: string, code: string, totpOptions: Record<string, unknown> = {}) =>
    runVerify(
      { operation: 'verifyAuthenticatorCode', secret: '={{ $json.secret }}', code: '={{ $json.code }}', totpOptions },
      { inputItems: [{ secret, code }] },
    );

  it('enrolment returns the secret and URI once, and a QR code PNG of that URI as binary data', async () => {
    const run = await enrol();
    expect(run.status).toBe('success');
    const [item] = run.items(ISSUE);
    expect(item).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), uri: expect.stringMatching(/^otpauth:\/\/totp\//), issuer: 'ACME Co', accountName: 'alice@example.com' });
    const uri = new URL(String(item.uri));
    expect(uri.searchParams.get('secret')).toBe(item.secret);
    expect(uri.searchParams.get('issuer')).toBe('ACME Co');
    expect(run.outputs(ISSUE)[0][0].pairedItem).toEqual({ item: 0 });

    const { qrCode } = run.binary(ISSUE)[0];
    expect(qrCode).toMatchObject({ mimeType: 'image/png', fileName: 'ACME_Co-alice@example.com-totp.png', fileExtension: 'png' });
    const png = PNG.sync.read(Buffer.from(qrCode.data, 'base64'));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(item.uri);
  });

  it('takes the issuer from the SMS OTP Settings app name, and names missing fields', async () => {
    const fromCredential = await enrol({ issuer: '' }, { serverKey: 'x'.repeat(32), appName: 'Shop' });
    expect(fromCredential.items(ISSUE)[0].issuer).toBe('Shop');
    const noIssuer = await enrol({ issuer: '' });
    expect(noIssuer.error?.message).toMatch(/Issuer is empty/);
    const colon = await enrol({ accountName: 'a:b' });
    expect(colon.error?.message).toMatch(/^Account Name must not contain ':'/);
  });

  it('accepts the current and the previous step, rejects a code two steps old', async () => {
    const { secret } = (await enrol()).items(ISSUE)[0] as { secret: string };
    const now = clock.now();
    const current = await check(secret, authenticatorCode(secret, now));
    expect(current.items(VERIFY, APPROVED)).toEqual([{ approved: true, status: 'approved', timeStep: Math.floor(now / 30_000), drift: 0 }]);
    const previous = await check(secret, authenticatorCode(secret, now - 30_000));
    expect(previous.items(VERIFY, APPROVED)[0]).toMatchObject({ approved: true, drift: -1 });
    const old = await check(secret, authenticatorCode(secret, now - 60_000));
    expect(old.items(VERIFY, APPROVED)).toEqual([]);
    expect(old.items(VERIFY, REJECTED)).toEqual([{ approved: false, status: 'rejected', reason: 'invalid_code', attemptsLeft: null }]);
    expect(old.outputs(VERIFY)[REJECTED][0].pairedItem).toEqual({ item: 0 });
    // A drift of 2 steps accepts it; a drift of 0 refuses even the previous step.
    expect((await check(secret, authenticatorCode(secret, now - 60_000), { window: 2 })).items(VERIFY, APPROVED)).toHaveLength(1);
    expect((await check(secret, authenticatorCode(secret, now - 30_000), { window: 0 })).items(VERIFY, REJECTED)).toHaveLength(1);
  });

  it('codes follow the clock: the current code is rejected two steps later', async () => {
    const { secret } = (await enrol()).items(ISSUE)[0] as { secret: string };
    const code = authenticatorCode(secret, clock.now());
    clock.advanceSeconds(60);
    expect((await check(secret, code)).items(VERIFY, REJECTED)).toHaveLength(1);
  });

  it('replay protection: a code of the last accepted step is rejected', async () => {
    const { secret } = (await enrol()).items(ISSUE)[0] as { secret: string };
    const code = authenticatorCode(secret, clock.now());
    const first = (await check(secret, code)).items(VERIFY, APPROVED)[0];
    const replay = await check(secret, code, { afterTimeStep: first.timeStep });
    expect(replay.items(VERIFY, REJECTED)[0]).toMatchObject({ reason: 'invalid_code' });
  });

  it('accepts the secret as apps show it (groups, lower case) and validates the code without echoing', async () => {
    const { secret } = (await enrol()).items(ISSUE)[0] as { secret: string };
    const grouped = secret.toLowerCase().replace(/(.{4})/g, '$1 ').trim();
    expect((await check(grouped, authenticatorCode(secret, clock.now()))).items(VERIFY, APPROVED)).toHaveLength(1);
    const fiveDigits = await check(secret, '12345');
    expect(fiveDigits.error?.message).toBe('Code must be 6 digits, got 5');
    const letters = await check(secret, 'abcdef');
    expect(letters.error?.message).toMatch(/Code must contain digits only/);
    const badSecret = await check('not-a-secret!', '123456');
    expect(badSecret.error?.message).toMatch(/^secret: must be the Base32 secret returned at enrolment/);
    expect(badSecret.error?.message).not.toContain('NOTASECRET');
    expect(logCapture.text()).not.toContain(secret);
  });
});
