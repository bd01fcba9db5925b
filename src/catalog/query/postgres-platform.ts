import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { Pool, PoolClient, types as pgTypes } from 'pg';
import { sqlState } from 'src/common/errors/database-errors';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import type { QueryConnection } from 'src/config/query-connections.config';
import type { QuerySourceDto } from 'src/catalog/dto/query.dto';
import { quoteIdent } from 'src/catalog/query/engine-tables';
import {
  contractTablesWithColumns,
  exactNumber,
  isQueryStatement,
  namedColumns,
  NUMBER_TYPES,
  plainValue,
  RAW_TEXT_TYPES,
  shadowTables,
} from 'src/catalog/query/postgres-sql';
import { findConnection, isPostgresPort, portSchema } from 'src/catalog/query/query-connections';
import {
  DEFAULT_QUERY_ENGINE_OPTIONS,
  QUERY_ENGINE_OPTIONS,
  QueryEngineOptions,
} from 'src/catalog/query/query-engine';
import {
  QueryOutcome,
  QueryPlatform,
  QueryPort,
  QueryRequest,
  QueryTable,
  serverName,
} from 'src/catalog/query/query-platform';
import { OrganizationsService } from 'src/users/organizations.service';

/** Short names of common type OIDs; others are asked of the database (`format_type`). */
const TYPE_NAMES = new Map<number, string>([
  [16, 'boolean'],
  [17, 'bytea'],
  [20, 'bigint'],
  [21, 'smallint'],
  [23, 'integer'],
  [25, 'text'],
  [114, 'json'],
  [700, 'real'],
  [701, 'double precision'],
  [1042, 'char'],
  [1043, 'varchar'],
  [1082, 'date'],
  [1083, 'time'],
  [1114, 'timestamp'],
  [1184, 'timestamptz'],
  [1186, 'interval'],
  [1266, 'timetz'],
  [1700, 'numeric'],
  [2950, 'uuid'],
  [3802, 'jsonb'],
]);

/** Value parsers: dates and times as printed, exact numbers as numbers (as the sandbox answers). */
const VALUE_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown => {
    if (RAW_TEXT_TYPES.includes(oid)) return (v: string) => v;
    if (NUMBER_TYPES.includes(oid)) return exactNumber;
    return pgTypes.getTypeParser(oid, format ?? 'text');
  },
};

/** The cursor every query is read through, inside its own transaction. */
const CURSOR = 'catalog_query';

/**
 * Runs execute_query on the real PostgreSQL database behind a port, through the connection the
 * operator configured for the port's server (QUERY_CONNECTIONS_FILE, a read-only role). Each query
 * runs in `BEGIN READ ONLY` with `statement_timeout` and `search_path` set locally, reads the port's
 * tables through CTEs that leave out hidden columns, fetches at most `maxRows` through a cursor and is
 * rolled back. One small pool per connection; a failed connection is retried by the next query.
 */
