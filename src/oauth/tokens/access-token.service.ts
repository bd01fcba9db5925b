import { Inject, Injectable } from '@nestjs/common';
import { JsonWebTokenError, JwtService, JwtVerifyOptions } from '@nestjs/jwt';
import { KeyObject, randomUUID } from 'node:crypto';
import { AccessTokenClaims, AccessTokenVerifier } from 'src/auth/access-token.claims';
import { AuthError } from 'src/auth/auth.errors';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { SigningKeyService } from 'src/oauth/tokens/signing-key.service';

export interface AccessTokenInput {
  userId: string;
  organizationId: string;
  /** The public client_id (not the row id). */
  clientId: string;
  grantId: string;
  scope: string;
  /** The audience is always the MCP resource; a caller may pass the validated `resource` here. */
  resource?: string;
}

export interface IssuedAccessToken {
  token: string;
  /** Seconds. */
  expiresIn: number;
  claims: AccessTokenClaims;
}

/** Longest token `verify` looks at; ours are well under 1 KiB. */
export const MAX_ACCESS_TOKEN_LENGTH = 8 * 1024;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const ACCEPTED_TYP = new Set(['at+jwt', 'application/at+jwt']);
const REQUIRED_STRING_CLAIMS = ['sub', 'client_id', 'scope', 'org', 'grant_id', 'jti'] as const;
const HEADER = (kid: string) => ({ alg: 'ES256', typ: 'at+jwt', kid });
/** Our wording for the checks jsonwebtoken makes (by the start of its message). */
const LIBRARY_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['invalid signature', 'has an invalid signature'],
  ['jwt expired', 'has expired'],
  ['jwt not active', 'is not valid yet'],
  ['invalid nbf value', 'is not valid yet'],
  ['invalid exp value', 'lacks exp or iat'],
  ['jwt audience invalid', 'was not issued for this resource'],
  ['jwt issuer invalid', 'was issued by another issuer'],
];

const invalid = (why: string): AuthError => new AuthError('invalid', `The access token ${why}.`);

/**
 * Access tokens: ES256 JWTs per RFC 9068 with audience = the MCP resource, signed and verified by
 * @nestjs/jwt (jsonwebtoken) with the algorithm pinned to ES256. `verify` adds the RFC 8725/9068
 * rules the library lacks (typ, crit, kid, canonical signature, required claims, lifetime), uses
 * only our in-memory keys (no database, no key URLs), and throws AuthError('invalid') for any
 * problem, never anything else.
 */
@Injectable()
export class AccessTokenService implements AccessTokenVerifier {
  private readonly issuer: string;
  private readonly audience: string;
  private readonly ttlSeconds: number;
  private readonly leewaySeconds: number;
  private readonly signer = new JwtService({ signOptions: { algorithm: 'ES256' } });
  private readonly verifyOptions: JwtVerifyOptions;
  /** @nestjs/jwt takes a KeyObject only in its module options: one JwtService per public key. */
  private readonly verifiers = new WeakMap<KeyObject, JwtService>();

  constructor(
    private readonly keys: SigningKeyService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.issuer = config.oauth.issuer;
    this.audience = config.mcpResource;
    this.ttlSeconds = config.oauth.accessTokenTtlSeconds;
    this.leewaySeconds = config.oauth.clockLeewaySeconds;
    this.verifyOptions = {
      algorithms: ['ES256'],
      issuer: this.issuer,
      audience: this.audience,
      clockTolerance: this.leewaySeconds,
    };
  }

  /** Resolves once a signing key is loaded (this may read the database): issue() then needs none. */
  ready(): Promise<void> {
    return this.keys.ensureLoaded();
  }

