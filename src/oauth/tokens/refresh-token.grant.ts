import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AuditEventType } from 'src/audit/audit-event.types';
import { MetricsService } from 'src/metrics/metrics.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { expandScopes, parseScopeString, Scope } from 'src/auth/scopes';
import { sha256Hex } from 'src/common/crypto';
import { preparedStatement, queryPrepared } from 'src/database/prepared';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { OAuthClient } from 'src/oauth/entities';
import { GrantService } from 'src/oauth/grants/grant.service';
import { OAuthError } from 'src/oauth/oauth.errors';
import { OAuthForm, requireParam } from 'src/oauth/tokens/oauth-form';
import { sameResource } from 'src/oauth/tokens/resource';
import { IssuedTokens, TokenIssuer } from 'src/oauth/tokens/token-issuer';

interface RefreshState {
  id: string;
  grant_id: string;
  client_id: string;
  scope: string;
  resource: string;
  absolute_expires_at: Date | string;
  /** Compared on the database clock, which every instance shares. */
  expired: boolean;
  revoked: boolean;
  user_id: string;
  organization_id: string;
  grant_revoked: boolean;
  user_disabled: boolean;
  role: string | null;
  /** oauth_refresh_superseded: a sibling or successor was used, or the grace period is over. */
  superseded: boolean;
}

type Rotation =
  | { kind: 'issued'; issued: IssuedTokens }
  | { kind: 'reused'; grantId: string; userId: string; organizationId: string };

/**
 * The token, its grant, user and membership, whether it expired, and whether it is old (a successor
 * or sibling was used, or its grace period of $2 seconds since first use is over).
 */
const STATE = preparedStatement(
  'oauth_refresh_state',
  `
  SELECT t.id, t.grant_id, t.client_id, t.scope, t.resource, t.absolute_expires_at,
         t.revoked_at IS NOT NULL AS revoked, g.user_id, g.organization_id,
         g.revoked_at IS NOT NULL AS grant_revoked, u.disabled_at IS NOT NULL AS user_disabled, m.role,
         (t.expires_at <= now() OR t.absolute_expires_at <= now()) AS expired,
         oauth_refresh_superseded(t, $2) AS superseded
    FROM oauth_refresh_tokens t
    JOIN oauth_grants g ON g.id = t.grant_id
    JOIN users u ON u.id = g.user_id
    LEFT JOIN memberships m ON m.user_id = g.user_id AND m.organization_id = g.organization_id
   WHERE t.token_hash = $1`,
);

/** Locks the grant of the presented token (see `rotate`). */
const LOCK_GRANT = preparedStatement(
  'oauth_refresh_lock_grant',
  `SELECT g.id FROM oauth_refresh_tokens t JOIN oauth_grants g ON g.id = t.grant_id
    WHERE t.token_hash = $1 FOR UPDATE OF g`,
);

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/**
 * `grant_type=refresh_token` with rotation (RFC 9700 §4.14; OAuth 2.1 §4.3.1). Every use returns a
 * new pair. The
 * immediately previous token stays usable until one of its successors is used or the grace period
 * since its first use ends (each such use yields a sibling); once a successor is used its siblings
 * are old. Presenting an old token revokes the whole grant.
 *
 * Two paths, both serialised per grant by a row lock on the grant, both all-or-nothing (a fault
 * leaves the presented token working):
 * - direct, for a usable token and no narrowed scope: one call of `oauth_rotate_refresh_token`,
 *   which locks the grant, checks the token and stores its successor (one round trip);
 * - full, when that call rotated nothing: one transaction that locks the grant, reads the state,
 *   explains the refusal or revokes the grant on reuse, or rotates (five round trips).
 */
