/**
 * Authenticator-app mode (RFC 6238 TOTP, 30 s steps, SHA-1, 6 digits: what Google
 * Authenticator and its peers expect). Enrolment returns the secret once; the user's workflow
 * stores it, this module keeps nothing.
 */
import { randomBytes } from 'node:crypto';
import { verify } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import QRCode from 'qrcode';
import type { QRCodeToBufferOptions } from 'qrcode';
import { OtpInputError } from './errors';
import { base32Plugin, nodeCryptoPlugin } from './otplib-plugins';
import { checkCodeShape, checkInteger } from './validate';

export const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
/** Base32 of at least 16 bytes (otplib's minimum secret size). */
const BASE32_SECRET = /^[A-Z2-7]{26,}=*$/;

/**
 * PNG filter 2 ('Up'): the pixel rows of a QR code repeat, so it compresses well (~7 kB), while
 * pngjs's default adaptive choice tries Paeth on every byte (3 kB, but ~1 s under Jest).
 * filterType is a pngjs option that qrcode passes through but its typings do not list.
 */
const QR_PNG_OPTIONS: QRCodeToBufferOptions & { rendererOpts: { filterType: number } } = {
  type: 'png',
  errorCorrectionLevel: 'M',
  margin: 4,
  scale: 6,
  rendererOpts: { filterType: 2 },
};

export interface TotpEnrolment {
  /** Base32 secret: show or store it once, it is what the app and the verifier share. */
  secret: string;
  /** otpauth://totp/... for the QR code or manual entry. */
  uri: string;
  /** The URI as a QR code PNG. */
  qrPng: Buffer;
}

export interface TotpEnrolOptions {
  /** Who the code is for, shown in the app (e.g. 'ACME'). */
  issuer: string;
  /** The account, shown in the app (e.g. 'alice@example.com'). */
  label: string;
}

export async function enrolTotp(options: TotpEnrolOptions): Promise<TotpEnrolment> {
  const issuer = checkUriPart('issuer', options?.issuer);
  const label = checkUriPart('label', options?.label);
  // 20 bytes (160 bits), the size RFC 4226 recommends and authenticator apps expect.
  const secret = base32Plugin.encode(new Uint8Array(randomBytes(20)));
  const uri = generateTOTP({ issuer, label, secret });
  const qrPng = await QRCode.toBuffer(uri, QR_PNG_OPTIONS);
  return { secret, uri, qrPng };
}

export interface TotpVerifyOptions {
  /** Clock in ms since epoch (default Date.now). */
  now?: () => number;
  /** Steps accepted on each side of the current one (default 1, i.e. ±30 s). 0-10. */
  window?: number;
  /**
   * Replay protection: reject codes whose time step is at or before this one. Pass the
   * `timeStep` of the last accepted code for this user (the caller stores it).
   */
  afterTimeStep?: number;
}

export interface TotpVerifyResult {
  valid: boolean;
  /** The code's step minus the current step (-1: the previous step's code). */
  delta?: number;
  /** The accepted code's time step, to store and pass as afterTimeStep next time. */
  timeStep?: number;
}

export async function verifyTotp(secret: string, code: string, options: TotpVerifyOptions = {}): Promise<TotpVerifyResult> {
  checkTotpSecret(secret);
  const token = checkTotpCode(code);
  const window = options.window ?? 1;
  checkInteger('window', window, 0, 10);
  if (options.afterTimeStep !== undefined) checkInteger('afterTimeStep', options.afterTimeStep, 0, Number.MAX_SAFE_INTEGER);
  const epoch = Math.floor((options.now ?? Date.now)() / 1000);
  // A tolerance of w periods in seconds covers exactly the steps current-w .. current+w.
  const result = await verify({
    secret,
    token,
    epoch,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: window * TOTP_PERIOD_SECONDS,
    afterTimeStep: options.afterTimeStep,
    crypto: nodeCryptoPlugin,
    base32: base32Plugin,
  });
  if (!result.valid) return { valid: false };
  return { valid: true, delta: result.delta, timeStep: 'timeStep' in result ? result.timeStep : undefined };
}

/** The code, when it has the shape of an authenticator code (6 digits); never echoes it. */
export function checkTotpCode(code: unknown): string {
  const token = checkCodeShape(code);
  if (token.length !== TOTP_DIGITS) throw new OtpInputError('code', `must be ${TOTP_DIGITS} digits, got ${token.length}`);
  return token;
}

/** Throws OtpInputError('secret') unless `secret` is a Base32 secret of at least 16 bytes; never echoes it. */
export function checkTotpSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || !BASE32_SECRET.test(secret)) {
    throw new OtpInputError('secret', 'must be the Base32 secret returned at enrolment (A-Z, 2-7, at least 26 characters)');
  }
}

function checkUriPart(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new OtpInputError(field, 'must be a non-empty string');
  // otpauth labels are "issuer:account"; a colon inside either part makes them ambiguous.
  if (value.includes(':')) throw new OtpInputError(field, `must not contain ':' (got ${JSON.stringify(value)})`);
  if (value.length > 100) throw new OtpInputError(field, `must be at most 100 characters, got ${value.length}`);
  return value.trim();
}
