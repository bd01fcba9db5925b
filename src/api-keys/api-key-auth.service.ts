import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hashApiKey, isWellFormedApiKey } from 'src/api-keys/api-key.format';
import { RequestLike, requestContext } from 'src/audit/audit-context';
import { ApiKeyRefusalReason, AuditEventType } from 'src/audit/audit-event.types';
import { AuditService } from 'src/audit/audit.service';
import { AuthError, INVALID_API_KEY } from 'src/auth/auth.errors';
import { OrganizationPrincipal, UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { TtlCache } from 'src/common/cache/ttl-cache';
import { valueOrRejection } from 'src/common/value-or-rejection';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { OrganizationRole } from 'src/auth/principal';

/** What one indexed query tells about a key, its user and the membership. */
interface KeyState {
  id: string;
  organizationId: string;
  userId: string | null;
  kind: 'user' | 'organization';
  readOnly: boolean;
  expiresAt: number | null;
  revoked: boolean;
  userDisabled: boolean;
  role: OrganizationRole | null;
  /** Built (frozen) on the first request this state admits, then reused until the state expires. */
  principal?: UserPrincipal | OrganizationPrincipal;
}

const LAST_USED_INTERVAL_MS = 60_000;

/**
 * Verifies `x-api-key` values. The state behind a key (revocation, user, membership) is cached for
 * AUTH_CACHE_TTL_MS (≤ 5 s), so revoking a key, removing a member or disabling a user takes effect
 * within that bound on every instance. Expiry is checked against the clock on every request.
 */
@Injectable()
export class ApiKeyAuthService {
  private readonly logger = new Logger(ApiKeyAuthService.name);
  private readonly cache: TtlCache<KeyState | null>;
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() private readonly audit?: AuditService,
  ) {
    this.cache = new TtlCache(config.authCacheTtlMs);
  }

  /**
   * The principal behind a key. A key whose state is cached is answered without a promise; a bad key
   * always comes back as a rejected promise (AuthError), a database error as a rejected promise too
   * (it becomes 503). A refusal is audited with the IP and user agent of `request` when given, else
   * with the ambient request's.
   */
  authenticate(
    rawKey: string,
    request?: RequestLike,
  ): UserPrincipal | OrganizationPrincipal | Promise<UserPrincipal | OrganizationPrincipal> {
    const hash = hashApiKey(rawKey);
    const state = this.cache.get(hash);
    if (state === undefined) return this.loadAndAuthenticate(rawKey, hash, request);
    return valueOrRejection(() => this.principalFor(state, request));
  }

  private async loadAndAuthenticate(
    rawKey: string,
    hash: string,
    request: RequestLike | undefined,
  ): Promise<UserPrincipal | OrganizationPrincipal> {
    // Only well-formed keys reach the cache, so a cached hash needs no second shape check.
    if (!isWellFormedApiKey(rawKey)) {
      this.refused('invalid', null, request);
      throw new AuthError('invalid', INVALID_API_KEY);
    }
    const state = await this.load(hash);
    this.cache.set(hash, state);
    return this.principalFor(state, request);
  }

  /** Throws AuthError for an unknown, revoked or expired key, or an owner who lost access. */
  private principalFor(
    state: KeyState | null,
    request: RequestLike | undefined,
  ): UserPrincipal | OrganizationPrincipal {
    if (
      state?.principal !== undefined &&
      (state.expiresAt === null || state.expiresAt > Date.now())
    ) {
      return state.principal;
    }
    if (!state) {
      this.refused('invalid', null, request);
      throw new AuthError('invalid', INVALID_API_KEY);
    }
    if (state.revoked) {
      this.refused('revoked', state, request);
      throw new AuthError(
        'invalid',
        'This API key has been revoked. Create a new one in Settings → API Keys.',
      );
    }
    if (state.expiresAt !== null && state.expiresAt <= Date.now()) {
      this.refused('expired', state, request);
      throw new AuthError(
        'invalid',
        `This API key expired on ${new Date(state.expiresAt).toISOString()}. Create a new one in Settings → API Keys.`,
      );
    }
    const scopes = Object.freeze(state.readOnly ? [Scope.Read] : [Scope.All]);
    const credentialExpiresAt = state.expiresAt !== null ? new Date(state.expiresAt) : null;
    if (state.kind === 'organization') {
      return (state.principal = Object.freeze({
        kind: 'organization',
        organizationId: state.organizationId,
        apiKeyId: state.id,
        scopes,
        credentialExpiresAt,
      }));
    }
    if (state.userDisabled) {
      this.refused('disabled', state, request);
      throw new AuthError('forbidden', 'The account that owns this API key is disabled.');
    }
    if (!state.role || !state.userId) {
      this.refused('not_member', state, request);
      throw new AuthError(
        'forbidden',
        'The owner of this API key is no longer a member of its organization, so the key cannot be used.',
      );
    }
    return (state.principal = Object.freeze({
      kind: 'user',
      userId: state.userId,
      organizationId: state.organizationId,
      organizationRole: state.role,
      scopes,
      authMethod: 'api_key',
      apiKeyId: state.id,
      credentialExpiresAt,
    }));
  }

  /** Audits a refusal: queued in O(1), never awaited, never the key itself. */
  private refused(
    reason: ApiKeyRefusalReason,
    state: KeyState | null,
    request: RequestLike | undefined,
  ): void {
    this.audit?.record({
      ...(request ? requestContext(request) : {}),
      type: AuditEventType.ApiKeyRefused,
      organizationId: state?.organizationId ?? null,
      actorUserId: state?.userId ?? null,
      actorApiKeyId: state?.id ?? null,
      details: { reason },
    });
  }

  /** Drops cached state (tests, and this instance's own revocations). */
  forget(): void {
    this.cache.clear();
  }

  private async load(hash: string): Promise<KeyState | null> {
    const rows: Array<{
      id: string;
      organization_id: string;
      user_id: string | null;
      kind: 'user' | 'organization';
      read_only: boolean;
      expires_at: Date | string | null;
      revoked_at: Date | string | null;
      disabled_at: Date | string | null;
      role: OrganizationRole | null;
    }> = await this.dataSource.query(
      `SELECT k.id, k.organization_id, k.user_id, k.kind, k.read_only, k.expires_at, k.revoked_at,
              u.disabled_at, m.role
         FROM api_keys k
         LEFT JOIN users u ON u.id = k.user_id
         LEFT JOIN memberships m ON m.organization_id = k.organization_id AND m.user_id = k.user_id
        WHERE k.key_hash = $1`,
      [hash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      organizationId: r.organization_id,
      userId: r.user_id,
      kind: r.kind,
      readOnly: r.read_only,
      expiresAt: r.expires_at ? new Date(r.expires_at).getTime() : null,
      revoked: r.revoked_at !== null,
      userDisabled: r.disabled_at !== null,
      role: r.role,
    };
  }

  /**
   * Records a use of the key once a request with it has been let in (a key refused by the route, such
   * as an organization key at /mcp, was not used): at most once a minute per key and process, never
   * blocking the request.
   */
  recordUse(keyId: string): void {
    const now = Date.now();
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_INTERVAL_MS) return;
    this.lastUsedWritten.set(keyId, now);
    if (this.lastUsedWritten.size > 50_000) this.lastUsedWritten.clear();
    this.dataSource
      .query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [keyId])
      .catch((err: unknown) =>
        this.logger.warn(`could not record last use of key ${keyId}: ${(err as Error).message}`),
      );
  }
}
