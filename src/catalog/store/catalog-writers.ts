import { EntityManager, In, Not } from 'typeorm';
import type {
  DataContractModel,
  DataProductModel,
  TeamModel,
} from 'src/catalog/documents/catalog-model';
import {
  Certification,
  DataContract,
  DataContractStatus,
  DataContractVersion,
  DataProduct,
  DataProductStatus,
  InputPort,
  OutputPort,
  OutputPortStatus,
  Team,
  TeamMember,
  TeamRole,
  TeamType,
} from 'src/catalog/entities';
import { memberEmails } from 'src/catalog/store/catalog-rows';

type Body = Record<string, unknown>;

/** Ranks of the certifications we know (1 = best); any other name ranks 100. */
const CERTIFICATION_RANKS: Readonly<Record<string, number>> = { gold: 1, silver: 2, bronze: 3 };

async function teamId(m: EntityManager, org: string, externalId: string): Promise<string> {
  const team = await m.findOneOrFail(Team, { where: { organizationId: org, externalId } });
  return team.id;
}

/** Writes a team and its members from the document (the parent must exist already). */
export async function writeTeam(
  m: EntityManager,
  org: string,
  model: TeamModel,
  body: Body,
  existing: Team | null,
): Promise<Team> {
  const team = existing ?? m.create(Team, { organizationId: org, externalId: model.id });
  Object.assign(team, {
    name: model.name,
    type: model.type as TeamType,
    parentTeamId: model.parentId ? await teamId(m, org, model.parentId) : null,
    document: body,
  });
  const saved = await m.save(team);
  const users = await memberEmails(m, org);
  await m.delete(TeamMember, { organizationId: org, teamId: saved.id });
  const rows = new Map<string, TeamRole>();
  for (const member of model.members) {
    const userId = users.get(member.email.toLowerCase());
    if (userId) rows.set(userId, member.role as TeamRole);
  }
  if (rows.size > 0) {
    await m.insert(
      TeamMember,
      [...rows].map(([userId, role]) => ({ organizationId: org, teamId: saved.id, userId, role })),
    );
  }
  return saved;
}

/**
 * Writes a contract and keeps a version row per version: a new version adds one, a changed document
 * under the same version replaces that version's copy (PUT replaces the resource, RFC 9110 §9.3.4).
 */
export async function writeContract(
  m: EntityManager,
  org: string,
  model: DataContractModel,
  body: Body,
  existing: DataContract | null,
  actorUserId: string | null,
): Promise<DataContract> {
  const contract =
    existing ?? m.create(DataContract, { organizationId: org, externalId: model.id });
  Object.assign(contract, {
    version: model.version,
    status: model.status as DataContractStatus,
    ownerTeamId: await teamId(m, org, model.ownerTeamId),
    document: body,
  });
  const saved = await m.save(contract);
  const version = await m.findOne(DataContractVersion, {
    where: { organizationId: org, dataContractId: saved.id, version: model.version },
  });
  if (version) {
    version.document = body;
    await m.save(version);
  } else {
    await m.save(
      m.create(DataContractVersion, {
        organizationId: org,
        dataContractId: saved.id,
        version: model.version,
        document: body,
        createdBy: actorUserId,
      }),
    );
  }
  return saved;
}

async function certificationId(
  m: EntityManager,
  org: string,
  name: string | null,
): Promise<string | null> {
  if (!name) return null;
  const all = await m.find(Certification, { where: { organizationId: org } });
  const found = all.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found) return found.id;
  const rank = CERTIFICATION_RANKS[name.toLowerCase()] ?? 100;
  const created = await m.save(m.create(Certification, { organizationId: org, name, rank }));
  return created.id;
}

/** Writes a product and its output ports (ports it no longer lists are deleted). */
export async function writeProduct(
  m: EntityManager,
  org: string,
  model: DataProductModel,
  body: Body,
  existing: DataProduct | null,
): Promise<DataProduct> {
  const product = existing ?? m.create(DataProduct, { organizationId: org, externalId: model.id });
  Object.assign(product, {
    name: model.name,
    status: model.status as DataProductStatus,
    archetype: model.archetype,
    description: model.description,
    ownerTeamId: await teamId(m, org, model.ownerTeamId),
    certificationId: await certificationId(m, org, model.certification),
    tags: model.tags,
    document: body,
  });
  const saved = await m.save(product);
  const keep = model.outputPorts.map((p) => p.id);
  await m.delete(OutputPort, {
    organizationId: org,
    dataProductId: saved.id,
    ...(keep.length ? { externalId: Not(In(keep)) } : {}),
  });
  for (const port of model.outputPorts) {
    // Port ids are unique in the organization: a port named by another product moves here.
    const row =
      (await m.findOne(OutputPort, { where: { organizationId: org, externalId: port.id } })) ??
      m.create(OutputPort, { organizationId: org, externalId: port.id });
    const contract = port.contractId
      ? await m.findOne(DataContract, {
          where: { organizationId: org, externalId: port.contractId },
        })
      : null;
    Object.assign(row, {
      dataProductId: saved.id,
      name: port.name,
      type: port.type,
      server: port.server,
      status: port.status as OutputPortStatus,
      autoApprove: port.autoApprove,
      containsPii: port.containsPii,
      dataContractId: contract?.id ?? null,
    });
    await m.save(row);
  }
  return saved;
}

/** The contract ids of a stored ODPS document's input ports. */
function inputContractIds(document: Body | null): string[] {
  const ports = document?.inputPorts;
  if (!Array.isArray(ports)) return [];
  return ports
    .map((p) => (p && typeof p === 'object' ? (p as Body).contractId : undefined))
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

/**
 * Lineage of every product stored with a document: an input port links to the output ports that
 * implement the contract it consumes (ODPS v1.0.0 inputPorts[].contractId), so a product that
 * appears later links its consumers. Products without a document (demo seed) keep their rows.
 */
export async function relinkInputs(m: EntityManager, org: string): Promise<void> {
  const products = await m.find(DataProduct, {
    where: { organizationId: org },
    select: { id: true, document: true },
  });
  const withDocument = products.filter((p) => p.document !== null);
  if (withDocument.length === 0) return;
  const contracts = await m.find(DataContract, {
    where: { organizationId: org },
    select: { id: true, externalId: true },
  });
  const contractIds = new Map(contracts.map((c) => [c.externalId, c.id]));
  const ports = await m.find(OutputPort, {
    where: { organizationId: org },
    select: { id: true, dataProductId: true, dataContractId: true },
  });
  const inputs = await m.find(InputPort, { where: { organizationId: org } });
  for (const p of withDocument) {
    const wanted = new Set(
      inputContractIds(p.document)
        .map((c) => contractIds.get(c))
        .flatMap((cid) =>
          ports.filter((op) => op.dataContractId === cid && op.dataProductId !== p.id),
        )
        .map((op) => op.id),
    );
    const current = inputs.filter((i) => i.dataProductId === p.id);
    const stale = current.filter((i) => !wanted.has(i.sourceOutputPortId)).map((i) => i.id);
    if (stale.length) await m.delete(InputPort, { id: In(stale) });
    const have = new Set(current.map((i) => i.sourceOutputPortId));
    const missing = [...wanted].filter((id) => !have.has(id));
    if (missing.length) {
      await m.insert(
        InputPort,
        missing.map((sourceOutputPortId) => ({
          organizationId: org,
          dataProductId: p.id,
          sourceOutputPortId,
        })),
      );
    }
  }
}
