import { randomInt } from 'node:crypto';
import { sha256Hex } from 'src/common/crypto';
import { crc32 } from 'node:zlib';

/**
 * `ed_` + 30 random base62 characters (≈178 bits from the CSPRNG) + 6 base62 characters of CRC32 over
 * the preceding text. The checksum rejects typos without a database lookup and lets secret scanners
 * match `\bed_[0-9A-Za-z]{36}\b` with few false positives (GitHub's token format).
 */
export const API_KEY_PREFIX = 'ed_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
export const API_KEY_PATTERN = /^ed_[0-9A-Za-z]{36}$/;

function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

function checksum(body: string): string {
  return base62(crc32(body) >>> 0, CHECKSUM_LENGTH);
}

export function generateApiKey(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(62)];
  const body = API_KEY_PREFIX + random;
  return body + checksum(body);
}

/** Shape and checksum; says nothing about whether the key exists. */
export function isWellFormedApiKey(key: string): boolean {
  if (!API_KEY_PATTERN.test(key)) return false;
  const body = key.slice(0, key.length - CHECKSUM_LENGTH);
  return checksum(body) === key.slice(-CHECKSUM_LENGTH);
}

/** SHA-256 (hex) of the whole key: what the database stores and looks up. */
export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

/** `ed_AbCd…wxyz`: enough to recognise a key in a list, useless to an attacker. */
export function displayHint(key: string): string {
  return `${key.slice(0, 7)}…${key.slice(-4)}`;
}