  async issue(input: AccessTokenInput): Promise<IssuedAccessToken> {
    await this.keys.ensureLoaded();
    const { kid, privateKey } = this.keys.signingKey();
    const iat = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = {
      iss: this.issuer,
      sub: input.userId,
      aud: this.audience,
      client_id: input.clientId,
      scope: input.scope,
      org: input.organizationId,
      grant_id: input.grantId,
      jti: randomUUID(),
      iat,
      exp: iat + this.ttlSeconds,
    };
    const token = this.signer.sign(claims, { privateKey, header: HEADER(kid) });
    return { token, expiresIn: this.ttlSeconds, claims };
  }

  /** The claims of a valid access token; AuthError('invalid', …) otherwise. */
  verify(token: string): AccessTokenClaims {
    try {
      return this.check(token);
    } catch (err) {
      if (err instanceof AuthError) throw err;
      throw invalid('is malformed');
    }
  }

  private check(token: string): AccessTokenClaims {
    if (typeof token !== 'string' || token.length === 0) throw invalid('is missing');
    if (token.length > MAX_ACCESS_TOKEN_LENGTH) throw invalid('is too long');
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) {
      throw invalid('is not a JWS in compact serialization');
    }
    const header = decodeSegment(parts[0]);
    // Before the signature checks, so none/HS256/RS256 are named as such (the library pins it too).
    if (header.alg !== 'ES256') throw invalid('uses an unsupported algorithm');
    if (typeof header.typ !== 'string' || !ACCEPTED_TYP.has(header.typ.toLowerCase())) {
      throw invalid('is not an access token (typ must be at+jwt)');
    }
    if (header.crit !== undefined) throw invalid('uses unsupported critical header parameters');
    if (typeof header.kid !== 'string' || header.kid.length === 0) throw invalid('has no key id');
    // Only our own key set: jku, x5u, jwk and x5c headers are never followed.
    const key = this.keys.verificationKey(header.kid);
    if (!key) throw invalid('was signed with an unknown key');
    const signature = Buffer.from(parts[2], 'base64url');
    // Non-canonical base64url (spare bits set) would let one signature have several spellings.
    if (signature.length !== 64 || signature.toString('base64url') !== parts[2]) {
      throw invalid('has an invalid signature');
    }
    let payload: unknown;
    try {
      // Signature, then nbf and exp (with the leeway), aud and iss.
      payload = this.verifierFor(key).verify(token);
    } catch (err) {
      throw fromLibrary(err);
    }
    return this.checkClaims(payload);
  }

  private verifierFor(publicKey: KeyObject): JwtService {
    let verifier = this.verifiers.get(publicKey);
    if (!verifier) {
      verifier = new JwtService({ publicKey, verifyOptions: this.verifyOptions });
      this.verifiers.set(publicKey, verifier);
    }
    return verifier;
  }

  /** The rules jsonwebtoken does not have: required finite exp/iat/nbf, iat, lifetime, claims. */
  private checkClaims(payload: unknown): AccessTokenClaims {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw invalid('is not a JSON object');
    }
    const claims = payload as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const { exp, iat, nbf } = claims;
    if (!isNumericDate(exp) || !isNumericDate(iat)) throw invalid('lacks exp or iat');
    if (iat > now + this.leewaySeconds) throw invalid('was issued in the future');
    if (nbf !== undefined && !isNumericDate(nbf)) throw invalid('is not valid yet');
    if (exp - iat > this.ttlSeconds + this.leewaySeconds) throw invalid('lives too long');
    for (const name of REQUIRED_STRING_CLAIMS) {
      const value = claims[name];
      if (typeof value !== 'string' || value.length === 0) throw invalid(`lacks ${name}`);
    }
    return claims as unknown as AccessTokenClaims;
  }
}

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function fromLibrary(err: unknown): AuthError {
  const reason =
    err instanceof JsonWebTokenError &&
    LIBRARY_REASONS.find(([start]) => err.message.startsWith(start));
  return invalid(reason ? reason[1] : 'is malformed');
}

function decodeSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('is not a JSON object');
  }
  return value as Record<string, unknown>;
}