@Injectable()
export class PostgresPlatform implements QueryPlatform, OnModuleDestroy {
  readonly engine = 'postgres';
  readonly timeoutMs: number;
  private readonly logger = new Logger(PostgresPlatform.name);
  private readonly connections: readonly QueryConnection[];
  private readonly pools = new Map<QueryConnection, Pool>();
  private readonly userTypes = new Map<QueryConnection, Map<number, string>>();
  private readonly slugs = new Map<string, string | undefined>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly organizations: OrganizationsService,
    @Optional() @Inject(QUERY_ENGINE_OPTIONS) options?: Partial<QueryEngineOptions>,
  ) {
    this.connections = config.queryConnections;
    this.timeoutMs = options?.timeoutMs ?? DEFAULT_QUERY_ENGINE_OPTIONS.timeoutMs;
  }

  async serves(port: QueryPort): Promise<boolean> {
    return (await this.connectionFor(port)) !== undefined;
  }

  tables(port: QueryPort): Promise<QueryTable[]> {
    return Promise.resolve(
      contractTablesWithColumns(port.contract).map(({ name, columns }) => ({ name, columns })),
    );
  }

  source(port: QueryPort): QuerySourceDto {
    const server = serverName(port);
    return { engine: this.engine, ...(server ? { server } : {}) };
  }

  async run(request: QueryRequest): Promise<QueryOutcome> {
    const { port } = request;
    const connection = await this.connectionFor(port);
    if (!connection) {
      return { kind: 'unavailable', message: `No database connection serves ${port.ref}` };
    }
    const schema = portSchema(port);
    const sql = shadowTables(
      request.sql,
      schema,
      contractTablesWithColumns(port.contract),
      request.hiddenColumns,
    );
    let client: PoolClient;
    try {
      client = await this.pool(connection).connect();
    } catch (err) {
      return this.unavailable(port, connection, err);
    }
    let broken: Error | undefined;
    // A connection lost between two statements surfaces on the next one; its 'error' event must not
    // crash the process meanwhile.
    const onError = (e: Error): void => {
      broken = e;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, this.timeoutMs)}`);
      await client.query(`SET LOCAL search_path = ${quoteIdent(schema)}`);
      const statement = isQueryStatement(request.sql)
        ? (await client.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql}`),
          `FETCH FORWARD ${Math.max(0, Math.floor(request.maxRows))} FROM ${CURSOR}`)
        : sql;
      const res = await client.query<unknown[]>({
        text: statement,
        rowMode: 'array',
        types: VALUE_TYPES,
      });
      const columns = await namedColumns(res.fields ?? [], (oids) =>
        this.typeNames(client, connection, oids),
      );
      return { kind: 'ok', columns, rows: (res.rows ?? []).map((r) => r.map(plainValue)) };
    } catch (err) {
      return this.failed(port, connection, err, (e) => (broken = e));
    } finally {
      if (!broken) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      client.off('error', onError);
      client.release(broken);
    }
  }

  async onModuleDestroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  }

  private async connectionFor(port: QueryPort): Promise<QueryConnection | undefined> {
    if (!isPostgresPort(port) || this.connections.length === 0) return undefined;
    const slug = this.connections.some((c) => c.organizations)
      ? await this.slugOf(port.organizationId)
      : undefined;
    return findConnection(port, this.connections, slug);
  }

  private async slugOf(organizationId: string): Promise<string | undefined> {
    if (!this.slugs.has(organizationId)) {
      const org = await this.organizations.findById(organizationId);
      this.slugs.set(organizationId, org?.slug);
    }
    return this.slugs.get(organizationId);
  }

  private pool(connection: QueryConnection): Pool {
    let pool = this.pools.get(connection);
    if (!pool) {
      pool = new Pool({
        connectionString: connection.url,
        max: connection.maxConnections,
        connectionTimeoutMillis: connection.connectTimeoutMs,
        idleTimeoutMillis: 30_000,
        // A backstop for a network that stops answering mid-query (statement_timeout is the limit).
        query_timeout: this.timeoutMs + connection.connectTimeoutMs,
        application_name: 'data-product-catalog',
        keepAlive: true,
      });
      // An idle client losing its server must not crash the process; the pool replaces it.
      pool.on('error', (err) => this.warn(connection, err));
      this.pools.set(connection, pool);
    }
    return pool;
  }

  private async typeNames(
    client: PoolClient,
    connection: QueryConnection,
    oids: number[],
  ): Promise<Map<number, string>> {
    const known = this.userTypes.get(connection) ?? new Map<number, string>();
    this.userTypes.set(connection, known);
    const missing = oids.filter((o) => !TYPE_NAMES.has(o) && !known.has(o));
    if (missing.length) {
      const res = await client.query<{ oid: number; name: string }>(
        'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])',
        [missing],
      );
      for (const r of res.rows) known.set(r.oid, r.name);
    }
    return new Map(oids.map((o) => [o, TYPE_NAMES.get(o) ?? known.get(o) ?? 'unknown']));
  }

  private failed(
    port: QueryPort,
    connection: QueryConnection,
    err: unknown,
    markBroken: (e: Error) => void,
  ): QueryOutcome {
    const message = err instanceof Error ? err.message : String(err);
    if (sqlState(err) === '57014') return { kind: 'timeout' };
    if (/Query read timeout/i.test(message)) {
      markBroken(err as Error);
      return { kind: 'timeout' };
    }
    if (isConnectionFailure(err)) {
      markBroken(err instanceof Error ? err : new Error(message));
      return this.unavailable(port, connection, err);
    }
    return { kind: 'error', message };
  }

  private unavailable(port: QueryPort, connection: QueryConnection, err: unknown): QueryOutcome {
    this.warn(connection, err);
    return {
      kind: 'unavailable',
      message: `The database of ${port.ref} (${connection.label}) cannot be reached: ${reason(err)}. Try again shortly; if it persists, tell the operator of this catalog.`,
    };
  }

  private warn(connection: QueryConnection, err: unknown): void {
    this.logger.warn(`query connection ${connection.label}: ${reason(err)}`);
  }
}

/** Errors of the connection itself (as opposed to a query that ran and failed). */
function isConnectionFailure(err: unknown): boolean {
  const state = sqlState(err) ?? '';
  const code = (err as { code?: unknown })?.code;
  return (
    /^(08|28|3D|57P)/.test(state) ||
    state === '53300' ||
    (typeof code === 'string' && /^E[A-Z]+$/.test(code)) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      err instanceof Error ? err.message : '',
    )
  );
}

/** Why a connection failed, without the URL or anything secret. */
function reason(err: unknown): string {
  const state = sqlState(err) ?? '';
  const code = (err as { code?: unknown })?.code;
  if (state.startsWith('28')) return 'the database refused the configured credentials';
  if (state === '3D000') return 'the configured database does not exist';
  if (state === '53300') return 'the database has too many connections';
  if (state.startsWith('57P')) return 'the database is shutting down or starting up';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name cannot be resolved';
  if (code === 'ETIMEDOUT' || /timeout/i.test(err instanceof Error ? err.message : '')) {
    return 'connecting timed out';
  }
  return 'the connection failed';
}
