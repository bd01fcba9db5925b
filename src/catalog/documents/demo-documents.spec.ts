import type { DataProductModel, TeamModel } from 'src/catalog/documents/catalog-model';
import { readDataContract } from 'src/catalog/documents/data-contract.document';
import {
  productDocumentFromModel,
  readDataProduct,
} from 'src/catalog/documents/data-product.document';
import { readTeam, teamDocumentFromModel } from 'src/catalog/documents/team.document';
import { DEMO_PRODUCTS, DEMO_TEAMS } from 'src/catalog/demo/demo-data';
import { toOdcsDocument } from 'src/catalog/demo/demo-model';

/** The demo seed's catalog, as documents: it must pass our own schemas unchanged. */
describe('the demo catalog as documents', () => {
  const ports = DEMO_PRODUCTS.flatMap((p) => p.outputPorts.map((port) => ({ product: p, port })));

  it.each(ports.map(({ product, port }) => [port.contract.externalId, product.ownerTeam, port]))(
    'should accept the contract %s',
    (id, owner, port) => {
      const result = readDataContract(toOdcsDocument(port.contract, owner), id);
      expect(result).toMatchObject({ ok: true, model: { id, ownerTeamId: owner }, warnings: [] });
    },
  );

  it.each(DEMO_PRODUCTS.map((p) => [p.externalId, p]))(
    'should write the product %s as ODPS v1.0.0 and read it back',
    (_id, p) => {
      const model: DataProductModel = {
        id: p.externalId,
        name: p.name,
        status: p.status,
        archetype: p.archetype,
        certification: p.certification ?? null,
        description: p.description,
        ownerTeamId: p.ownerTeam,
        tags: p.tags,
        outputPorts: p.outputPorts.map((port) => ({
          id: port.externalId,
          name: port.name,
          type: port.type,
          status: 'active',
          autoApprove: port.autoApprove,
          containsPii: port.containsPii,
          server: port.server,
          contractId: port.contract.externalId,
        })),
        inputPorts: p.inputPorts.map((source) => ({ name: source, contractId: null })),
      };
      const result = readDataProduct(productDocumentFromModel(model), p.externalId);
      expect(result.ok && result.model).toEqual(model);
    },
  );

  it.each(DEMO_TEAMS.map((t) => [`${t.organization}/${t.externalId}`, t]))(
    'should write the team %s and read it back',
    (_id, t) => {
      const model: TeamModel = {
        id: t.externalId,
        name: t.name,
        type: t.type,
        parentId: t.parent ?? null,
        members: t.members,
      };
      expect(readTeam(teamDocumentFromModel(model))).toEqual({ ok: true, model, warnings: [] });
    },
  );
});
