import { EntityManager, FindOptionsWhere, In } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { DomainError, ErrorCode, invalidArgument } from 'src/common/errors/domain-error';
import { DataContract, DataProduct, OutputPort, Team, TeamMember } from 'src/catalog/entities';
import { TeamAccess } from 'src/catalog/team-permissions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** A required identifier argument, trimmed. */
export function requireRef(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidArgument(`${field} is required`);
  }
  const ref = value.trim();
  if (ref.length > 200) throw invalidArgument(`${field} is too long`);
  return ref;
}

/** `external_id = ref`, or `id = ref` when ref is a UUID. */
function byRef(organizationId: string, ref: string): Array<Record<string, string>> {
  const where = [{ organizationId, externalId: ref }];
  return isUuid(ref) ? [...where, { organizationId, id: ref.toLowerCase() }] : where;
}

export const notFoundError = (message: string): DomainError =>
  new DomainError(ErrorCode.NotFound, message);

export async function findProduct(
  m: EntityManager,
  organizationId: string,
  ref: string,
): Promise<DataProduct> {
  const product = await m.findOne(DataProduct, { where: byRef(organizationId, ref) });
  if (!product) {
    throw notFoundError(
      `Data product "${ref}" not found. Call search (query "*" lists all) to find data product ids.`,
    );
  }
  return product;
}

export async function findPort(
  m: EntityManager,
  product: DataProduct,
  ref: string,
): Promise<OutputPort> {
  const port = await m.findOne(OutputPort, {
    where: byRef(product.organizationId, ref).map((w) => ({ ...w, dataProductId: product.id })),
  });
  if (!port) {
    throw notFoundError(
      `Output port "${ref}" not found in data product "${product.externalId}". Call fetch with dataProductId "${product.externalId}" to see its output ports.`,
    );
  }
  return port;
}

export const teamNotFoundError = (ref: string): DomainError =>
  notFoundError(`Team "${ref}" not found. Call teams_list to find team ids.`);

export async function findTeam(
  m: EntityManager,
  organizationId: string,
  ref: string,
): Promise<Team> {
  const team = await m.findOne(Team, { where: byRef(organizationId, ref) });
  if (!team) throw teamNotFoundError(ref);
  return team;
}

export async function findContract(
  m: EntityManager,
  organizationId: string,
  ref: string,
): Promise<DataContract | null> {
  return m.findOne(DataContract, { where: byRef(organizationId, ref) });
}

/** The caller's team roles and permissions in their organization, read through `m`. */
export async function loadTeamAccess(
  m: EntityManager,
  principal: UserPrincipal,
): Promise<TeamAccess> {
  const organizationId = principal.organizationId;
  // Sequential: inside a transaction both queries share one connection.
  const teams = await m.find(Team, {
    where: { organizationId },
    select: { id: true, parentTeamId: true },
  });
  const memberships = await m.find(TeamMember, {
    where: { organizationId, userId: principal.userId },
  });
  return new TeamAccess(
    principal.organizationRole === 'owner',
    teams,
    new Map(memberships.map((tm) => [tm.teamId, tm.role])),
  );
}

/** id → entity for the given ids of one organization. */
export async function mapById<T extends { id: string; organizationId: string }>(
  m: EntityManager,
  entity: new () => T,
  organizationId: string,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, T>> {
  const unique = [...new Set([...ids].filter((id): id is string => !!id))];
  if (unique.length === 0) return new Map();
  const rows = await m.find(entity, {
    where: { organizationId, id: In(unique) } as FindOptionsWhere<T>,
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** The team `ref` and every team below it (row ids, the team first). */
export async function teamAndDescendants(
  m: EntityManager,
  organizationId: string,
  ref: string,
): Promise<string[]> {
  const root = await findTeam(m, organizationId, ref);
  const teams = await m.find(Team, {
    where: { organizationId },
    select: { id: true, parentTeamId: true },
  });
  const ids = [root.id];
  for (let i = 0; i < ids.length; i++) {
    for (const t of teams) if (t.parentTeamId === ids[i] && !ids.includes(t.id)) ids.push(t.id);
  }
  return ids;
}
