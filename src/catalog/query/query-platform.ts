import type { ColumnRef } from 'src/catalog/contract-terms';
import type { QueryColumnDto, QuerySourceDto } from 'src/catalog/dto/query.dto';
import type { OdcsDocument } from 'src/catalog/entities';

/**
 * The engines behind execute_query. QueryService makes every check (port state, agreement, purpose,
 * SQL guard, terms of use) and then hands the statement to the platform that serves the port: a real
 * database (PostgreSQL) when the operator configured a connection for the port's server, else the
 * sandbox with the port's example rows. Another platform (Snowflake, Databricks, BigQuery, DuckDB
 * over files) is one more QueryPlatform in the QUERY_PLATFORMS list; the tools and the checks stay.
 */

/** What a platform knows of an output port: its type and ODCS/ODPS server block, and its contract. */
export interface QueryPort {
  id: string;
  organizationId: string;
  /** `dataProductId/outputPortId`, for messages. */
  ref: string;
  /** The port's type (`postgres`, `snowflake`, …). */
  type: string;
  /** ODCS v3.1.0 server: `server`, `type`, `host`, `port`, `database`, `schema`, … */
  server: Record<string, unknown>;
  contract: OdcsDocument | null;
}

/** A table a query may name, with the columns it declares. */
export interface QueryTable {
  name: string;
  columns: QueryColumnDto[];
  /** The rows themselves, for platforms that load their data (the sandbox's example rows). */
  rows?: unknown[][];
}

export interface QueryRequest {
  port: QueryPort;
  /** The port's tables, as `tables(port)` returned them. */
  tables: QueryTable[];
  /** Restricted columns the caller's roles do not cover: the query must not be able to read them. */
  hiddenColumns: ColumnRef[];
  /** One read-only statement, already through the SQL guard. */
  sql: string;
  /** Fetch at most this many rows. */
  maxRows: number;
}

export type QueryOutcome =
  | { kind: 'ok'; columns: QueryColumnDto[]; rows: unknown[][] }
  /** The time limit ended the query. */
  | { kind: 'timeout' }
  /** The query ran and failed (syntax, unknown column, permission): the caller can fix it. */
  | { kind: 'error'; message: string }
  /** The platform could not be reached; a later query may succeed. */
  | { kind: 'unavailable'; message: string };

export interface QueryPlatform {
  /** The engine's name in results (`source.engine`). */
  readonly engine: string;
  /** Time limit of one query, in milliseconds. */
  readonly timeoutMs: number;
  /** Whether this platform answers queries on the port. The registry asks in order; first wins. */
  serves(port: QueryPort): Promise<boolean>;
  /** The port's tables, as queries name them. */
  tables(port: QueryPort): Promise<QueryTable[]>;
  /** Where the answer comes from, as the result reports it. */
  source(port: QueryPort): QuerySourceDto;
  run(request: QueryRequest): Promise<QueryOutcome>;
}

/** The platforms in the order they are asked; the sandbox, which serves every port, comes last. */
export const QUERY_PLATFORMS = Symbol('QUERY_PLATFORMS');

/** The name of the port's server (`server.server`), when it has one. */
export function serverName(port: Pick<QueryPort, 'server'>): string | undefined {
  const name = port.server?.server;
  return typeof name === 'string' && name.trim() !== '' ? name : undefined;
}