@Injectable()
export class RefreshTokenGrant {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly grants: GrantService,
    private readonly issuer: TokenIssuer,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  async exchange(client: OAuthClient, form: OAuthForm): Promise<IssuedTokens> {
    const presented = requireParam(form, 'refresh_token');
    const resource = form.resource;
    if (resource !== undefined && !sameResource(resource, this.config.mcpResource)) {
      throw new OAuthError('invalid_target', `The resource must be ${this.config.mcpResource}`);
    }
    const requested = form.scope === undefined ? null : parseRequestedScope(form.scope);
    const tokenHash = sha256Hex(presented);
    // The direct path, unless the scope is narrowed: null, with nothing written, for any token it
    // does not rotate. A given resource was checked above to name ours; the token must be for it.
    const direct =
      requested === null
        ? await this.issuer.rotatePair(this.dataSource.manager, {
            tokenHash,
            client,
            resource: resource === undefined ? null : this.config.mcpResource,
            graceSeconds: this.config.oauth.refreshGraceSeconds,
          })
        : null;
    if (direct !== null) return direct;
    // The full path: refusals (explained), reuse (the grant revoked), a narrowed scope.
    const outcome = await this.dataSource.transaction((tx) =>
      this.rotate(tx, client, tokenHash, requested, resource),
    );
    if (outcome.kind === 'reused') {
      this.metrics.refreshReuse.inc();
      this.audit.record({
        type: AuditEventType.RefreshReuseDetected,
        organizationId: outcome.organizationId,
        actorUserId: outcome.userId,
        actorClientId: client.clientId,
        targetType: 'oauth_grant',
        targetId: outcome.grantId,
        details: { reason: 'refresh token reuse: grant revoked' },
      });
      throw invalidGrant(
        'The refresh token was already replaced by a newer one; the grant has been revoked',
      );
    }
    return outcome.issued;
  }

  private async rotate(
    tx: EntityManager,
    client: OAuthClient,
    tokenHash: string,
    requested: Scope[] | null,
    resource: string | undefined,
  ): Promise<Rotation> {
    // Serialises every rotation of this grant (siblings included) and revocations of it. The state
    // is read by the next statement, so that it sees whatever the lock holder committed.
    const locked = await queryPrepared<unknown[]>(tx, LOCK_GRANT, [tokenHash]);
    if (locked.length === 0) throw invalidGrant('The refresh token is invalid');
    const rows = await queryPrepared<RefreshState[]>(tx, STATE, [
      tokenHash,
      this.config.oauth.refreshGraceSeconds,
    ]);
    const t = rows[0];
    // Another client's token: refused, and its family is left alone.
    if (!t || t.client_id !== client.id) throw invalidGrant('The refresh token is invalid');
    if (t.revoked || t.grant_revoked) {
      throw invalidGrant('The refresh token has been revoked');
    }
    if (t.superseded) {
      await this.grants.revoke(t.grant_id, 'refresh token reuse', tx);
      return {
        kind: 'reused',
        grantId: t.grant_id,
        userId: t.user_id,
        organizationId: t.organization_id,
      };
    }
    if (t.expired) throw invalidGrant('The refresh token has expired');
    if (t.user_disabled) throw invalidGrant('The user account is disabled');
    if (t.role === null) throw invalidGrant('The user is no longer a member of the organization');
    if (resource !== undefined && !sameResource(resource, t.resource)) {
      throw new OAuthError('invalid_target', 'The resource differs from the one granted');
    }
    const accessScope = narrowScope(t.scope, requested);
    // issuePair marks the presented token (the new one's parent) used, unless it already was.
    const issued = await this.issuer.issuePair(tx, {
      grantId: t.grant_id,
      userId: t.user_id,
      organizationId: t.organization_id,
      client,
      accessScope,
      refresh: {
        scope: t.scope,
        resource: t.resource,
        parentId: t.id,
        absoluteExpiresAt: new Date(t.absolute_expires_at),
      },
    });
    return { kind: 'issued', issued };
  }
}

/** The requested scopes; an unknown one is `invalid_scope`. `offline_access` is accepted and ignored. */
function parseRequestedScope(value: string): Scope[] | null {
  const { scopes, unknown } = parseScopeString(value);
  const rejected = unknown.filter((s) => s !== 'offline_access');
  if (rejected.length > 0) {
    throw new OAuthError(
      'invalid_scope',
      `Unknown scope: ${rejected
        .slice(0, 5)
        .map((s) => s.slice(0, 64))
        .join(' ')}`,
    );
  }
  return scopes.length > 0 ? scopes : null;
}

/** The access token's scope: the requested subset of the granted scope, or all of it. */
function narrowScope(granted: string, requested: Scope[] | null): string {
  if (!requested) return granted;
  const allowed = expandScopes(granted.split(' '));
  const wider = requested.filter((s) => !allowed.has(s));
  if (wider.length > 0) {
    throw new OAuthError('invalid_scope', `The scope exceeds the grant: ${wider.join(' ')}`);
  }
  return requested.join(' ');
}
