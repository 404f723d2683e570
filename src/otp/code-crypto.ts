/**
 * How codes are made and checked without ever storing one.
 *
 * A code is HOTP(secret, counter) where secret = HMAC-SHA256(serverKey, nonce). The store keeps
 * the nonce, the counter and a keyed hash of the code; the server key lives only in the
 * processes that run OtpService. So a resend of the SAME code regenerates it from the server key
 * (never reads it from the store), and someone who dumps the store learns neither the codes nor
 * a way to compute them.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { generate } from '@otplib/hotp';
import { nodeCryptoPlugin } from './otplib-plugins';

const SECRET_LABEL = 'sms-gateway/otp/hotp-secret\u0000';
const HASH_LABEL = 'sms-gateway/otp/code-hash\u0000';

export function newSid(): string {
  return `VE${randomBytes(16).toString('hex')}`;
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

function hotpSecret(serverKey: Buffer, nonce: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', serverKey).update(SECRET_LABEL + nonce).digest());
}

export async function generateCode(serverKey: Buffer, nonce: string, counter: number, digits: number): Promise<string> {
  return generate({ secret: hotpSecret(serverKey, nonce), counter, digits, crypto: nodeCryptoPlugin });
}

/** Keyed hash bound to the verification and counter, so a hash cannot be replayed onto another one. */
export function hashCode(serverKey: Buffer, sid: string, counter: number, code: string): string {
  return createHmac('sha256', serverKey).update(`${HASH_LABEL}${sid}\u0000${counter}\u0000${code}`).digest('hex');
}

/** Constant-time comparison of a candidate code against the stored hash. */
export function codeMatches(serverKey: Buffer, sid: string, counter: number, candidate: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashCode(serverKey, sid, counter, candidate), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
