import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomToken, sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { preparedStatement, queryPrepared } from 'src/database/prepared';
import { OAuthClient } from 'src/oauth/entities';
import { AccessTokenClaims } from 'src/auth/access-token.claims';
import { AccessTokenService, IssuedAccessToken } from 'src/oauth/tokens/access-token.service';

/** The token endpoint's success body (OAuth 2.1 §3.2.3). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** A response to send, and the claims of its access token (for audit and metrics: no secret). */
export interface IssuedTokens {
  response: TokenResponse;
  claims: AccessTokenClaims;
}

export interface TokenPairInput {
  grantId: string;
  userId: string;
  organizationId: string;
  client: OAuthClient;
  /** Scope of the new access token (may be narrower than the refresh token's). */
  accessScope: string;
  refresh: {
    scope: string;
    resource: string;
    /**
     * The token this one replaces, marked used here (its first use starts its grace period) in the
     * same statement; null for the first token of a family.
     */
    parentId: string | null;
    absoluteExpiresAt: Date;
  };
}

/** What rotating a refresh token needs besides the token itself, which the database reads afresh. */
export interface RotationInput {
  grantId: string;
  userId: string;
  organizationId: string;
  client: OAuthClient;
  accessScope: string;
  /** The presented refresh token. */
  parentId: string;
  graceSeconds: number;
}

const LAST_USED_INTERVAL_MS = 60_000;

/** Stores a refresh token (SHA-256 only) and marks its parent, if any, used. */
const INSERT_REFRESH_TOKEN = preparedStatement(
  'oauth_refresh_insert',
  `WITH parent AS (
     UPDATE oauth_refresh_tokens SET used_at = now()
      WHERE $4::uuid IS NOT NULL AND id = $4::uuid AND used_at IS NULL)
   INSERT INTO oauth_refresh_tokens
     (token_hash, grant_id, client_id, parent_id, scope, resource, expires_at, absolute_expires_at)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
);

/** See the migration RefreshRotationFunctions: true when it stored the successor. */
const ROTATE_REFRESH_TOKEN = preparedStatement(
  'oauth_refresh_rotate',
  `SELECT oauth_rotate_refresh_token($1, $2, $3, $4, $5, $6) AS rotated`,
);

/**
 * Issues an access token and a refresh token inside the caller's transaction: the refresh token is
 * stored as SHA-256 only, with an idle expiry capped by the family's absolute expiry. Also records
 * `last_used_at` of the grant and the client, at most once a minute per row and process.
 */
@Injectable()
export class TokenIssuer {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly accessTokens: AccessTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issuePair(tx: EntityManager, input: TokenPairInput): Promise<IssuedTokens> {
    const now = Date.now();
    const refreshToken = randomToken();
    const idleExpiry = new Date(now + this.config.oauth.refreshIdleSeconds * 1000);
    const expiresAt =
      idleExpiry < input.refresh.absoluteExpiresAt ? idleExpiry : input.refresh.absoluteExpiresAt;
    await queryPrepared(tx, INSERT_REFRESH_TOKEN, [
      sha256Hex(refreshToken),
      input.grantId,
      input.client.id,
      input.refresh.parentId,
      input.refresh.scope,
      input.refresh.resource,
      expiresAt,
      input.refresh.absoluteExpiresAt,
    ]);
    if (this.touchDue('oauth_grants', input.grantId, now)) {
      await tx.query(`UPDATE oauth_grants SET last_used_at = now() WHERE id = $1`, [input.grantId]);
    }
    if (this.touchDue('oauth_clients', input.client.id, now)) {
      await tx.query(`UPDATE oauth_clients SET last_used_at = now() WHERE id = $1`, [
        input.client.id,
      ]);
    }
    return this.response(input, await this.signAccessToken(input), refreshToken);
  }

  /**
   * Rotates a refresh token in one database call (no transaction of ours): the access token is
   * signed first, so a failure there writes nothing; then `oauth_rotate_refresh_token` locks the
   * grant, checks the token afresh and stores the successor with its `last_used_at` writes. Null,
   * with nothing written, when the token changed since the caller read it.
   */
  async rotatePair(runner: EntityManager, input: RotationInput): Promise<IssuedTokens | null> {
    const now = Date.now();
    const access = await this.signAccessToken(input);
    const refreshToken = randomToken();
    const touchGrant = this.touchDue('oauth_grants', input.grantId, now);
    const touchClient = this.touchDue('oauth_clients', input.client.id, now);
    const [row] = await queryPrepared<Array<{ rotated: boolean }>>(runner, ROTATE_REFRESH_TOKEN, [
      input.parentId,
      input.graceSeconds,
      sha256Hex(refreshToken),
      new Date(now + this.config.oauth.refreshIdleSeconds * 1000),
      touchGrant,
      touchClient,
    ]);
    return row?.rotated === true ? this.response(input, access, refreshToken) : null;
  }

  private signAccessToken(
    input: Pick<TokenPairInput, 'userId' | 'organizationId' | 'client' | 'grantId' | 'accessScope'>,
  ) {
    return this.accessTokens.issue({
      userId: input.userId,
      organizationId: input.organizationId,
      clientId: input.client.clientId,
      grantId: input.grantId,
      scope: input.accessScope,
    });
  }

  private response(
    input: { accessScope: string },
    access: IssuedAccessToken,
    refreshToken: string,
  ): IssuedTokens {
    return {
      response: {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: access.expiresIn,
        refresh_token: refreshToken,
        scope: input.accessScope,
      },
      claims: access.claims,
    };
  }

  /**
   * Whether to write `last_used_at` of a grant or client now: at most once a minute per row and
   * process (recorded as written from here on).
   */
  private touchDue(table: 'oauth_grants' | 'oauth_clients', id: string, now: number): boolean {
    const key = `${table}:${id}`;
    if (now - (this.lastUsedWritten.get(key) ?? 0) < LAST_USED_INTERVAL_MS) return false;
    if (this.lastUsedWritten.size > 50_000) this.lastUsedWritten.clear();
    this.lastUsedWritten.set(key, now);
    return true;
  }
}
