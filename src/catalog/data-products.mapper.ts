import { EntityManager, In } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { portAccessMessage } from 'src/catalog/access-messages';
import { isOpenOrLive, LIFECYCLE_RANK, lifecycleOf, todayUtc } from 'src/catalog/access-rules';
import { consumerScope, findScopedAgreements } from 'src/catalog/access-view';
import { mapById } from 'src/catalog/catalog-lookup';
import { OdcsDocumentDto, storedDocument } from 'src/catalog/dto/data-contracts.dto';
import type {
  DataProductSummaryDto,
  InputPortDto,
  OutputPortDto,
  OutputPortSummaryDto,
  PortAccessDto,
} from 'src/catalog/dto/data-products.dto';
import {
  AccessAgreement,
  Certification,
  DataContract,
  DataProduct,
  InputPort,
  OutputPort,
  Team,
} from 'src/catalog/entities';
import { TeamAccess } from 'src/catalog/team-permissions';

/** Maps products (with their teams, certifications and ports) to search results. */
export async function toSummaries(
  m: EntityManager,
  organizationId: string,
  products: DataProduct[],
): Promise<DataProductSummaryDto[]> {
  const teams = await mapById(
    m,
    Team,
    organizationId,
    products.map((p) => p.ownerTeamId),
  );
  const certs = await mapById(
    m,
    Certification,
    organizationId,
    products.map((p) => p.certificationId),
  );
  const ports = products.length
    ? await m.find(OutputPort, {
        where: { organizationId, dataProductId: In(products.map((p) => p.id)) },
        order: { externalId: 'ASC' },
      })
    : [];
  return products.map((p) =>
    toSummary(
      p,
      teams.get(p.ownerTeamId),
      p.certificationId ? certs.get(p.certificationId) : undefined,
      ports
        .filter((op) => op.dataProductId === p.id)
        .map((op) => ({ id: op.externalId, name: op.name, type: op.type, status: op.status })),
    ),
  );
}

/** The fields of a product that a summary shows. */
export type SummaryFields = Pick<
  DataProduct,
  'externalId' | 'name' | 'description' | 'status' | 'archetype' | 'tags'
>;

/**
 * One search result. The field order is that of the JSON answers (and of the output schema); the
 * search statement (src/catalog/search-products.ts) builds its results through here too.
 */
export function toSummary(
  p: SummaryFields,
  team: Pick<Team, 'externalId' | 'name'> | undefined,
  cert: Pick<Certification, 'name' | 'rank'> | undefined,
  outputPorts: OutputPortSummaryDto[],
): DataProductSummaryDto {
  return {
    id: p.externalId,
    name: p.name,
    description: p.description ?? {},
    status: p.status,
    archetype: p.archetype,
    ownerTeam: { id: team?.externalId ?? '', name: team?.name ?? '' },
    tags: p.tags ?? [],
    certification: cert ? { name: cert.name, rank: cert.rank } : null,
    outputPorts,
  };
}

/** The product's input ports: the upstream output ports it reads from. */
export async function toInputPorts(
  m: EntityManager,
  product: DataProduct,
): Promise<InputPortDto[]> {
  const org = product.organizationId;
  const inputs = await m.find(InputPort, {
    where: { organizationId: org, dataProductId: product.id },
  });
  const sources = await mapById(
    m,
    OutputPort,
    org,
    inputs.map((i) => i.sourceOutputPortId),
  );
  const products = await mapById(
    m,
    DataProduct,
    org,
    [...sources.values()].map((s) => s.dataProductId),
  );
  return inputs
    .map((i) => sources.get(i.sourceOutputPortId))
    .filter((s): s is OutputPort => !!s)
    .map((s) => {
      const source = products.get(s.dataProductId);
      return {
        sourceDataProductId: source?.externalId ?? '',
        sourceOutputPortId: s.externalId,
        name: source ? `${source.name} (${s.name})` : s.name,
      };
    })
    .sort((a, b) => a.sourceOutputPortId.localeCompare(b.sourceOutputPortId));
}

/** Output ports with their contract and the caller's best agreement for each. */
export async function toOutputPorts(
  m: EntityManager,
  principal: UserPrincipal,
  access: TeamAccess,
  product: DataProduct,
): Promise<OutputPortDto[]> {
  const org = product.organizationId;
  const ports = await m.find(OutputPort, {
    where: { organizationId: org, dataProductId: product.id },
    order: { externalId: 'ASC' },
  });
  const contracts = await mapById(
    m,
    DataContract,
    org,
    ports.map((p) => p.dataContractId),
  );
  const scope = await consumerScope(m, principal, access);
  const agreements = await findScopedAgreements(
    m,
    org,
    scope,
    ports.map((p) => p.id),
  );
  const names = await consumerNames(m, org, agreements);
  return ports.map((port) => ({
    id: port.externalId,
    name: port.name,
    type: port.type,
    status: port.status,
    server: port.server ?? {},
    containsPii: port.containsPii,
    autoApprove: port.autoApprove,
    access: portAccess(product, port, agreements, names),
    dataContract: contractOf(port, contracts),
  }));
}

function contractOf(
  port: OutputPort,
  contracts: Map<string, DataContract>,
): OdcsDocumentDto | null {
  const contract = port.dataContractId ? contracts.get(port.dataContractId) : undefined;
  return contract ? storedDocument(contract.document) : null;
}

function portAccess(
  product: DataProduct,
  port: OutputPort,
  agreements: AccessAgreement[],
  names: Map<string, string>,
): PortAccessDto {
  const today = todayUtc();
  const best = bestAgreement(
    agreements.filter((a) => a.providerOutputPortId === port.id),
    today,
  );
  const lifecycle = best ? lifecycleOf(best, today) : 'none';
  const requestable = product.status !== 'retired' && port.status !== 'retired';
  const canRequest = requestable && (lifecycle === 'none' || !isOpenOrLive(lifecycle));
  const consumerName =
    (best?.consumerTeamId && names.get(best.consumerTeamId)) ||
    (best?.consumerDataProductId && names.get(best.consumerDataProductId)) ||
    '';
  const dto: PortAccessDto = {
    lifecycle,
    canRequest,
    message: portAccessMessage({ product, port, best, lifecycle, consumerName, canRequest }),
  };
  if (best) {
    dto.accessId = best.id;
    dto.via = best.consumerType;
  }
  return dto;
}

/** Active beats upcoming beats pending beats ended ones; then own agreements, then the newest. */
export function bestAgreement(
  agreements: AccessAgreement[],
  today: string = todayUtc(),
): AccessAgreement | null {
  const viaRank = { user: 0, team: 1, data_product: 2 } as const;
  const sorted = [...agreements].sort(
    (a, b) =>
      LIFECYCLE_RANK[lifecycleOf(a, today)] - LIFECYCLE_RANK[lifecycleOf(b, today)] ||
      viaRank[a.consumerType] - viaRank[b.consumerType] ||
      b.createdAt.getTime() - a.createdAt.getTime(),
  );
  return sorted[0] ?? null;
}

async function consumerNames(
  m: EntityManager,
  org: string,
  agreements: AccessAgreement[],
): Promise<Map<string, string>> {
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
  return new Map([
    ...[...teams.values()].map((t) => [t.id, `${t.name} (${t.externalId})`] as const),
    ...[...products.values()].map((p) => [p.id, `${p.name} (${p.externalId})`] as const),
  ]);
}
