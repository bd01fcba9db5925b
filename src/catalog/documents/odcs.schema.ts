import { z } from 'zod';
import { DATA_CONTRACT_STATUSES } from 'src/catalog/entities';
import {
  authoritativeDefinitionsSchema,
  customPropertiesSchema,
  descriptionSchema,
  stableIdSchema,
  supportChannelSchema,
  tagsSchema,
  teamBlockSchema,
  teamMemberSchema,
} from 'src/catalog/documents/bitol.schema';
import { idSchema, oneOf, REQUIRED } from 'src/catalog/documents/document-problems';
import { schemaObjectSchema } from 'src/catalog/documents/odcs-schema-objects';
import { serverSchema, roleSchema } from 'src/catalog/documents/odcs-servers';

/**
 * Our schema of an ODCS v3.1.0 data contract (also v3.0.0 – v3.0.2), written from the standard's
 * documented fields: "Fundamentals", "Schema", "Data quality", "Support and communication
 * channels", "Pricing", "Team", "Roles", "Service-level agreement", "Infrastructure and servers",
 * "Custom and other properties". Every object is loose: fields the standard does not define are
 * kept. ODCS v3.0.x writes `team` as a list of members; v3.1.0 as an object with `name` and
 * `members` (the list is deprecated there but still valid), so both forms are accepted.
 */

export const ODCS_API_VERSIONS = ['v3.1.0', 'v3.0.2', 'v3.0.1', 'v3.0.0'] as const;
export const API_VERSION_MESSAGE = `must be an ODCS v3 version such as "v3.1.0" (one of ${ODCS_API_VERSIONS.join(', ')})`;
export const VERSION_MESSAGE = 'must be a non-empty string such as "1.0.0"';

const definitions = authoritativeDefinitionsSchema('text');

/** ODCS v3.1.0 Pricing. */
const priceSchema = z.looseObject({
  id: stableIdSchema.optional(),
  priceAmount: z.number().optional(),
  priceCurrency: z.string().optional(),
  priceUnit: z.string().optional(),
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: (iss) =>
    iss.input === undefined ? REQUIRED : 'must be text, a number, true or false, or null',
});

/** ODCS v3.1.0 "Service-level agreement" property. */
const slaPropertySchema = z.looseObject({
  id: stableIdSchema.optional(),
  property: z.string().min(1),
  value: scalar,
  valueExt: scalar.optional(),
  unit: z.string().optional(),
  element: z.string().optional(),
  driver: z.string().optional(),
  description: z.string().optional(),
  scheduler: z.string().optional(),
  schedule: z.string().optional(),
});

const teamSchema = z.union([teamBlockSchema('text'), z.array(teamMemberSchema('text'))], {
  error: 'must be an object with a name and members (ODCS v3.1.0) or a list of members (v3.0.x)',
});

export const odcsSchema = z.looseObject({
  apiVersion: z.enum(ODCS_API_VERSIONS, { error: API_VERSION_MESSAGE }),
  kind: z.literal('DataContract', { error: 'must be "DataContract"' }),
  id: idSchema,
  version: z
    .string({ error: VERSION_MESSAGE })
    .max(64, { error: VERSION_MESSAGE })
    .refine((v) => v.trim() !== '', { error: VERSION_MESSAGE }),
  status: oneOf(DATA_CONTRACT_STATUSES),
  name: z.string().optional(),
  tenant: z.string().optional(),
  tags: tagsSchema.optional(),
  servers: z.array(serverSchema).optional(),
  /** Deprecated in ODCS v3.1.0. */
  dataProduct: z.string().optional(),
  description: descriptionSchema('text').optional(),
  domain: z.string().optional(),
  schema: z.array(schemaObjectSchema).optional(),
  support: z.array(supportChannelSchema('odcs')).optional(),
  price: priceSchema.optional(),
  team: teamSchema.optional(),
  roles: z.array(roleSchema).optional(),
  /** Deprecated in ODCS v3.1.0. */
  slaDefaultElement: z.string().optional(),
  slaProperties: z.array(slaPropertySchema).optional(),
  authoritativeDefinitions: definitions.optional(),
  customProperties: customPropertiesSchema.optional(),
  contractCreatedTs: z.iso.datetime({ offset: true }).optional(),
});
export type OdcsContract = z.infer<typeof odcsSchema>;
