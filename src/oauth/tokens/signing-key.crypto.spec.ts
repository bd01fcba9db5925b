import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  jwkThumbprint,
  PrivateKeyCodec,
  publicJwkOf,
  SigningKeyError,
} from 'src/oauth/tokens/signing-key.crypto';

const SECRET = 'a-signing-key-secret-of-at-least-32-chars';

describe('signing key crypto', () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

  it('should compute the RFC 7638 thumbprint over crv, kty, x, y in that order', () => {
    const jwk = publicJwkOf(key);
    const expected = createHash('sha256')
      .update(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`)
      .digest('base64url');
    expect(jwkThumbprint(jwk)).toBe(expected);
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
  });

  describe('PrivateKeyCodec', () => {
    const sut = new PrivateKeyCodec(SECRET);

    it('should round-trip through enc:v1 AES-256-GCM with a fresh IV each time', () => {
      const a = sut.encode(key);
      const b = sut.encode(key);
      expect(a).toMatch(/^enc:v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
      expect(a).not.toBe(b);
      expect(jwkThumbprint(publicJwkOf(sut.decode(a)))).toBe(jwkThumbprint(publicJwkOf(key)));
    });

    it('should refuse a tampered ciphertext, tag or IV', () => {
      const stored = sut.encode(key);
      const [, , iv, tag, ct] = stored.split(':');
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      for (const bad of [
        `enc:v1:${flip(iv)}:${tag}:${ct}`,
        `enc:v1:${iv}:${flip(tag)}:${ct}`,
        `enc:v1:${iv}:${tag}:${flip(ct)}`,
        `enc:v1:${iv}:${tag}`,
      ]) {
        expect(() => sut.decode(bad)).toThrow(SigningKeyError);
      }
    });

    it('should store plain PKCS#8 without a secret and read it back', () => {
      const plain = new PrivateKeyCodec(undefined);
      const stored = plain.encode(key);
      expect(stored).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(plain.decode(stored).asymmetricKeyType).toBe('ec');
      expect(sut.decode(stored).asymmetricKeyType).toBe('ec');
      expect(() => plain.decode(sut.encode(key))).toThrow(/SIGNING_KEY_SECRET/);
    });

    it('should refuse a PEM that is not a P-256 private key, without echoing it', () => {
      const plain = new PrivateKeyCodec(undefined);
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString();
      expect(() => plain.decode(rsa)).toThrow(/P-256/);
      expect(() =>
        plain.decode('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'),
      ).toThrow(/not a readable PEM/);
    });
  });
});
