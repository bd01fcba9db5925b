import { EntityManager, In } from 'typeorm';
import { mapById } from 'src/catalog/catalog-lookup';
import type { CatalogKind, DataProductModel, TeamModel } from 'src/catalog/documents/catalog-model';
import { productDocumentFromModel } from 'src/catalog/documents/data-product.document';
import { teamDocumentFromModel } from 'src/catalog/documents/team.document';
import {
  Certification,
  DataContract,
  DataProduct,
  InputPort,
  OutputPort,
  Team,
  TeamMember,
} from 'src/catalog/entities';
import type { CatalogIndex } from 'src/catalog/store/catalog-index';
import { User } from 'src/users/user.entity';
import { Membership } from 'src/users/membership.entity';

/** The row behind each kind of document. */
export type CatalogRow = Team | DataProduct | DataContract;
export const ENTITY_OF = {
  team: Team,
  dataproduct: DataProduct,
  datacontract: DataContract,
} as const satisfies Record<CatalogKind, new () => CatalogRow>;

/** The row of a document by its human id; locked for update when `lock` (inside a transaction). */
export function findRow(
  m: EntityManager,
  org: string,
  kind: CatalogKind,
  id: string,
  lock = false,
): Promise<CatalogRow | null> {
  const qb = m
    .createQueryBuilder(ENTITY_OF[kind], 'r')
    .where('r.organization_id = :org AND r.external_id = :id', { org, id });
  if (lock) qb.setLock('pessimistic_write');
  return qb.getOne();
}

/** Every row of a kind in the organization, by human id. */
export function findRows(m: EntityManager, org: string, kind: CatalogKind): Promise<CatalogRow[]> {
  return m.find(ENTITY_OF[kind], {
    where: { organizationId: org },
    order: { externalId: 'ASC' },
  });
}

/** The document GET returns for a row. */
export async function bodyOf(
  m: EntityManager,
  kind: CatalogKind,
  row: CatalogRow,
): Promise<Record<string, unknown>> {
  if (row instanceof DataContract) return row.document;
  if (row instanceof Team) return row.document ?? teamDocumentFromModel(await teamModel(m, row));
  if (row instanceof DataProduct) {
    return row.document ?? productDocumentFromModel(await productModel(m, row));
  }
  throw new Error(`no document for ${kind}`);
}

/** A team row (and its members) in our model. */
export async function teamModel(m: EntityManager, team: Team): Promise<TeamModel> {
  const parent = team.parentTeamId
    ? await m.findOne(Team, {
        where: { organizationId: team.organizationId, id: team.parentTeamId },
      })
    : null;
  const members = await m
    .createQueryBuilder(TeamMember, 'tm')
    .innerJoinAndMapOne('tm.user', User, 'u', 'u.id = tm.user_id')
    .where('tm.organization_id = :org AND tm.team_id = :team', {
      org: team.organizationId,
      team: team.id,
    })
    .orderBy('u.email', 'ASC')
    .getMany();
  return {
    id: team.externalId,
    name: team.name,
    type: team.type,
    parentId: parent?.externalId ?? null,
    members: members.map((tm) => ({
      email: (tm as TeamMember & { user: User }).user.email,
      role: tm.role,
    })),
  };
}

/** A product stored without a document (the demo seed), in our model, from its rows. */
export async function productModel(m: EntityManager, p: DataProduct): Promise<DataProductModel> {
  const org = p.organizationId;
  const team = await m.findOneOrFail(Team, { where: { organizationId: org, id: p.ownerTeamId } });
  const cert = p.certificationId
    ? await m.findOne(Certification, { where: { organizationId: org, id: p.certificationId } })
    : null;
  const ports = await m.find(OutputPort, {
    where: { organizationId: org, dataProductId: p.id },
    order: { externalId: 'ASC' },
  });
  const inputs = await m.find(InputPort, { where: { organizationId: org, dataProductId: p.id } });
  const sources = await mapById(
    m,
    OutputPort,
    org,
    inputs.map((i) => i.sourceOutputPortId),
  );
  const contracts = await mapById(m, DataContract, org, [
    ...ports.map((op) => op.dataContractId),
    ...[...sources.values()].map((s) => s.dataContractId),
  ]);
  const contractId = (id: string | null): string | null =>
    id ? (contracts.get(id)?.externalId ?? null) : null;
  return {
    id: p.externalId,
    name: p.name,
    status: p.status,
    archetype: p.archetype,
    certification: cert?.name ?? null,
    description: p.description ?? {},
    ownerTeamId: team.externalId,
    tags: p.tags ?? [],
    outputPorts: ports.map((op) => ({
      id: op.externalId,
      name: op.name,
      type: op.type,
      status: op.status,
      autoApprove: op.autoApprove,
      containsPii: op.containsPii,
      server: op.server ?? {},
      contractId: contractId(op.dataContractId),
    })),
    inputPorts: [...sources.values()]
      .sort((a, b) => a.externalId.localeCompare(b.externalId))
      .map((s) => ({ name: s.externalId, contractId: contractId(s.dataContractId) })),
  };
}

/** The organization's catalog by human ids, for the rules between documents. */
export async function loadIndex(m: EntityManager, org: string): Promise<CatalogIndex> {
  const teams = await m.find(Team, {
    where: { organizationId: org },
    select: { id: true, externalId: true, parentTeamId: true },
  });
  const byId = new Map(teams.map((t) => [t.id, t.externalId]));
  const contracts = await m.find(DataContract, {
    where: { organizationId: org },
    select: { id: true, externalId: true },
  });
  const products = await m.find(DataProduct, {
    where: { organizationId: org },
    select: { id: true, externalId: true },
  });
  const productIds = new Map(products.map((p) => [p.id, p.externalId]));
  const ports = await m.find(OutputPort, {
    where: { organizationId: org },
    select: { id: true, externalId: true, dataProductId: true },
  });
  return {
    teams: new Map(
      teams.map((t) => [t.externalId, t.parentTeamId ? (byId.get(t.parentTeamId) ?? null) : null]),
    ),
    contracts: new Set(contracts.map((c) => c.externalId)),
    products: new Set(products.map((p) => p.externalId)),
    ports: new Map(ports.map((op) => [op.externalId, productIds.get(op.dataProductId) ?? ''])),
    emails: new Set((await memberEmails(m, org)).keys()),
  };
}

/** The organization's members: e-mail (lower case) → user id. */
export async function memberEmails(m: EntityManager, org: string): Promise<Map<string, string>> {
  const rows = await m
    .createQueryBuilder(User, 'u')
    .innerJoin(Membership, 'ms', 'ms.user_id = u.id AND ms.organization_id = :org', { org })
    .select(['u.id', 'u.email'])
    .getMany();
  return new Map(rows.map((u) => [u.email.toLowerCase(), u.id]));
}

/** Team human id → row, for the teams of the organization. */
export async function teamsByExternalId(
  m: EntityManager,
  org: string,
  ids: Iterable<string>,
): Promise<Map<string, Team>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await m.find(Team, { where: { organizationId: org, externalId: In(unique) } });
  return new Map(rows.map((t) => [t.externalId, t]));
}
