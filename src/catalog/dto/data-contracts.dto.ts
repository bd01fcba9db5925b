import { z } from 'zod';
import { LOGICAL_TYPES } from 'src/catalog/data-contract-validation';
import { DATA_CONTRACT_STATUSES, OdcsDocument } from 'src/catalog/entities';

export interface GetDataContractInput {
  /** External id (the ODCS `id`) or UUID. */
  dataContractId: string;
  /** Default `json`. */
  format?: 'json' | 'yaml';
}

export const dataContractStatusSchema = z
  .enum(DATA_CONTRACT_STATUSES)
  .describe('proposed, draft, active, deprecated or retired.');

/**
 * An ODCS v3 document as stored: the header fields `validateContract` guarantees are described, and
 * every other ODCS property (description, servers, SLAs, terms, …) is allowed as it was saved.
 */
export const odcsDocumentSchema = z
  .looseObject({
    apiVersion: z.string().describe('ODCS version, e.g. "v3.1.0".'),
    kind: z.literal('DataContract').describe('Always "DataContract".'),
    id: z.string().describe('Contract id: the dataContractId of datacontract_get.'),
    version: z.string().describe('Contract version, e.g. "1.0.0".'),
    status: dataContractStatusSchema,
    team: z
      .looseObject({ name: z.string().describe('Id of the owner team (as in teams_list).') })
      .describe('The owner team.'),
    schema: z
      .array(
        z
          .looseObject({
            name: z.string().describe('Table name, as used in execute_query.'),
            properties: z
              .array(
                z
                  .looseObject({
                    name: z.string().describe('Column name.'),
                    logicalType: z
                      .enum(LOGICAL_TYPES)
                      .optional()
                      .describe('ODCS logical type of the column.'),
                  })
                  .describe(
                    'A column: name, logicalType, physicalType, classification (public, internal, restricted), description, …',
                  ),
              )
              .optional()
              .describe('The columns.'),
          })
          .describe('A table (schema object) with its columns.'),
      )
      .optional()
      .describe('The tables and columns of the data.'),
    roles: z
      .array(
        z
          .looseObject({ role: z.string().describe('Role name, as requested in request_access.') })
          .describe(
            'A role: role, access, description; customProperties restrictedColumns lists the restricted columns it covers.',
          ),
      )
      .optional()
      .describe('Roles an access request may ask for.'),
  })
  .describe(
    'An ODCS v3 data contract: header (apiVersion, kind, id, name, version, status, team, description), schema, roles, slaProperties, customProperties (e.g. prohibitedPurposes) and any other ODCS property.',
  );
export type OdcsDocumentDto = z.infer<typeof odcsDocumentSchema>;

/** A stored contract document: `save` stores only documents `validateContract` accepted. */
export const storedDocument = (doc: OdcsDocument): OdcsDocumentDto => doc as OdcsDocumentDto;

export const implementedBySchema = z.object({
  dataProductId: z.string().describe('Data product id (as in search and fetch).'),
  outputPortId: z.string().describe('Output port id of that data product.'),
});
export type ImplementedByDto = z.infer<typeof implementedBySchema>;

/** Exactly one of `dataContract` and `yaml`; an object (not a union) because MCP output schemas are objects. */
export const getDataContractResultSchema = z.object({
  dataContract: odcsDocumentSchema
    .optional()
    .describe('The contract as JSON (format json, the default); absent with format yaml.'),
  yaml: z
    .string()
    .optional()
    .describe('The contract as ODCS YAML text (format yaml); absent with format json.'),
  implementedBy: z
    .array(implementedBySchema)
    .describe('The output ports that implement the contract.'),
});
type GetDataContractFields = z.infer<typeof getDataContractResultSchema>;
/** What the service returns: the schema's fields, with exactly one of `dataContract` and `yaml`. */
export type GetDataContractResult =
  | Required<Pick<GetDataContractFields, 'dataContract' | 'implementedBy'>>
  | Required<Pick<GetDataContractFields, 'yaml' | 'implementedBy'>>;

/** Exactly one of `dataContract` and `yaml`. */
export interface SaveDataContractInput {
  dataContract?: Record<string, unknown>;
  yaml?: string;
}

export const saveDataContractResultSchema = z.object({
  id: z.string().describe('Contract id (the ODCS id).'),
  version: z.string().describe('The saved version.'),
  status: dataContractStatusSchema,
  created: z
    .boolean()
    .describe('False when this exact version was already stored (nothing changed).'),
  warnings: z
    .array(z.string())
    .describe('What the contract lacks or gets wrong without being invalid; empty when none.'),
});
export type SaveDataContractResult = z.infer<typeof saveDataContractResultSchema>;
