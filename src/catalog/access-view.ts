import { Brackets, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import {
  AgreementParties,
  canApprove,
  canCancel,
  dateOnly,
  lifecycleOf,
  todayUtc,
} from 'src/catalog/access-rules';
import { mapById } from 'src/catalog/catalog-lookup';
import type { AccessItemDto, AccessLifecycle, UserRefDto } from 'src/catalog/dto/access.dto';
import { AccessAgreement, DataProduct, OutputPort, Team } from 'src/catalog/entities';
import { TeamAccess } from 'src/catalog/team-permissions';
import { User } from 'src/users/user.entity';

/** Who "I" am as an access consumer: myself, my teams, and the data products my teams own. */
export interface ConsumerScope {
  userId: string;
  teamIds: string[];
  productIds: string[];
}

export async function consumerScope(
  m: EntityManager,
  principal: UserPrincipal,
  access: TeamAccess,
): Promise<ConsumerScope> {
  const teamIds = access.memberTeamIds();
  const products = teamIds.length
    ? await m.find(DataProduct, {
        where: { organizationId: principal.organizationId, ownerTeamId: In(teamIds) },
        select: { id: true },
      })
    : [];
  return { userId: principal.userId, teamIds, productIds: products.map((p) => p.id) };
}

/** Restricts a query on access_agreements (alias `a`) to agreements whose consumer is in scope. */
export function whereConsumerIn<T extends object>(
  qb: SelectQueryBuilder<T>,
  scope: ConsumerScope,
): SelectQueryBuilder<T> {
  return qb.andWhere(
    new Brackets((w) => {
      w.where('a.consumer_user_id = :scopeUser', { scopeUser: scope.userId });
      if (scope.teamIds.length) {
        w.orWhere('a.consumer_team_id IN (:...scopeTeams)', { scopeTeams: scope.teamIds });
      }
      if (scope.productIds.length) {
        w.orWhere('a.consumer_data_product_id IN (:...scopeProducts)', {
          scopeProducts: scope.productIds,
        });
      }
    }),
  );
}

/** The caller's agreements (as user, team or team's data product) for some output ports. */
export function findScopedAgreements(
  m: EntityManager,
  organizationId: string,
  scope: ConsumerScope,
  portIds: string[],
): Promise<AccessAgreement[]> {
  if (portIds.length === 0) return Promise.resolve([]);
  const qb = m
    .createQueryBuilder(AccessAgreement, 'a')
    .where('a.organization_id = :organizationId', { organizationId })
    .andWhere('a.provider_output_port_id IN (:...portIds)', { portIds });
  return whereConsumerIn(qb, scope).orderBy('a.created_at', 'DESC').getMany();
}

const userRef = (u: User | undefined, id: string): UserRefDto =>
  u ? { userId: u.id, email: u.email, name: u.name } : { userId: id, email: '', name: '' };

/** Maps agreements to access items (external ids, names, lifecycle and what the caller may do). */
export async function toAccessItems(
  m: EntityManager,
  principal: UserPrincipal,
  access: TeamAccess,
  rows: AccessAgreement[],
  today: string = todayUtc(),
): Promise<AccessItemDto[]> {
  const org = principal.organizationId;
  const products = await mapById(m, DataProduct, org, [
    ...rows.map((a) => a.providerDataProductId),
    ...rows.map((a) => a.consumerDataProductId),
  ]);
  const ports = await mapById(
    m,
    OutputPort,
    org,
    rows.map((a) => a.providerOutputPortId),
  );
  const teams = await mapById(m, Team, org, [
    ...rows.map((a) => a.providerTeamId),
    ...rows.map((a) => a.consumerTeamId),
  ]);
  const userIds = [
    ...new Set(rows.flatMap((a) => [a.consumerUserId, a.requestedBy, a.decidedBy])),
  ].filter((id): id is string => !!id);
  const users = new Map(
    (userIds.length ? await m.find(User, { where: { id: In(userIds) } }) : []).map((u) => [
      u.id,
      u,
    ]),
  );
  return rows.map((a) => {
    const consumerProduct = a.consumerDataProductId
      ? products.get(a.consumerDataProductId)
      : undefined;
    const parties: AgreementParties = {
      ...a,
      consumerProductTeamId: consumerProduct?.ownerTeamId ?? null,
    };
    const item: AccessItemDto = {
      id: a.id,
      status: a.status,
      lifecycle: lifecycleOf(a, today),
      purpose: a.purpose,
      roles: a.roles ?? [],
      provider: {
        dataProductId: products.get(a.providerDataProductId)?.externalId ?? a.providerDataProductId,
        outputPortId: ports.get(a.providerOutputPortId)?.externalId ?? a.providerOutputPortId,
        teamId: teams.get(a.providerTeamId)?.externalId ?? a.providerTeamId,
      },
      consumer: consumerOf(a, users, teams, consumerProduct),
      requestedBy: userRef(users.get(a.requestedBy), a.requestedBy),
      startDate: dateOnly(a.startDate),
      endDate: dateOnly(a.endDate),
      canApprove: canApprove(access, parties),
      canCancel: canCancel(access, principal.userId, parties, today),
    };
    if (a.decidedBy) item.decidedBy = userRef(users.get(a.decidedBy), a.decidedBy);
    if (a.decisionComment) item.decisionComment = a.decisionComment;
    return item;
  });
}

function consumerOf(
  a: AccessAgreement,
  users: Map<string, User>,
  teams: Map<string, Team>,
  product: DataProduct | undefined,
): AccessItemDto['consumer'] {
  switch (a.consumerType) {
    case 'user': {
      const id = a.consumerUserId ?? '';
      return { type: 'user', id, name: users.get(id)?.name || users.get(id)?.email || id };
    }
    case 'team': {
      const team = a.consumerTeamId ? teams.get(a.consumerTeamId) : undefined;
      return {
        type: 'team',
        id: team?.externalId ?? a.consumerTeamId ?? '',
        name: team?.name ?? '',
      };
    }
    case 'data_product':
      return {
        type: 'data_product',
        id: product?.externalId ?? a.consumerDataProductId ?? '',
        name: product?.name ?? '',
      };
  }
}

/** Restricts access_agreements (alias `a`) to one derived lifecycle (end date exclusive). */
export function whereLifecycle<T extends object>(
  qb: SelectQueryBuilder<T>,
  lifecycle: AccessLifecycle,
  today: string,
): SelectQueryBuilder<T> {
  const notEnded = '(a.end_date IS NULL OR a.end_date > :today)';
  switch (lifecycle) {
    case 'requested':
    case 'rejected':
    case 'canceled':
      return qb.andWhere('a.status = :lifecycleStatus', { lifecycleStatus: lifecycle });
    case 'expired':
      return qb.andWhere(`a.status = 'approved' AND a.end_date <= :today`, { today });
    case 'upcoming':
      return qb.andWhere(`a.status = 'approved' AND ${notEnded} AND a.start_date > :today`, {
        today,
      });
    case 'active':
      return qb.andWhere(
        `a.status = 'approved' AND ${notEnded} AND (a.start_date IS NULL OR a.start_date <= :today)`,
        { today },
      );
  }
}
