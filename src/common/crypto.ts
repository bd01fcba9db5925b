import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url (43 characters): codes, refresh tokens, client secrets, session ids. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

// crypto.hash is the one-shot form of createHash(…).update(…).digest(…): no Hash object per call,
// which matters on the per-request credential path.
export const sha256Hex = (value: string): string => hash('sha256', value, 'hex');

export const sha256Base64Url = (value: string): string => hash('sha256', value, 'base64url');

/** Constant-time string comparison (lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
