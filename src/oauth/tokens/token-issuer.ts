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

/** What rotating a refresh token needs: the database reads the token itself afresh. */
export interface RotationInput {
  /** SHA-256 of the presented refresh token. */
  tokenHash: string;
  client: OAuthClient;
  /** The resource the token must be for; null when the request named none. */
  resource: string | null;
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

/**
 * See the migration RefreshRotationFunctions: the rotated token's grant, user, organization and
 * scope, or nulls when it rotated nothing.
 */
const ROTATE_REFRESH_TOKEN = preparedStatement(
  'oauth_refresh_rotate',
  `SELECT grant_id, user_id, organization_id, scope
     FROM oauth_rotate_refresh_token($1, $2, $3, $4, $5, $6)`,
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
    await this.touch(tx, 'oauth_grants', input.grantId, now);
    await this.touch(tx, 'oauth_clients', input.client.id, now);
    return this.response(input, await this.signAccessToken(input), refreshToken);
  }

  /**
   * Rotates a refresh token in one database call (no transaction of ours). The signing key is made
   * ready first, as loading it may need the database: once the call has stored the successor, what
   * is left (signing) cannot fail for want of the database. Null, with nothing written, when the
   * call rotated nothing.
   */
  async rotatePair(runner: EntityManager, input: RotationInput): Promise<IssuedTokens | null> {
    await this.accessTokens.ready();
    const refreshToken = randomToken();
    // One row: every column set when the token was rotated, every column null otherwise.
    const [row] = await queryPrepared<
      Array<{ grant_id: string; user_id: string; organization_id: string; scope: string }>
    >(runner, ROTATE_REFRESH_TOKEN, [
      input.tokenHash,
      input.client.id,
      input.resource,
      input.graceSeconds,
      sha256Hex(refreshToken),
      new Date(Date.now() + this.config.oauth.refreshIdleSeconds * 1000),
    ]);
    if (!row?.grant_id) return null;
    const pair = {
      grantId: row.grant_id,
      userId: row.user_id,
      organizationId: row.organization_id,
      client: input.client,
      accessScope: row.scope,
    };
    return this.response(pair, await this.signAccessToken(pair), refreshToken);
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

  /** A cheap `last_used_at` write: skipped when this process wrote it less than a minute ago. */
  private async touch(
    tx: EntityManager,
    table: 'oauth_grants' | 'oauth_clients',
    id: string,
    now: number,
  ): Promise<void> {
    const key = `${table}:${id}`;
    if (now - (this.lastUsedWritten.get(key) ?? 0) < LAST_USED_INTERVAL_MS) return;
    if (this.lastUsedWritten.size > 50_000) this.lastUsedWritten.clear();
    this.lastUsedWritten.set(key, now);
    await tx.query(`UPDATE ${table} SET last_used_at = now() WHERE id = $1`, [id]);
  }
}
