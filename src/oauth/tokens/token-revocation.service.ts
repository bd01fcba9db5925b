import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthError } from 'src/auth/auth.errors';
import { sha256Hex } from 'src/common/crypto';
import { OAuthClient } from 'src/oauth/entities';
import { GrantService } from 'src/oauth/grants/grant.service';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * RFC 7009 revocation: a refresh token or an access token of the calling client ends its whole grant.
 * Unknown, invalid, already revoked and other clients' tokens are silently ignored (the caller
 * answers 200 either way and learns nothing); other clients' tokens stay valid.
 */
@Injectable()
export class TokenRevocationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: GrantService,
    private readonly accessTokens: AccessTokenService,
  ) {}

  async revoke(client: OAuthClient, token: string, hint?: string): Promise<void> {
    // The hint only orders the lookups (RFC 7009 §2.1); an unknown hint is ignored.
    if (hint === 'access_token') {
      if (!(await this.revokeAccessToken(client, token)))
        await this.revokeRefreshToken(client, token);
    } else if (!(await this.revokeRefreshToken(client, token))) {
      await this.revokeAccessToken(client, token);
    }
  }

  /** True when the token is one of our refresh tokens (whoever it belongs to). */
  private async revokeRefreshToken(client: OAuthClient, token: string): Promise<boolean> {
    const rows: Array<{ grant_id: string; client_id: string }> = await this.dataSource.query(
      `SELECT grant_id, client_id FROM oauth_refresh_tokens WHERE token_hash = $1`,
      [sha256Hex(token)],
    );
    const row = rows[0];
    if (!row) return false;
    if (row.client_id === client.id) {
      await this.grants.revoke(row.grant_id, 'refresh token revoked by the client');
    }
    return true;
  }

  /** True when the token is a valid access token of ours (whoever it belongs to). */
  private async revokeAccessToken(client: OAuthClient, token: string): Promise<boolean> {
    let claims;
    try {
      claims = this.accessTokens.verify(token);
    } catch (err) {
      if (err instanceof AuthError) return false;
      throw err;
    }
    if (claims.client_id !== client.clientId || !UUID.test(claims.grant_id)) return true;
    const rows: Array<{ client_id: string }> = await this.dataSource.query(
      `SELECT client_id FROM oauth_grants WHERE id = $1`,
      [claims.grant_id],
    );
    if (rows[0]?.client_id === client.id) {
      await this.grants.revoke(claims.grant_id, 'access token revoked by the client');
    }
    return true;
  }
}
