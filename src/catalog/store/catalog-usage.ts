import { Brackets, EntityManager, In } from 'typeorm';
import { lifecycleOf } from 'src/catalog/access-rules';
import { mapById } from 'src/catalog/catalog-lookup';
import { AccessAgreement, DataContract, DataProduct, OutputPort, Team } from 'src/catalog/entities';
import { User } from 'src/users/user.entity';

/**
 * Why a delete must not happen: what still uses the thing (active access agreements, products and
 * contracts a team owns, its child teams, ports implementing a contract). Each reason is one line
 * naming the agreement and its consumer, or the product, contract or team.
 */

/** Rows deleted in the same change: what they hold does not stop the delete. */
export interface DeletedTogether {
  products: Set<string>;
  contracts: Set<string>;
  teams: Set<string>;
}

export const nothingElseDeleted = (): DeletedTogether => ({
  products: new Set(),
  contracts: new Set(),
  teams: new Set(),
});

interface AgreementFilter {
  portIds?: string[];
  consumerProductIds?: string[];
  consumerTeamIds?: string[];
}

/** Active agreements (DOMAIN lifecycle `active`) on the ports or with the consumers, described. */
export async function activeAgreements(
  m: EntityManager,
  org: string,
  filter: AgreementFilter,
): Promise<string[]> {
  const clauses: Array<[string, string[] | undefined]> = [
    ['a.provider_output_port_id IN (:...ports)', filter.portIds],
    ['a.consumer_data_product_id IN (:...products)', filter.consumerProductIds],
    ['a.consumer_team_id IN (:...teams)', filter.consumerTeamIds],
  ];
  const used = clauses.filter(([, ids]) => ids && ids.length > 0);
  if (used.length === 0) return [];
  const rows = await m
    .createQueryBuilder(AccessAgreement, 'a')
    .where('a.organization_id = :org AND a.status = :status', { org, status: 'approved' })
    .andWhere(
      new Brackets((w) => {
        for (const [sql] of used) w.orWhere(sql);
      }),
      {
        ports: filter.portIds ?? [],
        products: filter.consumerProductIds ?? [],
        teams: filter.consumerTeamIds ?? [],
      },
    )
    .orderBy('a.created_at', 'ASC')
    .getMany();
  const active = rows.filter((a) => lifecycleOf(a) === 'active');
  return describeAgreements(m, org, active);
}

async function describeAgreements(
  m: EntityManager,
  org: string,
  agreements: AccessAgreement[],
): Promise<string[]> {
  if (agreements.length === 0) return [];
  const ports = await mapById(
    m,
    OutputPort,
    org,
    agreements.map((a) => a.providerOutputPortId),
  );
  const teams = await mapById(
    m,
    Team,
    org,
    agreements.map((a) => a.consumerTeamId),
  );
  const products = await mapById(
    m,
    DataProduct,
    org,
    agreements.map((a) => a.consumerDataProductId),
  );
  const userIds = agreements.map((a) => a.consumerUserId).filter((id): id is string => !!id);
  const users = new Map(
    (userIds.length ? await m.find(User, { where: { id: In(userIds) } }) : []).map((u) => [
      u.id,
      u,
    ]),
  );
  return agreements.map((a) => {
    const consumer =
      a.consumerType === 'user'
        ? `user ${users.get(a.consumerUserId ?? '')?.email ?? a.consumerUserId}`
        : a.consumerType === 'team'
          ? `team ${teams.get(a.consumerTeamId ?? '')?.externalId ?? a.consumerTeamId}`
          : `data product ${products.get(a.consumerDataProductId ?? '')?.externalId ?? a.consumerDataProductId}`;
    const port = ports.get(a.providerOutputPortId)?.externalId ?? a.providerOutputPortId;
    return `active access agreement ${a.id} of ${consumer} on output port ${port}`;
  });
}

/** What stops deleting output ports (a product's, or those a PUT drops). */
export async function portsInUse(
  m: EntityManager,
  org: string,
  ports: OutputPort[],
): Promise<string[]> {
  return activeAgreements(m, org, { portIds: ports.map((p) => p.id) });
}

/** What stops deleting a product: active agreements on its ports or with it as the consumer. */
export async function productInUse(
  m: EntityManager,
  org: string,
  product: DataProduct,
): Promise<string[]> {
  const ports = await m.find(OutputPort, {
    where: { organizationId: org, dataProductId: product.id },
  });
  return activeAgreements(m, org, {
    portIds: ports.map((p) => p.id),
    consumerProductIds: [product.id],
  });
}

/**
 * What stops deleting a contract: active agreements on ports implementing it, and (`structural`,
 * a single delete) the ports themselves; an import checks the ports through its own rules.
 */
export async function contractInUse(
  m: EntityManager,
  org: string,
  contract: DataContract,
  together: DeletedTogether,
  structural = true,
): Promise<string[]> {
  const ports = await m.find(OutputPort, {
    where: { organizationId: org, dataContractId: contract.id },
  });
  const agreements = await activeAgreements(m, org, { portIds: ports.map((p) => p.id) });
  const products = await mapById(
    m,
    DataProduct,
    org,
    ports.map((p) => p.dataProductId),
  );
  const implementing = ports
    .filter((p) => structural && !together.products.has(p.dataProductId))
    .map(
      (p) =>
        `output port ${p.externalId} of data product ${products.get(p.dataProductId)?.externalId ?? ''} implements it`,
    );
  return [...agreements, ...implementing];
}

/**
 * What stops deleting a team: agreements it is party to, and (`structural`, a single delete) the
 * products, contracts and child teams it has; an import checks those through its own rules.
 */
export async function teamInUse(
  m: EntityManager,
  org: string,
  team: Team,
  together: DeletedTogether,
  structural = true,
): Promise<string[]> {
  const owned = { organizationId: org, ownerTeamId: team.id };
  const products = structural ? await m.find(DataProduct, { where: owned }) : [];
  const contracts = structural ? await m.find(DataContract, { where: owned }) : [];
  const children = structural
    ? await m.find(Team, { where: { organizationId: org, parentTeamId: team.id } })
    : [];
  // The provider team of an agreement is kept (no cascade); agreements of deleted products go with them.
  const provided = await m.find(AccessAgreement, {
    where: { organizationId: org, providerTeamId: team.id },
  });
  const reasons = [
    ...products
      .filter((p) => !together.products.has(p.id))
      .map((p) => `it owns data product ${p.externalId}`),
    ...contracts
      .filter((c) => !together.contracts.has(c.id))
      .map((c) => `it owns data contract ${c.externalId}`),
    ...children
      .filter((c) => !together.teams.has(c.id))
      .map((c) => `team ${c.externalId} is its child`),
    ...provided
      .filter((a) => !together.products.has(a.providerDataProductId))
      .map((a) => `it is the provider team of access agreement ${a.id}`),
  ];
  return [...reasons, ...(await activeAgreements(m, org, { consumerTeamIds: [team.id] }))];
}
