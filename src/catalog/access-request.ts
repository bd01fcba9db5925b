import { EntityManager, In } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { forbidden, invalidArgument } from 'src/common/errors/domain-error';
import { isOpenOrLive, LIFECYCLE_RANK, lifecycleOf, todayUtc } from 'src/catalog/access-rules';
import { findProduct, findTeam, requireRef } from 'src/catalog/catalog-lookup';
import { contractRoles } from 'src/catalog/contract-terms';
import type { RequestAccessInput, UserRefDto } from 'src/catalog/dto/access.dto';
import {
  AccessAgreement,
  ConsumerType,
  DataContract,
  DataProduct,
  OutputPort,
  TeamMember,
} from 'src/catalog/entities';
import { TeamAccess, TeamPermission } from 'src/catalog/team-permissions';
import { Membership } from 'src/users/membership.entity';
import { User } from 'src/users/user.entity';

/** The consumer of a new agreement. */
export interface Consumer {
  type: ConsumerType;
  userId: string | null;
  teamId: string | null;
  productId: string | null;
  /** For a data product: its owner team. */
  productTeamId: string | null;
  label: string;
}

/** The caller (default), one of their teams, or a data product of a team they may request for. */
export async function resolveConsumer(
  m: EntityManager,
  principal: UserPrincipal,
  access: TeamAccess,
  input: RequestAccessInput,
  provider: DataProduct,
): Promise<Consumer> {
  const none = { userId: null, teamId: null, productId: null, productTeamId: null };
  if (input.consumerTeamId !== undefined && input.consumerDataProductId !== undefined) {
    throw invalidArgument('Pass at most one of consumerTeamId and consumerDataProductId');
  }
  if (input.consumerTeamId !== undefined) {
    const team = await findTeam(
      m,
      principal.organizationId,
      requireRef(input.consumerTeamId, 'consumerTeamId'),
    );
    if (!access.can(team.id, TeamPermission.AccessRequest)) {
      throw forbidden(
        `You cannot request access for team "${team.externalId}": that needs ACCESS_REQUEST in the team (Owner, Approver, Editor or Member). Omit consumerTeamId to request for yourself.`,
      );
    }
    return { ...none, type: 'team', teamId: team.id, label: `team ${team.externalId}` };
  }
  if (input.consumerDataProductId !== undefined) {
    const product = await findProduct(
      m,
      principal.organizationId,
      requireRef(input.consumerDataProductId, 'consumerDataProductId'),
    );
    if (product.id === provider.id) {
      throw invalidArgument('A data product cannot be a consumer of its own output port');
    }
    if (!access.can(product.ownerTeamId, TeamPermission.AccessRequest)) {
      throw forbidden(
        `You cannot request access for data product "${product.externalId}": that needs ACCESS_REQUEST in its owner team. Omit consumerDataProductId to request for yourself.`,
      );
    }
    return {
      ...none,
      type: 'data_product',
      productId: product.id,
      productTeamId: product.ownerTeamId,
      label: `data product ${product.externalId}`,
    };
  }
  return { ...none, type: 'user', userId: principal.userId, label: 'you' };
}

/** An open request or live agreement of exactly this consumer for the port, if any. */
export async function findOpenOrLive(
  m: EntityManager,
  port: OutputPort,
  consumer: Consumer,
): Promise<AccessAgreement | null> {
  const rows = await m.find(AccessAgreement, {
    where: {
      organizationId: port.organizationId,
      providerOutputPortId: port.id,
      consumerType: consumer.type,
      ...(consumer.userId ? { consumerUserId: consumer.userId } : {}),
      ...(consumer.teamId ? { consumerTeamId: consumer.teamId } : {}),
      ...(consumer.productId ? { consumerDataProductId: consumer.productId } : {}),
      status: In(['requested', 'approved']),
    },
    order: { createdAt: 'DESC' },
  });
  const live = rows.filter((a) => isOpenOrLive(lifecycleOf(a)));
  live.sort((x, y) => LIFECYCLE_RANK[lifecycleOf(x)] - LIFECYCLE_RANK[lifecycleOf(y)]);
  return live[0] ?? null;
}

/** Validates requested role names against the roles of the port's contract. */
export function parseRoles(
  value: unknown,
  contract: DataContract | null,
  portRef: string,
): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((r) => typeof r !== 'string' || r.trim() === '')) {
    throw invalidArgument('roles must be a list of role names from the data contract');
  }
  const roles = [...new Set(value.map((r: string) => r.trim()))];
  if (roles.length === 0) return [];
  const known = contract ? contractRoles(contract.document).map((r) => r.role) : [];
  const unknown = roles.filter((r) => !known.includes(r));
  if (unknown.length) {
    throw invalidArgument(
      known.length
        ? `Unknown role(s) ${unknown.join(', ')} for ${portRef}: use roles from its data contract (${known.join(', ')})`
        : `The data contract of ${portRef} defines no roles: omit roles`,
    );
  }
  return roles;
}

/** Whether a new request is approved at once (auto-approve). Returns the reason. */
export function autoApproveReason(
  access: TeamAccess,
  port: OutputPort,
  provider: DataProduct,
  consumer: Consumer,
): string | null {
  if (port.autoApprove) return 'the output port approves requests automatically';
  const owner = provider.ownerTeamId;
  if (consumer.type === 'team' && consumer.teamId === owner)
    return 'the consumer is the provider team';
  if (consumer.type === 'data_product' && consumer.productTeamId === owner) {
    return 'the consumer data product belongs to the provider team';
  }
  if (consumer.type === 'user' && access.isMemberOf(owner))
    return 'you are a member of the provider team';
  return null;
}

/** Who can decide a request to the team: its (and its parents') owners and approvers, and organization owners. */
export async function approversOf(
  m: EntityManager,
  organizationId: string,
  access: TeamAccess,
  providerTeamId: string,
): Promise<UserRefDto[]> {
  const teamMembers = await m.find(TeamMember, {
    where: {
      organizationId,
      teamId: In(access.lineage(providerTeamId)),
      role: In(['owner', 'approver']),
    },
  });
  const owners = await m.find(Membership, { where: { organizationId, role: 'owner' } });
  const ids = [...new Set([...teamMembers, ...owners].map((r) => r.userId))];
  if (ids.length === 0) return [];
  const users = await m.find(User, { where: { id: In(ids) }, order: { email: 'ASC' } });
  return users
    .filter((u) => !u.disabledAt)
    .map((u) => ({ userId: u.id, email: u.email, name: u.name }));
}

/** Inserts a new agreement, approved at once when an auto-approve rule applies. */
export function insertAgreement(
  tx: EntityManager,
  principal: UserPrincipal,
  access: TeamAccess,
  product: DataProduct,
  port: OutputPort,
  consumer: Consumer,
  fields: { purpose: string; roles: string[]; endDate: string | null },
): Promise<AccessAgreement> {
  const reason = autoApproveReason(access, port, product, consumer);
  return tx.save(
    tx.create(AccessAgreement, {
      organizationId: principal.organizationId,
      providerDataProductId: product.id,
      providerOutputPortId: port.id,
      providerTeamId: product.ownerTeamId,
      consumerType: consumer.type,
      consumerUserId: consumer.userId,
      consumerTeamId: consumer.teamId,
      consumerDataProductId: consumer.productId,
      ...fields,
      status: reason ? 'approved' : 'requested',
      startDate: reason ? todayUtc() : null,
      autoApproved: !!reason,
      requestedBy: principal.userId,
      decisionComment: reason ? `Auto-approved: ${reason}` : null,
    }),
  );
}
