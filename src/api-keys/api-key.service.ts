import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { ApiKey, ApiKeyKind } from 'src/api-keys/api-key.entity';
import { displayHint, generateApiKey, hashApiKey } from 'src/api-keys/api-key.format';
import { ApiKeyDto, CreatedApiKeyDto } from 'src/api-keys/dto/api-key.dto';
import { auditActor } from 'src/audit/audit-context';
import { AuditEventType } from 'src/audit/audit-event.types';
import { AuditService } from 'src/audit/audit.service';
import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { hasScope, Scope } from 'src/auth/scopes';
import { forbidden, invalidArgument, notFound } from 'src/common/errors/domain-error';
import { Membership } from 'src/users/membership.entity';
import { User } from 'src/users/user.entity';

export interface CreateApiKeyInput {
  name: string;
  kind?: ApiKeyKind;
  readOnly?: boolean;
  expiresAt?: Date | null;
  /** Only for the system principal (CLI): the organization and, for user keys, the user. */
  organizationId?: string;
  userId?: string;
}

type KeyRow = ApiKey & { userEmail?: string | null };

function toDto(k: KeyRow): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    kind: k.kind,
    displayHint: k.displayHint,
    organizationId: k.organizationId,
    userId: k.userId,
    userEmail: k.userEmail ?? null,
    readOnly: k.readOnly,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** Creating, listing and revoking keys. Authentication with a key is ApiKeyAuthService. */
@Injectable()
export class ApiKeyService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly audit?: AuditService,
  ) {}

  async create(principal: Principal, input: CreateApiKeyInput): Promise<CreatedApiKeyDto> {
    const kind = input.kind ?? 'user';
    const name = (input.name ?? '').trim();
    if (!name || name.length > 100)
      throw invalidArgument('The key name must be 1 to 100 characters');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw invalidArgument('expiresAt must be in the future');
    }
    const { organizationId, userId } = await this.owner(principal, kind, input);
    let expiresAt = input.expiresAt ?? null;
    let readOnly = input.readOnly ?? false;
    if (principal.kind !== 'system') {
      // A key never mints a key with more rights or a longer life than itself.
      const parentExpiry = principal.credentialExpiresAt ?? null;
      if (parentExpiry && (!expiresAt || expiresAt > parentExpiry)) expiresAt = parentExpiry;
      if (!hasScope(principal.scopes, Scope.Write)) readOnly = true;
    }
    const key = generateApiKey();
    const saved = await this.keys.save(
      this.keys.create({
        organizationId,
        userId,
        kind,
        name,
        displayHint: displayHint(key),
        keyHash: hashApiKey(key),
        readOnly,
        expiresAt,
        lastUsedAt: null,
        revokedAt: null,
        createdBy: principal.kind === 'user' ? principal.userId : null,
      }),
    );
    this.audit?.record({
      type: AuditEventType.ApiKeyCreated,
      ...auditActor(principal),
      organizationId,
      targetType: 'api_key',
      targetId: saved.id,
      details: { name, kind, readOnly, userId, expiresAt: expiresAt?.toISOString() ?? null },
    });
    const email = userId
      ? ((await this.dataSource.getRepository(User).findOneBy({ id: userId }))?.email ?? null)
      : null;
    return { ...toDto({ ...saved, userEmail: email }), key };
  }

  /** `mine`: the caller's keys in the organization; `organization`: all of them (owners, admins). */
  async list(
    principal: Principal,
    options: { scope?: 'mine' | 'organization'; organizationId?: string } = {},
  ): Promise<ApiKeyDto[]> {
    const organizationId =
      principal.kind === 'system' ? options.organizationId : principal.organizationId;
    if (!organizationId) throw invalidArgument('An organization is required');
    const qb = this.keys
      .createQueryBuilder('k')
      .leftJoin(User, 'u', 'u.id = k.user_id')
      .addSelect('u.email', 'user_email')
      .where('k.organization_id = :organizationId AND k.revoked_at IS NULL', { organizationId })
      .orderBy('k.created_at', 'DESC');
    const wantsAll = options.scope === 'organization' || principal.kind !== 'user';
    if (wantsAll && !isOrganizationAdmin(principal, organizationId)) {
      throw forbidden('Only organization owners and admins can list the organization’s keys');
    }
    if (!wantsAll && principal.kind === 'user')
      qb.andWhere('k.user_id = :userId', { userId: principal.userId });
    const { entities, raw } = await qb.getRawAndEntities<{ user_email: string | null }>();
    return entities.map((k, i) => toDto({ ...k, userEmail: raw[i]?.user_email ?? null }));
  }

  async revoke(principal: Principal, id: string): Promise<ApiKeyDto> {
    if (principal.kind !== 'system' && !hasScope(principal.scopes, Scope.Write)) {
      throw forbidden('A read-only key cannot revoke keys');
    }
    const key = await this.keys.findOneBy(
      principal.kind === 'system' ? { id } : { id, organizationId: principal.organizationId },
    );
    const visible =
      key &&
      (principal.kind !== 'user' ||
        key.userId === principal.userId ||
        isOrganizationAdmin(principal, key.organizationId));
    if (!key || !visible) throw notFound('API key');
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.keys.update({ id: key.id, revokedAt: IsNull() }, { revokedAt: key.revokedAt });
      this.audit?.record({
        type: AuditEventType.ApiKeyRevoked,
        ...auditActor(principal),
        organizationId: key.organizationId,
        targetType: 'api_key',
        targetId: key.id,
        details: { name: key.name, kind: key.kind, userId: key.userId },
      });
    }
    return toDto(key);
  }

  private async owner(
    principal: Principal,
    kind: ApiKeyKind,
    input: CreateApiKeyInput,
  ): Promise<{ organizationId: string; userId: string | null }> {
    switch (principal.kind) {
      case 'system': {
        if (!input.organizationId) throw invalidArgument('An organization is required');
        if (kind === 'organization') return { organizationId: input.organizationId, userId: null };
        if (!input.userId) throw invalidArgument('A user is required for a user key');
        const member = await this.dataSource
          .getRepository(Membership)
          .findOneBy({ organizationId: input.organizationId, userId: input.userId });
        if (!member) throw invalidArgument('The user is not a member of that organization');
        return { organizationId: input.organizationId, userId: input.userId };
      }
      case 'organization':
        throw forbidden(
          kind === 'organization'
            ? 'Creating organization-level keys needs the organization owner role: use a personal key of an owner'
            : 'An organization-level key has no user to create a personal key for: use your own personal key',
        );
      case 'user': {
        if (!hasScope(principal.scopes, Scope.Write))
          throw forbidden('A read-only key cannot create keys');
        if (kind === 'organization') {
          if (principal.organizationRole !== 'owner') {
            throw forbidden('Creating organization-level keys needs the organization owner role');
          }
          return { organizationId: principal.organizationId, userId: null };
        }
        return { organizationId: principal.organizationId, userId: principal.userId };
      }
    }
  }
}
