import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AccessTokenClaims,
  ACCESS_TOKEN_VERIFIER,
  AccessTokenVerifier,
} from 'src/auth/access-token.claims';
import { AuthError } from 'src/auth/auth.errors';
import { OrganizationRole, UserPrincipal } from 'src/auth/principal';
import { TtlCache } from 'src/common/cache/ttl-cache';
import { valueOrRejection } from 'src/common/value-or-rejection';
import { sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';

/** A verified token's claims, with what every request derives from them worked out once. */
interface VerifiedToken {
  claims: AccessTokenClaims;
  /** The token up to and including its last dot: header and payload, no signature. */
  signedPart: string;
  grantKey: string;
  scopes: readonly string[];
  /** The principal last built from this token, and the grant state it was built with. */
  principal?: UserPrincipal;
  principalState?: GrantState;
}

interface GrantState {
  revoked: boolean;
  userDisabled: boolean;
  role: OrganizationRole | null;
}

/**
 * Bearer access tokens at /mcp: the signature and claims are checked by the token verifier (no
 * database), then the live state — grant not revoked, user enabled, still a member — read from the
 * database and cached for AUTH_CACHE_TTL_MS (≤ 5 s), so a revoked grant, a removed membership or a
 * disabled user stops the token within 5 seconds on every instance.
 */
@Injectable()
export class BearerAuthService {
  private readonly cache: TtlCache<GrantState | null>;
  /**
   * Verified access tokens, by the SHA-256 of their signature: an ES256 signature check costs far
   * more than the hash. An entry lives at most 60 s and never past the token's own expiry; the live
   * grant state above is still checked on every request, so revocations keep their 5-second bound.
   */
  private readonly verified = new TtlCache<VerifiedToken>(60_000, 20_000);

  constructor(
    @Inject(ACCESS_TOKEN_VERIFIER) private readonly verifier: AccessTokenVerifier,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new TtlCache(config.authCacheTtlMs);
  }

  /**
   * The principal behind a bearer token. On the common path (token verified earlier, grant state
   * cached) it answers without a promise; failures always come back as a rejected promise.
   */
  authenticate(token: string): UserPrincipal | Promise<UserPrincipal> {
    const dot = token.lastIndexOf('.');
    const key = sha256Hex(token.slice(dot + 1));
    const known = this.known(token, dot, key);
    const state = known && this.cache.get(known.grantKey);
    if (known === undefined || state === undefined) {
      return this.authenticateSlowly(token, dot, key, known);
    }
    return valueOrRejection(() => principalFor(known, state));
  }

  private async authenticateSlowly(
    token: string,
    dot: number,
    key: string,
    known: VerifiedToken | undefined,
  ): Promise<UserPrincipal> {
    const verified = known ?? (await this.verify(token, dot, key));
    let state = this.cache.get(verified.grantKey);
    if (state === undefined) {
      state = await this.load(verified.claims);
      this.cache.set(verified.grantKey, state);
    }
    return principalFor(verified, state);
  }

  /**
   * The token verified earlier and not yet expired. The entry is found by the SHA-256 of the token's
   * signature segment (a quarter of the token to hash) and must then match the rest of the token
   * exactly, so only the very token that was verified is ever served from here.
   */
  private known(token: string, dot: number, key: string): VerifiedToken | undefined {
    const known = this.verified.get(key);
    return known !== undefined &&
      known.claims.exp > Date.now() / 1000 &&
      token.slice(0, dot + 1) === known.signedPart
      ? known
      : undefined;
  }

  private async verify(token: string, dot: number, key: string): Promise<VerifiedToken> {
    const claims = await this.verifier.verify(token);
    const nowSeconds = Date.now() / 1000;
    const verified: VerifiedToken = {
      claims,
      signedPart: token.slice(0, dot + 1),
      grantKey: `${claims.grant_id}:${claims.sub}:${claims.org}`,
      scopes: Object.freeze(claims.scope.split(' ').filter(Boolean)),
    };
    const ttlMs = Math.min(60_000, (claims.exp - nowSeconds) * 1000);
    if (ttlMs > 0) this.verified.set(key, verified, ttlMs);
    return verified;
  }

  private async load(claims: AccessTokenClaims): Promise<GrantState | null> {
    const rows = await this.dataSource.query<
      Array<{ revoked_at: Date | null; disabled_at: Date | null; role: OrganizationRole | null }>
    >(
      `SELECT g.revoked_at, u.disabled_at, m.role
         FROM oauth_grants g
         JOIN users u ON u.id = g.user_id
         LEFT JOIN memberships m ON m.organization_id = g.organization_id AND m.user_id = g.user_id
        WHERE g.id = $1 AND g.user_id = $2 AND g.organization_id = $3`,
      [claims.grant_id, claims.sub, claims.org],
    );
    const r = rows[0];
    if (!r) return null;
    return { revoked: r.revoked_at !== null, userDisabled: r.disabled_at !== null, role: r.role };
  }
}

/**
 * Throws AuthError when the grant is revoked, the user disabled or no longer a member. The principal
 * (frozen) is built once per token and cached grant state, not on every request.
 */
function principalFor(verified: VerifiedToken, state: GrantState | null): UserPrincipal {
  if (state !== null && verified.principalState === state && verified.principal !== undefined) {
    return verified.principal;
  }
  if (!state || state.revoked) {
    throw new AuthError('invalid', 'The access token was revoked. Sign in again.');
  }
  if (state.userDisabled)
    throw new AuthError('invalid', 'The account behind this access token is disabled.');
  if (!state.role) {
    throw new AuthError(
      'invalid',
      'The user is no longer a member of the organization this token was issued for.',
    );
  }
  const { claims } = verified;
  const principal: UserPrincipal = Object.freeze({
    kind: 'user',
    userId: claims.sub,
    organizationId: claims.org,
    organizationRole: state.role,
    scopes: verified.scopes,
    authMethod: 'oauth',
    clientId: claims.client_id,
    grantId: claims.grant_id,
    credentialExpiresAt: new Date(claims.exp * 1000),
  });
  verified.principal = principal;
  verified.principalState = state;
  return principal;
}
