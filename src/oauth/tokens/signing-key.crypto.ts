import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  scryptSync,
} from 'node:crypto';

/** The public half of a signing key as published in the JWKS (RFC 7517/7518, P-256). */
export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** A JWKS entry: the public key plus how to use it. */
export interface PublishedJwk extends EcPublicJwk {
  kid: string;
  use: 'sig';
  alg: 'ES256';
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** Parses a PKCS#8 or SEC1 PEM and insists on an EC P-256 private key. Never echoes the key. */
export function parseP256PrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new SigningKeyError('The signing key is not a readable PEM private key');
  }
  assertP256(key);
  return key;
}

function assertP256(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SigningKeyError('The signing key must be an EC P-256 (prime256v1) private key');
  }
}

export function generateP256PrivateKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

export function publicJwkOf(privateKey: KeyObject): EcPublicJwk {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) {
    throw new SigningKeyError('The signing key must be an EC P-256 key');
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic order. */
export function jwkThumbprint(jwk: EcPublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function publicKeyFromJwk(jwk: EcPublicJwk): KeyObject {
  return createPublicKey({ key: { ...jwk }, format: 'jwk' });
}

export const toPkcs8Pem = (key: KeyObject): string =>
  key.export({ format: 'pem', type: 'pkcs8' }).toString();

const ENCRYPTED_PREFIX = 'enc:v1:';
const KDF_SALT = 'oauth-signing-key:aes-256-gcm:v1';
const AAD = Buffer.from('oauth_signing_keys.private_key:v1');

/**
 * Stored private keys: `enc:v1:<iv>:<tag>:<ciphertext>` (base64url) with AES-256-GCM under a key
 * derived from SIGNING_KEY_SECRET (scrypt, once per process), or the plain PKCS#8 PEM when no secret
 * is configured.
 */
export class PrivateKeyCodec {
  private derived: Buffer | undefined;

  constructor(private readonly secret: string | undefined) {}

  static isEncrypted(stored: string): boolean {
    return stored.startsWith(ENCRYPTED_PREFIX);
  }

  encode(key: KeyObject): string {
    const pem = toPkcs8Pem(key);
    if (!this.secret) return pem;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    cipher.setAAD(AAD);
    const ciphertext = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${ENCRYPTED_PREFIX}${[iv, tag, ciphertext].map((b) => b.toString('base64url')).join(':')}`;
  }

  decode(stored: string): KeyObject {
    if (!PrivateKeyCodec.isEncrypted(stored)) return parseP256PrivateKey(stored);
    if (!this.secret) {
      throw new SigningKeyError(
        'The stored signing key is encrypted: set SIGNING_KEY_SECRET to the secret it was stored with',
      );
    }
    const parts = stored.slice(ENCRYPTED_PREFIX.length).split(':');
    if (parts.length !== 3) throw new SigningKeyError('The stored signing key is malformed');
    const [iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, 'base64url'));
    let pem: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key(), iv);
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      pem = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SigningKeyError(
        'The stored signing key cannot be decrypted: SIGNING_KEY_SECRET differs from the one it was stored with',
      );
    }
    return parseP256PrivateKey(pem);
  }

  private key(): Buffer {
    this.derived ??= scryptSync(this.secret ?? '', KDF_SALT, 32, {
      N: 1 << 15,
      r: 8,
      p: 1,
      maxmem: 64 << 20,
    });
    return this.derived;
  }
}
