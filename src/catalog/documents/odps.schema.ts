import { z } from 'zod';
import { DATA_PRODUCT_STATUSES } from 'src/catalog/entities';
import {
  authoritativeDefinitionsSchema,
  customPropertiesSchema,
  descriptionSchema,
  supportChannelSchema,
  tagsSchema,
  teamBlockSchema,
} from 'src/catalog/documents/bitol.schema';
import { idSchema, oneOf, versionText } from 'src/catalog/documents/document-problems';

/**
 * Our schema of an ODPS v1.0.0 data product, written from the standard's field descriptions
 * ("Fundamentals", "Product information", "Management Ports", "Support and Communication
 * Channels", "Team", "Ancillary Objects", "Other Properties"). Every object is loose: fields the
 * standard does not define are kept. Where the standard's field table and its JSON schema disagree
 * (a port's `version`, an input port's `contractId`), the field is optional here and the reader
 * warns when it is missing.
 */

export const ODPS_API_VERSIONS = ['v1.0.0'] as const;

const definitions = authoritativeDefinitionsSchema('uri');

const inputPortSchema = z.looseObject({
  name: z.string().min(1),
  version: versionText().optional(),
  contractId: z.string().min(1).optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: definitions.optional(),
});

/** ODPS v1.0.0 SBOM: `type` is `external` (the default and only value), `url` a URI. */
const sbomSchema = z.looseObject({
  type: z.literal('external').optional(),
  url: z.url(),
});

const inputContractSchema = z.looseObject({ id: z.string().min(1), version: versionText() });

const outputPortSchema = z.looseObject({
  name: idSchema,
  description: z.string().optional(),
  type: z.string().optional(),
  version: versionText().optional(),
  contractId: z.string().min(1).optional(),
  sbom: z.array(sbomSchema).optional(),
  inputContracts: z.array(inputContractSchema).optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: definitions.optional(),
});

/** `content` and `type` list their values as examples (ODPS v1.0.0 "Management Ports"). */
const managementPortSchema = z.looseObject({
  name: z.string().min(1),
  content: z.string().min(1),
  type: z.string().optional(),
  url: z.url().optional(),
  channel: z.string().optional(),
  description: z.string().optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: definitions.optional(),
});

export const odpsSchema = z.looseObject({
  apiVersion: oneOf(ODPS_API_VERSIONS),
  kind: z.literal('DataProduct'),
  id: idSchema,
  name: z.string().min(1).optional(),
  version: versionText().optional(),
  status: oneOf(DATA_PRODUCT_STATUSES),
  domain: z.string().optional(),
  tenant: z.string().optional(),
  authoritativeDefinitions: definitions.optional(),
  description: descriptionSchema('uri').optional(),
  customProperties: customPropertiesSchema.optional(),
  tags: tagsSchema.optional(),
  inputPorts: z.array(inputPortSchema).optional(),
  outputPorts: z.array(outputPortSchema).optional(),
  managementPorts: z.array(managementPortSchema).optional(),
  support: z.array(supportChannelSchema('odps')).optional(),
  team: teamBlockSchema('uri').optional(),
  productCreatedTs: z.iso.datetime({ offset: true }).optional(),
});
export type OdpsDocument = z.infer<typeof odpsSchema>;
