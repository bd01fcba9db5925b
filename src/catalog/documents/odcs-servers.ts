import { z } from 'zod';
import { customPropertiesSchema, stableIdSchema } from 'src/catalog/documents/bitol.schema';
import { integer, REQUIRED } from 'src/catalog/documents/document-problems';

/**
 * ODCS v3.1.0 "Infrastructure and servers": each server names its `server` and `type`; the type
 * decides which location fields are required (ODCS v3.1.0 server types). The location fields are
 * typed once here, so a port's `server` custom property (ODPS) is checked the same way.
 */

/** ODCS v3.1.0 server types and the fields each one requires. */
export const SERVER_REQUIRED_FIELDS = {
  api: ['location'],
  athena: ['stagingDir', 'schema'],
  azure: ['location', 'format'],
  bigquery: ['project', 'dataset'],
  clickhouse: ['host', 'port', 'database'],
  databricks: ['catalog', 'schema'],
  denodo: ['host', 'port'],
  dremio: ['host', 'port'],
  duckdb: ['database'],
  glue: ['account', 'database'],
  cloudsql: ['host', 'port', 'database', 'schema'],
  db2: ['host', 'port', 'database'],
  hive: ['host', 'database'],
  impala: ['host', 'database'],
  informix: ['host', 'database'],
  kafka: ['host'],
  kinesis: [],
  local: ['path', 'format'],
  mysql: ['host', 'port', 'database'],
  oracle: ['host', 'port', 'serviceName'],
  postgresql: ['host', 'port', 'database', 'schema'],
  postgres: ['host', 'port', 'database', 'schema'],
  presto: ['host'],
  pubsub: ['project'],
  redshift: ['database', 'schema'],
  s3: ['location'],
  sftp: ['location'],
  snowflake: ['account', 'database', 'schema'],
  sqlserver: ['host', 'database', 'schema'],
  synapse: ['host', 'port', 'database'],
  trino: ['host', 'port', 'catalog', 'schema'],
  vertica: ['host', 'port', 'database', 'schema'],
  zen: ['host', 'database'],
  custom: [],
} as const satisfies Record<string, readonly string[]>;

export type ServerType = keyof typeof SERVER_REQUIRED_FIELDS;
export const SERVER_TYPES = Object.keys(SERVER_REQUIRED_FIELDS) as [ServerType, ...ServerType[]];

/** The location fields of all server types (a `custom` server may use any of them). */
export const serverLocationFields = {
  host: z.string().optional(),
  port: integer().min(0).max(65535).optional(),
  database: z.string().optional(),
  schema: z.string().optional(),
  catalog: z.string().optional(),
  account: z.string().optional(),
  project: z.string().optional(),
  dataset: z.string().optional(),
  location: z.string().optional(),
  endpointUrl: z.string().optional(),
  format: z.string().optional(),
  delimiter: z.string().optional(),
  path: z.string().optional(),
  region: z.string().optional(),
  regionName: z.string().optional(),
  serviceName: z.string().optional(),
  stagingDir: z.string().optional(),
  warehouse: z.string().optional(),
  stream: z.string().optional(),
};

/** ODCS v3.1.0 Role (also a server's `roles[]`). */
export const roleSchema = z.looseObject({
  id: stableIdSchema.optional(),
  role: z.string().min(1),
  description: z.string().optional(),
  access: z.string().optional(),
  firstLevelApprovers: z.string().optional(),
  secondLevelApprovers: z.string().optional(),
  customProperties: customPropertiesSchema.optional(),
});

export const serverSchema = z
  .looseObject({
    id: stableIdSchema.optional(),
    server: z.string().min(1),
    type: z.enum(SERVER_TYPES),
    description: z.string().optional(),
    environment: z.string().optional(),
    roles: z.array(roleSchema).optional(),
    customProperties: customPropertiesSchema.optional(),
    ...serverLocationFields,
  })
  .superRefine((server, ctx) => {
    for (const field of SERVER_REQUIRED_FIELDS[server.type]) {
      if (server[field] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${REQUIRED} for a ${server.type} server`,
        });
      }
    }
  });

/**
 * The `server` custom property of an ODPS output port (as Entropy Data writes it): the location
 * fields of an ODCS server, typed the same way; `type` and `server` may be left to the port.
 */
export const portServerSchema = z.looseObject({
  server: z.string().optional(),
  type: z.string().optional(),
  environment: z.string().optional(),
  description: z.string().optional(),
  ...serverLocationFields,
});
