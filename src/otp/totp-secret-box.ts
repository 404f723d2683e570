/**
 * Keeps authenticator secrets unreadable in the state store: each is sealed with AES-256-GCM
 * under a key derived (HKDF-SHA256) from the SMS OTP Settings signing key, bound to the user it
 * belongs to (the user's key is the GCM additional data, so a sealed secret copied onto another
 * user does not open). Store keys name users by a keyed hash, never by the identifier itself.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const SEAL_INFO = 'sms-gateway/totp/secret-seal';
const NAME_INFO = 'sms-gateway/totp/user-key';
/** Sealed form: version, then base64url of IV (12 bytes) | tag (16 bytes) | ciphertext. */
const SEALED_PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The sealed secret does not open: the signing key changed since enrolment, or the stored value was altered. */
export class TotpSecretUnreadableError extends Error {
  override readonly name = 'TotpSecretUnreadableError';
}

/** User keys remembered per box: a flood of checks for one user then costs no HMAC each (bounded, cleared when full). */
const NAME_CACHE_SIZE = 10_000;

export class TotpSecretBox {
  private readonly sealKey: Buffer;
  private readonly nameKey: Buffer;
  private readonly names = new Map<string, string>();

  constructor(serverKey: Buffer) {
    this.sealKey = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), SEAL_INFO, 32));
    this.nameKey = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), NAME_INFO, 32));
  }

  /** Store key of an enrolled user (by the workflow's user identifier). */
  userKey(userId: string): string {
    return `u:${this.keyedName(`user\u0000${userId}`)}`;
  }

  /** Store key of the attempts and last step of a secret the workflow passes itself (OTP Verify version 1). */
  secretKey(secret: string): string {
    return `s:${this.keyedName(`secret\u0000${secret}`)}`;
  }

  seal(secret: string, userKey: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(userKey, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string, userKey: string): string {
    if (!sealed.startsWith(SEALED_PREFIX)) throw new TotpSecretUnreadableError('unknown format');
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) throw new TotpSecretUnreadableError('too short');
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(userKey, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new TotpSecretUnreadableError('authentication failed');
    }
  }

  private keyedName(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = createHmac('sha256', this.nameKey).update(text, 'utf8').digest('hex').slice(0, 40);
      if (this.names.size >= NAME_CACHE_SIZE) this.names.clear();
      this.names.set(text, name);
    }
    return name;
  }
}

/** What an enrolment may show of a secret: its last four characters, as apps group them. */
export function maskSecret(secret: string): string {
  const groups = Math.max(1, Math.ceil(secret.length / 4));
  return [...Array.from({ length: groups - 1 }, () => '****'), secret.slice(-4)].join(' ');
}
