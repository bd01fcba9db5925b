import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { stringify } from 'yaml';
import type { UserPrincipal } from 'src/auth/principal';
import { isUniqueViolation } from 'src/common/errors/database-errors';
import { conflict, forbidden, invalidArgument } from 'src/common/errors/domain-error';
import { oneOf } from 'src/catalog/access-rules';
import {
  findContract,
  loadTeamAccess,
  mapById,
  notFoundError,
  requireRef,
} from 'src/catalog/catalog-lookup';
import {
  canonicalJson,
  ContractHeader,
  parseContractInput,
  validateContract,
} from 'src/catalog/data-contract-validation';
import {
  GetDataContractInput,
  GetDataContractResult,
  SaveDataContractInput,
  SaveDataContractResult,
  storedDocument,
} from 'src/catalog/dto/data-contracts.dto';
import {
  DataContract,
  DataContractVersion,
  DataProduct,
  OdcsDocument,
  OutputPort,
  Team,
} from 'src/catalog/entities';
import { TeamAccess, TeamPermission } from 'src/catalog/team-permissions';

@Injectable()
export class DataContractsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A contract as JSON or YAML, with the output ports that implement it. */
  async get(principal: UserPrincipal, input: GetDataContractInput): Promise<GetDataContractResult> {
    const m = this.dataSource.manager;
    const org = principal.organizationId;
    const ref = requireRef(input.dataContractId, 'dataContractId');
    const format = oneOf(input.format ?? 'json', ['json', 'yaml'] as const, 'format');
    const contract = await findContract(m, org, ref);
    if (!contract) {
      throw notFoundError(
        `Data contract "${ref}" not found. Call fetch on a data product: each output port shows its contract.`,
      );
    }
    const ports = await m.find(OutputPort, {
      where: { organizationId: org, dataContractId: contract.id },
      order: { externalId: 'ASC' },
    });
    const products = await mapById(
      m,
      DataProduct,
      org,
      ports.map((p) => p.dataProductId),
    );
    const implementedBy = ports.map((p) => ({
      dataProductId: products.get(p.dataProductId)?.externalId ?? '',
      outputPortId: p.externalId,
    }));
    return format === 'yaml'
      ? { yaml: stringify(contract.document), implementedBy }
      : { dataContract: storedDocument(contract.document), implementedBy };
  }

  /**
   * Creates a contract or stores a new version of it (the ODCS `id` names the contract). Saving the
   * same version again is a no-op when the document is identical, a conflict otherwise.
   */
  async save(
    principal: UserPrincipal,
    input: SaveDataContractInput,
  ): Promise<SaveDataContractResult> {
    const doc = parseContractInput(input);
    const validation = validateContract(doc);
    if (!validation.ok) {
      throw invalidArgument(`The data contract is invalid: ${validation.errors.join('; ')}`, {
        errors: validation.errors,
      });
    }
    const { header, warnings } = validation;
    try {
      return await this.dataSource.transaction(async (tx) => {
        const created = await this.saveIn(tx, principal, header, doc);
        return { id: header.id, version: header.version, status: header.status, created, warnings };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict(
          `Data contract ${header.id} was saved concurrently: call datacontract_get and retry`,
        );
      }
      throw err;
    }
  }

  /** Returns true when something new was stored. */
  private async saveIn(
    tx: EntityManager,
    principal: UserPrincipal,
    header: ContractHeader,
    doc: OdcsDocument,
  ): Promise<boolean> {
    const org = principal.organizationId;
    const access = await loadTeamAccess(tx, principal);
    const owner = await tx.findOne(Team, {
      where: { organizationId: org, externalId: header.teamName },
    });
    if (!owner) {
      throw invalidArgument(
        `team.name "${header.teamName}" is not a team of this organization: use a team id from teams_list`,
      );
    }
    const existing = await tx
      .createQueryBuilder(DataContract, 'c')
      .setLock('pessimistic_write')
      .where('c.organization_id = :org AND c.external_id = :id', { org, id: header.id })
      .getOne();
    if (!existing) {
      assertCan(access, owner, TeamPermission.ResourcesAdd, 'create data contracts');
      const contract = await tx.save(
        tx.create(DataContract, {
          organizationId: org,
          externalId: header.id,
          version: header.version,
          status: header.status,
          ownerTeamId: owner.id,
          document: doc,
        }),
      );
      await this.insertVersion(tx, contract, header.version, doc, principal.userId);
      return true;
    }
    const currentOwner = await tx.findOneOrFail(Team, {
      where: { id: existing.ownerTeamId, organizationId: org },
    });
    assertCan(access, currentOwner, TeamPermission.ResourcesEdit, 'edit its data contracts');
    if (owner.id !== currentOwner.id) {
      assertCan(access, owner, TeamPermission.ResourcesEdit, 'move data contracts to it');
    }
    await this.backfillCurrentVersion(tx, existing);
    const sameVersion = await tx.findOne(DataContractVersion, {
      where: { organizationId: org, dataContractId: existing.id, version: header.version },
    });
    if (sameVersion) {
      if (canonicalJson(sameVersion.document) === canonicalJson(doc)) return false;
      throw conflict(
        `Version ${header.version} of data contract ${header.id} already exists with different content: increase the version (e.g. a new patch or minor version) and save again`,
      );
    }
    await this.insertVersion(tx, existing, header.version, doc, principal.userId);
    Object.assign(existing, {
      version: header.version,
      status: header.status,
      ownerTeamId: owner.id,
      document: doc,
    });
    await tx.save(existing);
    return true;
  }

  /** Contracts seeded or created before versioning may lack their current version's row. */
  private async backfillCurrentVersion(tx: EntityManager, contract: DataContract): Promise<void> {
    const row = await tx.findOne(DataContractVersion, {
      where: {
        organizationId: contract.organizationId,
        dataContractId: contract.id,
        version: contract.version,
      },
    });
    if (!row) await this.insertVersion(tx, contract, contract.version, contract.document, null);
  }

  private async insertVersion(
    tx: EntityManager,
    contract: DataContract,
    version: string,
    document: OdcsDocument,
    createdBy: string | null,
  ): Promise<void> {
    await tx.save(
      tx.create(DataContractVersion, {
        organizationId: contract.organizationId,
        dataContractId: contract.id,
        version,
        document,
        createdBy,
      }),
    );
  }
}

function assertCan(access: TeamAccess, team: Team, permission: TeamPermission, what: string): void {
  if (!access.can(team.id, permission)) {
    throw forbidden(
      `You need ${permission} in team "${team.externalId}" to ${what} (${permission === TeamPermission.ResourcesAdd ? 'Owner or Editor' : 'Owner, Approver, Editor or Steward'}): ask an owner of the team`,
    );
  }
}
