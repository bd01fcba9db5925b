import type {
  AccessStatus,
  DataProductDescription,
  DataProductStatus,
  ExampleColumn,
  OdcsDocument,
  TeamRole,
  TeamType,
} from 'src/catalog/entities';
import type { OrganizationRole } from 'src/auth/principal';

/** The shapes of the demo data set and the builders that turn it into rows. */

export const LOGICAL_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'timestamp',
] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];
export type Classification = 'public' | 'internal' | 'restricted';
export type CertificationName = 'Gold' | 'Silver' | 'Bronze';

export interface DemoOrganization {
  slug: string;
  name: string;
  members: Array<{ email: string; role: OrganizationRole }>;
}

export interface DemoUser {
  email: string;
  name: string;
}

export interface DemoTeam {
  organization: string;
  externalId: string;
  name: string;
  type: TeamType;
  parent?: string;
  members: Array<{ email: string; role: TeamRole }>;
}

export interface DemoColumn {
  name: string;
  logicalType: LogicalType;
  physicalType: string;
  required?: boolean;
  classification: Classification;
  description: string;
}

export interface DemoTable {
  name: string;
  description: string;
  columns: DemoColumn[];
  rows: unknown[][];
}

export interface OdcsRole {
  role: string;
  access: 'read';
  description: string;
  customProperties?: Array<{ property: 'restrictedColumns'; value: string[] }>;
}

export interface OdcsProperty {
  property: string;
  value: unknown;
}

export interface DemoContract {
  externalId: string;
  name: string;
  description: DataProductDescription;
  tables: DemoTable[];
  roles: OdcsRole[];
  slaProperties?: OdcsProperty[];
  customProperties?: OdcsProperty[];
}

export interface DemoOutputPort {
  externalId: string;
  name: string;
  type: string;
  server: Record<string, unknown>;
  autoApprove: boolean;
  containsPii: boolean;
  contract: DemoContract;
}

export interface DemoProduct {
  organization: string;
  externalId: string;
  name: string;
  ownerTeam: string;
  status: DataProductStatus;
  certification?: CertificationName;
  archetype: 'source-aligned' | 'aggregate' | 'consumer-aligned';
  description: Required<DataProductDescription>;
  tags: string[];
  /** External ids of the output ports (same organization) this product reads from. */
  inputPorts: string[];
  outputPorts: DemoOutputPort[];
}

/** Days relative to the seed day, or the first day of the month after it. */
export type RelativeDate = { days: number } | 'first-of-next-month';

export type DemoConsumer =
  | { type: 'user'; email: string }
  | { type: 'team'; team: string }
  | { type: 'data_product'; product: string };

export interface DemoAgreement {
  externalId: string;
  organization: string;
  /** Output port external id; the provider product and team follow from it. */
  port: string;
  consumer: DemoConsumer;
  purpose: string;
  roles: string[];
  status: AccessStatus;
  startDate: RelativeDate | null;
  endDate: RelativeDate | null;
  autoApproved: boolean;
  requestedBy: string;
  decidedBy: string | null;
  decisionComment: string | null;
}

export type Dialect = 'postgres' | 'snowflake' | 'bigquery' | 's3';

const PHYSICAL_TYPES: Record<Dialect, Record<LogicalType, string>> = {
  postgres: {
    string: 'text',
    integer: 'integer',
    number: 'numeric(12,2)',
    boolean: 'boolean',
    date: 'date',
    timestamp: 'timestamptz',
  },
  snowflake: {
    string: 'VARCHAR',
    integer: 'NUMBER(38,0)',
    number: 'NUMBER(12,2)',
    boolean: 'BOOLEAN',
    date: 'DATE',
    timestamp: 'TIMESTAMP_TZ',
  },
  bigquery: {
    string: 'STRING',
    integer: 'INT64',
    number: 'NUMERIC',
    boolean: 'BOOL',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
  },
  s3: {
    string: 'string',
    integer: 'int64',
    number: 'double',
    boolean: 'boolean',
    date: 'date',
    timestamp: 'timestamp',
  },
};

export type ColumnSpec = [
  name: string,
  logicalType: LogicalType,
  classification: Classification,
  description: string,
  required?: boolean,
];

/** A table of a contract with its example rows; physical types follow the port's dialect. */
export function table(
  dialect: Dialect,
  name: string,
  description: string,
  columns: ColumnSpec[],
  rows: unknown[][],
): DemoTable {
  return {
    name,
    description,
    columns: columns.map(([column, logicalType, classification, text, required]) => ({
      name: column,
      logicalType,
      physicalType: PHYSICAL_TYPES[dialect][logicalType],
      classification,
      description: text,
      ...(required ? { required: true } : {}),
    })),
    rows,
  };
}

/** A read role; `restrictedColumns` lists the restricted columns it covers. */
export function readRole(
  role: string,
  description: string,
  restrictedColumns?: string[],
): OdcsRole {
  return {
    role,
    access: 'read',
    description,
    ...(restrictedColumns
      ? { customProperties: [{ property: 'restrictedColumns', value: restrictedColumns }] }
      : {}),
  };
}

/** The ODCS v3.1.0 document of a demo contract, owned by `ownerTeam` (a team external id). */
export function toOdcsDocument(contract: DemoContract, ownerTeam: string): OdcsDocument {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: contract.externalId,
    name: contract.name,
    version: '1.0.0',
    status: 'active',
    team: { name: ownerTeam },
    description: { ...contract.description },
    schema: contract.tables.map((t) => ({
      name: t.name,
      physicalName: t.name,
      logicalType: 'object',
      description: t.description,
      properties: t.columns.map((c) => ({ ...c })),
    })),
    roles: contract.roles.map((r) => ({ ...r })),
    ...(contract.slaProperties ? { slaProperties: contract.slaProperties } : {}),
    ...(contract.customProperties ? { customProperties: contract.customProperties } : {}),
  };
}

/** The example-table columns of a contract table: `[{ name, type: logicalType }]`. */
export function exampleColumns(t: DemoTable): ExampleColumn[] {
  return t.columns.map((c) => ({ name: c.name, type: c.logicalType }));
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;
export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The seed day as `YYYY-MM-DD` (UTC). */
export function seedDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Resolves a relative date against the seed day (`YYYY-MM-DD`, UTC). */
export function resolveDate(date: RelativeDate, day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (date === 'first-of-next-month') {
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
      .toISOString()
      .slice(0, 10);
  }
  d.setUTCDate(d.getUTCDate() + date.days);
  return d.toISOString().slice(0, 10);
}
