import {
  DATA_CONTRACT_EXAMPLE,
  DATA_PRODUCT_EXAMPLE,
  TEAM_EXAMPLE,
} from 'src/catalog/api/catalog-api.examples';
import { catalogController } from 'src/catalog/api/catalog-api.controller';

const RESOURCE_WRITERS =
  'Organization owners and admins, organization keys, and owners and editors of the owner team (RESOURCES_ADD to create, RESOURCES_EDIT to change, in both teams when the owner team changes, RESOURCES_DELETE to delete); read-only credentials never.';

/** `/api/v1/teams`: team documents (id, name, type, parent, members, description, tags, links, custom). */
export const TeamsApiController = catalogController({
  kind: 'team',
  path: 'teams',
  tag: 'catalog: teams',
  noun: 'team',
  format: 'a team document',
  example: TEAM_EXAMPLE,
  writers:
    'Organization owners and admins and organization keys only; read-only credentials never.',
  putNotes:
    'Members are given by e-mail address and must be members of the organization; the parent team must exist (no cycles).',
  deleteConflicts:
    'it owns data products or contracts, has child teams, is the provider team of access agreements or the consumer of an active one',
});

/** `/api/v1/dataproducts`: ODPS v1.0.0 data products. */
export const DataProductsApiController = catalogController({
  kind: 'dataproduct',
  path: 'dataproducts',
  tag: 'catalog: data products',
  noun: 'data product',
  format: 'an ODPS v1.0.0 document',
  example: DATA_PRODUCT_EXAMPLE,
  writers: RESOURCE_WRITERS,
  putNotes:
    'The owner team (team.name) and every output port’s contract (contractId) must exist; a PUT that drops an output port an active access agreement uses is refused (409). Products seeded without a document are shown as one built from their columns; PUT it back unchanged and nothing is written.',
  deleteConflicts:
    'an active access agreement uses one of its output ports or has it as the consumer',
});

/** `/api/v1/datacontracts`: ODCS v3.1.0 (or v3.0.x) data contracts. */
export const DataContractsApiController = catalogController({
  kind: 'datacontract',
  path: 'datacontracts',
  tag: 'catalog: data contracts',
  noun: 'data contract',
  format: 'an ODCS v3.1.0 (or v3.0.x) document',
  example: DATA_CONTRACT_EXAMPLE,
  writers: RESOURCE_WRITERS,
  putNotes:
    'Every version is kept: a new `version` adds a version, a changed document under the same `version` replaces that version’s stored copy (a PUT replaces the resource, RFC 9110 §9.3.4; the MCP tool datacontract_save instead refuses that and asks for a new version).',
  deleteConflicts:
    'output ports implement it (change or delete those products first) or an active access agreement uses such a port',
});

export const CATALOG_API_CONTROLLERS = [
  TeamsApiController,
  DataProductsApiController,
  DataContractsApiController,
];
