/**
 * Crypto and Base32 plugins for otplib's own packages (@otplib/hotp, /totp, /uri).
 *
 * Why not `import 'otplib'`: its default plugins load @noble/hashes and @scure/base, which are
 * ESM-only. Node >= 20.19 can require() them, but Jest (before Node 24.9) and older Node 20
 * cannot. node:crypto does the HMAC natively, and Base32 (RFC 4648) is a few lines.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { normalizeHashAlgorithm } from '@otplib/core';
import type { Base32Plugin, CryptoPlugin, HashAlgorithm } from '@otplib/core';

export const nodeCryptoPlugin: CryptoPlugin = {
  name: 'node',
  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac(normalizeHashAlgorithm(algorithm), key).update(data).digest());
  },
  randomBytes(length: number): Uint8Array {
    return new Uint8Array(randomBytes(length));
  },
  constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
    const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
    const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  },
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const base32Plugin: Base32Plugin = {
  name: 'rfc4648',
  encode(data: Uint8Array, options?: { padding?: boolean }): string {
    let out = '';
    let buffer = 0;
    let bits = 0;
    for (const byte of data) {
      buffer = (buffer << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(buffer >>> (bits - 5)) & 31];
        bits -= 5;
      }
      buffer &= (1 << bits) - 1; // keep only the unread bits so the number stays small
    }
    if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
    if (options?.padding) while (out.length % 8 !== 0) out += '=';
    return out;
  },
  decode(text: string): Uint8Array {
    const clean = text.toUpperCase().replace(/=+$/, '');
    const bytes: number[] = [];
    let buffer = 0;
    let bits = 0;
    for (const char of clean) {
      const value = ALPHABET.indexOf(char);
      if (value < 0) throw new Error('Base32: invalid character in secret');
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        bytes.push((buffer >>> (bits - 8)) & 255);
        bits -= 8;
        buffer &= (1 << bits) - 1;
      }
    }
    return Uint8Array.from(bytes);
  },
};
