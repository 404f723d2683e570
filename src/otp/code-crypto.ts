/**
 * How codes are made and checked without ever storing one.
 *
 * A code is derived from (secret, counter) where secret = HMAC-SHA256(serverKey, nonce). The store keeps
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
const CODE_LABEL = 'sms-gateway/otp/uniform-code\u0000';

export function newSid(): string {
  return `VE${randomBytes(16).toString('hex')}`;
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

function hotpSecret(serverKey: Buffer, nonce: string): Uint8Array {
  return new Uint8Array(
    createHmac('sha256', serverKey)
      .update(SECRET_LABEL + nonce)
      .digest(),
  );
}

/**
 * How a verification's codes are derived (the record's `codeScheme`). HOTP (RFC 4226) truncates
 * to 31 bits, so its 10-digit codes start only with 0, 1 or 2 and its 8- and 9-digit codes have a
 * skewed first digit; it stays only to resend the same code for verifications issued with it.
 */
export const CODE_SCHEME_HOTP = 1;
/** Every digit uniform, for every length: what new verifications use. */
export const CODE_SCHEME_UNIFORM = 2;

export async function generateCode(serverKey: Buffer, nonce: string, counter: number, digits: number, scheme: number = CODE_SCHEME_UNIFORM): Promise<string> {
  const secret = hotpSecret(serverKey, nonce);
  if (scheme === CODE_SCHEME_HOTP) return generate({ secret, counter, digits, crypto: nodeCryptoPlugin });
  return uniformDigits(secret, counter, digits);
}

/**
 * Decimal digits from HMAC-SHA256(secret, counter, block) by rejection sampling: a byte below
 * 250 gives the digit byte % 10 (250 = 25 x 10, so each digit is equally likely); bytes 250-255
 * are skipped. Hand-written because no library derives deterministic (resendable) uniform codes:
 * HOTP's truncation is the bias this replaces, and crypto.randomInt cannot be recomputed.
 */
function uniformDigits(secret: Uint8Array, counter: number, digits: number): string {
  let code = '';
  for (let block = 0; code.length < digits; block++) {
    const bytes = createHmac('sha256', secret).update(`${CODE_LABEL}${counter}\u0000${block}`).digest();
    for (let i = 0; i < bytes.length && code.length < digits; i++) if (bytes[i] < 250) code += String(bytes[i] % 10);
  }
  return code;
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
