import { Inject, Injectable } from '@nestjs/common';
import { randomUUID, sign, verify as verifySignature } from 'node:crypto';
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

const invalid = (why: string): AuthError => new AuthError('invalid', `The access token ${why}.`);

/**
 * Access tokens: ES256 JWTs per RFC 9068 with audience = the MCP resource. `verify` checks every
 * header and claim rule of RFC 8725/9068 against our in-memory keys (no database, no key URLs), and
 * throws AuthError('invalid') for any problem, never anything else.
 */
@Injectable()
export class AccessTokenService implements AccessTokenVerifier {
  private readonly issuer: string;
  private readonly audience: string;
  private readonly ttlSeconds: number;
  private readonly leewaySeconds: number;

  constructor(
    private readonly keys: SigningKeyService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.issuer = config.oauth.issuer;
    this.audience = config.mcpResource;
    this.ttlSeconds = config.oauth.accessTokenTtlSeconds;
    this.leewaySeconds = config.oauth.clockLeewaySeconds;
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
    const signingInput = `${encodeSegment(HEADER(kid))}.${encodeSegment(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return {
      token: `${signingInput}.${signature.toString('base64url')}`,
      expiresIn: this.ttlSeconds,
      claims,
    };
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
    const [headerPart, payloadPart, signaturePart] = parts;
    const header = decodeSegment(headerPart);
    if (header.alg !== 'ES256') throw invalid('uses an unsupported algorithm');
    if (typeof header.typ !== 'string' || !ACCEPTED_TYP.has(header.typ.toLowerCase())) {
      throw invalid('is not an access token (typ must be at+jwt)');
    }
    if (header.crit !== undefined) throw invalid('uses unsupported critical header parameters');
    if (typeof header.kid !== 'string' || header.kid.length === 0) throw invalid('has no key id');
    // Only our own key set: jku, x5u, jwk and x5c headers are never followed.
    const key = this.keys.verificationKey(header.kid);
    if (!key) throw invalid('was signed with an unknown key');
    const signature = Buffer.from(signaturePart, 'base64url');
    const data = Buffer.from(`${headerPart}.${payloadPart}`);
    if (
      signature.length !== 64 ||
      // Non-canonical base64url (spare bits set) would let one signature have several spellings.
      signature.toString('base64url') !== signaturePart ||
      !verifySignature('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
    ) {
      throw invalid('has an invalid signature');
    }
    return this.checkClaims(decodeSegment(payloadPart));
  }

  private checkClaims(claims: Record<string, unknown>): AccessTokenClaims {
    if (claims.iss !== this.issuer) throw invalid('was issued by another issuer');
    const aud = claims.aud;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(this.audience)) throw invalid('was not issued for this resource');
    const now = Math.floor(Date.now() / 1000);
    const { exp, iat, nbf } = claims;
    if (!isNumericDate(exp) || !isNumericDate(iat)) throw invalid('lacks exp or iat');
    if (now >= exp + this.leewaySeconds) throw invalid('has expired');
    if (iat > now + this.leewaySeconds) throw invalid('was issued in the future');
    if (nbf !== undefined && (!isNumericDate(nbf) || nbf > now + this.leewaySeconds)) {
      throw invalid('is not valid yet');
    }
    if (exp - iat > this.ttlSeconds + this.leewaySeconds) throw invalid('lives too long');
    for (const name of REQUIRED_STRING_CLAIMS) {
      const value = claims[name];
      if (typeof value !== 'string' || value.length === 0) throw invalid(`lacks ${name}`);
    }
    return claims as unknown as AccessTokenClaims;
  }
}

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
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
