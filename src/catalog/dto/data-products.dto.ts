import { z } from 'zod';
import { ACCESS_LIFECYCLES } from 'src/catalog/dto/access.dto';
import { odcsDocumentSchema } from 'src/catalog/dto/data-contracts.dto';
import { nextCursorSchema } from 'src/catalog/dto/pagination.dto';
import { CONSUMER_TYPES, DATA_PRODUCT_STATUSES, OUTPUT_PORT_STATUSES } from 'src/catalog/entities';

export interface SearchDataProductsInput {
  /** Words matched (all of them, case-insensitively) against id, name, description, tags and port ids; `"*"` = all. */
  query: string;
  /** Owner team (external id or UUID); includes its sub-teams. */
  teamId?: string;
  /** Default `active`; `"*"` = every status. */
  status?: string;
  tag?: string;
  /** Default 20, at most 100. */
  limit?: number;
  cursor?: string;
}

/*
 * Results are zod schemas: the MCP tools advertise them as `outputSchema` and parse their results
 * through them, and the TypeScript types below are inferred from them, so the three cannot drift.
 */

export const teamRefSchema = z.object({
  id: z.string().describe('Team id, e.g. "checkout" (as in teams_list).'),
  name: z.string().describe('Team name.'),
});
export type TeamRefDto = z.infer<typeof teamRefSchema>;

export const certificationSchema = z.object({
  name: z.string().describe('Certification level, e.g. Gold, Silver or Bronze.'),
  rank: z.number().int().describe('1 = best.'),
});
export type CertificationDto = z.infer<typeof certificationSchema>;

export const dataProductDescriptionSchema = z.object({
  purpose: z.string().optional().describe('What the data product is for.'),
  usage: z.string().optional().describe('How to use it.'),
  limitations: z.string().optional().describe('What it cannot be used for, freshness, caveats.'),
});

export const outputPortSummarySchema = z.object({
  id: z
    .string()
    .describe('Output port id: the outputPortId of fetch, request_access, execute_query.'),
  name: z.string().describe('Output port name.'),
  type: z.string().describe('Kind of port, e.g. postgres, snowflake, bigquery, s3.'),
  status: z.enum(OUTPUT_PORT_STATUSES).describe('proposed, active, deprecated or retired.'),
});
export type OutputPortSummaryDto = z.infer<typeof outputPortSummarySchema>;

const summaryFields = {
  id: z.string().describe('Data product id: the dataProductId of the other tools.'),
  name: z.string().describe('Data product name.'),
  description: dataProductDescriptionSchema.describe('Purpose, usage and limitations.'),
  status: z.enum(DATA_PRODUCT_STATUSES).describe('proposed, draft, active, deprecated or retired.'),
  archetype: z
    .string()
    .nullable()
    .describe('e.g. source-aligned, aggregate or consumer-aligned; null when not set.'),
  ownerTeam: teamRefSchema.describe('The team that owns the data product.'),
  tags: z.array(z.string()).describe('Tags (search filters by tag).'),
  certification: certificationSchema
    .nullable()
    .describe('Quality certification; null when not certified.'),
};

export const dataProductSummarySchema = z.object({
  ...summaryFields,
  outputPorts: z.array(outputPortSummarySchema).describe('Output ports, by id.'),
});
export type DataProductSummaryDto = z.infer<typeof dataProductSummarySchema>;

export const searchDataProductsResultSchema = z.object({
  results: z
    .array(dataProductSummarySchema)
    .describe('Matching data products, best certification first, then by name.'),
  nextCursor: nextCursorSchema,
});
export type SearchDataProductsResult = z.infer<typeof searchDataProductsResultSchema>;

export interface FetchDataProductInput {
  dataProductId: string;
}

export const portAccessSchema = z.object({
  lifecycle: z
    .enum([...ACCESS_LIFECYCLES, 'none'])
    .describe(
      'Your best agreement for the port: active (execute_query works), upcoming, requested (pending), expired, rejected, canceled, or none.',
    ),
  accessId: z
    .string()
    .optional()
    .describe('Id (UUID) of the agreement the lifecycle comes from; absent with none.'),
  via: z
    .enum(CONSUMER_TYPES)
    .optional()
    .describe(
      'How you hold that agreement: as a user, through a team, or through a data_product of your team; absent with none.',
    ),
  canRequest: z
    .boolean()
    .describe(
      'True when a request_access call makes sense (no active, upcoming or pending agreement).',
    ),
  message: z.string().describe('What your access is and which tool to call next.'),
});
export type PortAccessDto = z.infer<typeof portAccessSchema>;

export const outputPortSchema = outputPortSummarySchema.extend({
  server: z
    .record(z.string(), z.unknown())
    .describe(
      'Where the data lives: server, type, host, database, schema, … (empty when unknown).',
    ),
  containsPii: z.boolean().describe('Whether the port contains personal data.'),
  autoApprove: z.boolean().describe('Whether access requests are approved automatically.'),
  access: portAccessSchema.describe('Your access to the port.'),
  dataContract: odcsDocumentSchema
    .nullable()
    .describe("The port's ODCS data contract, inlined; null when the port has none."),
});
export type OutputPortDto = z.infer<typeof outputPortSchema>;

export const inputPortSchema = z.object({
  sourceDataProductId: z.string().describe('The upstream data product id.'),
  sourceOutputPortId: z.string().describe('The upstream output port id.'),
  name: z.string().describe('Upstream data product and port name.'),
});
export type InputPortDto = z.infer<typeof inputPortSchema>;

export const dataProductSchema = z.object({
  ...summaryFields,
  inputPorts: z
    .array(inputPortSchema)
    .describe('The upstream output ports this data product reads from.'),
  outputPorts: z
    .array(outputPortSchema)
    .describe('Output ports with server, data contract and your access, by id.'),
});
export type DataProductDto = z.infer<typeof dataProductSchema>;
