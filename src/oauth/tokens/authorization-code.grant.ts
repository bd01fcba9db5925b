import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { safeEqual, sha256Base64Url, sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { OAuthClient } from 'src/oauth/entities';
import { GrantService } from 'src/oauth/grants/grant.service';
import { OAuthError } from 'src/oauth/oauth.errors';
import { OAuthForm, requireParam } from 'src/oauth/tokens/oauth-form';
import { sameResource } from 'src/oauth/tokens/resource';
import { IssuedTokens, TokenIssuer } from 'src/oauth/tokens/token-issuer';

interface CodeRow {
  id: string;
  grant_id: string;
  client_id: string;
  user_id: string;
  organization_id: string;
  redirect_uri: string;
  code_challenge: string;
  resource: string;
  scope: string;
  used_at: Date | string | null;
  /** On the database clock, which issued the code. */
  expired: boolean;
}

interface GrantState {
  revoked_at: Date | string | null;
  disabled_at: Date | string | null;
  role: string | null;
}

type Redemption = { kind: 'issued'; issued: IssuedTokens } | { kind: 'replayed' };

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/**
 * `grant_type=authorization_code`: redeems a code issued by the authorization endpoint. Every check
 * (client, expiry, redirect URI, resource, PKCE, grant, user, membership) runs before the code is
 * consumed, and the consuming UPDATE … WHERE used_at IS NULL runs in the transaction that stores the
 * refresh token, so a failed exchange leaves the code usable and parallel redemptions yield one
 * success. A code presented again revokes the grant it produced (OAuth 2.1 §4.1.3).
 */
@Injectable()
export class AuthorizationCodeGrant {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly grants: GrantService,
    private readonly issuer: TokenIssuer,
  ) {}

  async exchange(client: OAuthClient, form: OAuthForm): Promise<IssuedTokens> {
    const code = requireParam(form, 'code');
    const verifier = requireParam(form, 'code_verifier');
    const redirectUri = requireParam(form, 'redirect_uri');
    const resource = form.resource;
    if (resource !== undefined && !sameResource(resource, this.config.mcpResource)) {
      throw new OAuthError('invalid_target', `The resource must be ${this.config.mcpResource}`);
    }
    const outcome = await this.dataSource.transaction((tx) =>
      this.redeem(tx, client, { codeHash: sha256Hex(code), verifier, redirectUri, resource }),
    );
    if (outcome.kind === 'replayed') {
      throw invalidGrant(
        'The authorization code was already used; the tokens issued for it have been revoked',
      );
    }
    return outcome.issued;
  }

  private async redeem(
    tx: EntityManager,
    client: OAuthClient,
    req: { codeHash: string; verifier: string; redirectUri: string; resource?: string },
  ): Promise<Redemption> {
    const rows: CodeRow[] = await tx.query(
      `SELECT id, grant_id, client_id, user_id, organization_id, redirect_uri, code_challenge,
              resource, scope, used_at, expires_at <= now() AS expired
         FROM oauth_authorization_codes WHERE code_hash = $1`,
      [req.codeHash],
    );
    const code = rows[0];
    if (!code || code.client_id !== client.id) {
      throw invalidGrant('The authorization code is invalid');
    }
    if (code.used_at !== null) return this.replayed(tx, code);
    this.checkRequest(code, req);
    const consumed: unknown[] = await tx.query(
      `UPDATE oauth_authorization_codes SET used_at = now()
        WHERE code_hash = $1 AND used_at IS NULL RETURNING id`,
      [req.codeHash],
    );
    // Lost a race with a parallel redemption: that is a second redemption too.
    if (rowCount(consumed) === 0) return this.replayed(tx, code);
    await this.checkGrant(tx, code);
    const issued = await this.issuer.issuePair(tx, {
      grantId: code.grant_id,
      userId: code.user_id,
      organizationId: code.organization_id,
      client,
      accessScope: code.scope,
      refresh: {
        scope: code.scope,
        resource: code.resource,
        parentId: null,
        // The family's absolute lifetime starts with this authorization.
        absoluteExpiresAt: new Date(Date.now() + this.config.oauth.refreshAbsoluteSeconds * 1000),
      },
    });
    return { kind: 'issued', issued };
  }

  /** The checks that must pass before the code is consumed (a failure leaves it usable). */
  private checkRequest(
    code: CodeRow,
    req: { verifier: string; redirectUri: string; resource?: string },
  ): void {
    if (code.expired) throw invalidGrant('The authorization code has expired');
    if (req.redirectUri !== code.redirect_uri) {
      throw invalidGrant('redirect_uri differs from the one in the authorization request');
    }
    if (req.resource !== undefined && !sameResource(req.resource, code.resource)) {
      throw new OAuthError(
        'invalid_target',
        'The resource differs from the one in the authorization request',
      );
    }
    if (
      !CODE_VERIFIER.test(req.verifier) ||
      !safeEqual(sha256Base64Url(req.verifier), code.code_challenge)
    ) {
      throw invalidGrant('PKCE verification failed: code_verifier does not match code_challenge');
    }
  }

  /** Locks the grant and checks it, the user and the membership (throwing rolls back the use). */
  private async checkGrant(tx: EntityManager, code: CodeRow): Promise<void> {
    const rows: GrantState[] = await tx.query(
      `SELECT g.revoked_at, u.disabled_at, m.role
         FROM oauth_grants g
         JOIN users u ON u.id = g.user_id
         LEFT JOIN memberships m ON m.user_id = g.user_id AND m.organization_id = g.organization_id
        WHERE g.id = $1 AND g.client_id = $2 AND g.user_id = $3 AND g.organization_id = $4
        FOR UPDATE OF g`,
      [code.grant_id, code.client_id, code.user_id, code.organization_id],
    );
    const state = rows[0];
    if (!state || state.revoked_at !== null) throw invalidGrant('The grant has been revoked');
    if (state.disabled_at !== null) throw invalidGrant('The user account is disabled');
    if (state.role === null) {
      throw invalidGrant('The user is no longer a member of the organization');
    }
  }

  private async replayed(tx: EntityManager, code: CodeRow): Promise<Redemption> {
    await this.grants.revoke(code.grant_id, 'authorization code replay', tx);
    return { kind: 'replayed' };
  }
}

/** Rows affected by `tx.query` UPDATE … RETURNING: TypeORM's postgres driver gives `[rows, count]`. */
function rowCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') {
    return result[1];
  }
  return Array.isArray(result) ? result.length : 0;
}
