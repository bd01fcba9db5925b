import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from 'src/app.factory';
import { ErrorCode } from 'src/common/errors/domain-error';
import type { AppConfig } from 'src/config/app.config';
import { ConfigValidationError } from 'src/config/env.validation';
import { OrganizationsService } from 'src/users/organizations.service';
import { PostgresPlatform } from 'src/catalog/query/postgres-platform';
import type { QueryPort } from 'src/catalog/query/query-platform';
import { QueryService } from 'src/catalog/query/query.service';
import { demoPrincipal, domainError } from 'test/factories/catalog.factory';
import { demoKey } from 'test/factories/demo.factory';
import { connect } from 'test/support/mcp-clients';
import {
  createWarehouse,
  FlakyProxy,
  postgresUnreachable,
  Warehouse,
} from 'test/support/query-warehouse';
import { freePort, startTestApp, TestApp } from 'test/support/test-app';

const skipReason = postgresUnreachable();
if (skipReason) console.warn(`query-postgres e2e skipped: ${skipReason}`);

(skipReason ? describe.skip : describe)('execute_query on a real PostgreSQL database (e2e)', () => {
  let wh: Warehouse;
  let proxy: FlakyProxy;
  let dir: string;
  let t: TestApp;
  let sut: QueryService;

  beforeAll(async () => {
    wh = await createWarehouse();
    const server = new URL(wh.adminUrl);
    proxy = new FlakyProxy(await freePort(), {
      host: server.hostname,
      port: Number(server.port || 5432),
    });
    dir = mkdtempSync(join(tmpdir(), 'query-connections-'));
    const viaProxy = new URL(wh.readerUrl(proxy.port));
    viaProxy.password = '${QUERY_E2E_PASSWORD}';
    const direct = new URL(wh.readerUrl());
    direct.password = '${QUERY_E2E_PASSWORD}';
    writeFileSync(
      join(dir, 'connections.yaml'),
      `connections:
  # orders/orders_npii_v1 and orders_pii_v1, through a proxy the tests stop and start
  - host: orders-db.acme.example
    database: orders
    url: "${decodeURI(viaProxy.toString())}"
    connectTimeoutMs: 3000
  - host: payments-db.globex.example
    database: payments
    port: 5432
    organizations: [globex]
    url: "${decodeURI(direct.toString())}"
`,
    );
    t = await startTestApp({
      QUERY_CONNECTIONS_FILE: join(dir, 'connections.yaml'),
      QUERY_E2E_PASSWORD: wh.password,
    });
    sut = t.app.get(QueryService);
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await wh?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const orders = { dataProductId: 'orders', outputPortId: 'orders_npii_v1' };
  const carolQuery = async (query: string) =>
    sut.execute(await demoPrincipal(t.app, 'carol'), {
      ...orders,
      query,
      purpose: 'Build acquisition cohorts per channel',
    });
  const portOf = async (externalId: string): Promise<QueryPort> => {
    const [row]: Array<{
      id: string;
      organization_id: string;
      type: string;
      server: Record<string, unknown>;
      document: QueryPort['contract'];
    }> = await t.dataSource.query(
      `SELECT p.id, p.organization_id, p.type, p.server, c.document FROM output_ports p
         JOIN data_contracts c ON c.id = p.data_contract_id WHERE p.external_id = $1`,
      [externalId],
    );
    return {
      id: row.id,
      organizationId: row.organization_id,
      ref: externalId,
      type: row.type,
      server: row.server,
      contract: row.document,
    };
  };
  /** The PostgreSQL engine itself, without QueryService's checks or the SQL guard. */
  const direct = async (externalId: string, sql: string, hideIban = false) => {
    const engine = t.app.get(PostgresPlatform);
    const port = await portOf(externalId);
    return engine.run({
      port,
      tables: await engine.tables(port),
      hiddenColumns: hideIban ? [{ table: 'payments', column: 'iban_masked' }] : [],
      sql,
      maxRows: 101,
    });
  };

  it('should answer unavailable, naming the port, while the database cannot be reached, and answer once it is back', async () => {
    const err = await domainError(carolQuery('SELECT count(*) FROM orders'), ErrorCode.Unavailable);
    expect(err.message).toBe(
      'The database of orders/orders_npii_v1 (orders-db.acme.example/orders) cannot be reached: the connection was refused. Try again shortly; if it persists, tell the operator of this catalog.',
    );
    expect(err.message).not.toContain(wh.password);
    const [log]: Array<{ outcome: string }> = await t.dataSource.query(
      `SELECT outcome FROM query_log ORDER BY created_at DESC LIMIT 1`,
    );
    expect(log.outcome).toBe('unavailable');

    await proxy.open();
    const res = await carolQuery('SELECT count(*) AS orders FROM orders');
    expect(res.rows).toEqual([[150]]);
    expect(res.source).toEqual({ engine: 'postgres', server: 'production' });
  });

  it('should return the real rows, at most 100, with PostgreSQL column types', async () => {
    const res = await carolQuery(
      'SELECT order_id, order_total, order_timestamp, item_count, is_first_order FROM orders ORDER BY order_id',
    );
    expect(res.columns).toEqual([
      { name: 'order_id', type: 'text' },
      { name: 'order_total', type: 'numeric' },
      { name: 'order_timestamp', type: 'timestamptz' },
      { name: 'item_count', type: 'integer' },
      { name: 'is_first_order', type: 'boolean' },
    ]);
    expect(res.rows[0]).toEqual(['WH-0001', 23.49, '2026-01-01 15:00:00+00', 2, false]);
    expect(res).toMatchObject({ rowCount: 100, truncated: true, source: { engine: 'postgres' } });
    expect(res.rows).toHaveLength(100);
    const exact = await carolQuery('SELECT order_id FROM orders ORDER BY order_id LIMIT 100');
    expect(exact).toMatchObject({ rowCount: 100, truncated: false });
  });

  it("should show only the contract's columns, also through *, and merge the query's own WITH", async () => {
    const star = await carolQuery('SELECT * FROM orders LIMIT 1');
    expect(star.columns.map((c) => c.name)).toEqual([
      'order_id',
      'customer_id',
      'order_timestamp',
      'order_status',
      'item_count',
      'order_total',
      'currency',
      'sales_channel',
      'is_first_order',
    ]);
    const own = await carolQuery(
      'WITH web AS (SELECT * FROM orders WHERE sales_channel = $$web$$) SELECT count(*) FROM web',
    );
    expect(own.rows).toEqual([[50]]);
  });

  it('should return results a real MCP client accepts, saying postgres answered', async () => {
    const key = await demoKey(t.app, 'carol@acme.example', 'acme');
    const client = await connect('v2 auto', t.url, { 'x-api-key': key });
    try {
      await client.listTools();
      const result = await client.callTool('execute_query', {
        ...orders,
        query: 'SELECT sales_channel, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1',
        purpose: 'Build acquisition cohorts per channel',
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        rows: [
          ['app', 50],
          ['store', 50],
          ['web', 50],
        ],
        source: { engine: 'postgres', server: 'production' },
      });
    } finally {
      await client.close();
    }
  });

  it('should have the database refuse a write even when the SQL guard is bypassed', async () => {
    for (const sql of [
      "INSERT INTO npii_v1.orders (order_id) VALUES ('x')",
      'UPDATE orders SET order_total = 0',
      'DELETE FROM orders',
    ]) {
      const outcome = await direct('orders_npii_v1', sql);
      expect(outcome).toEqual({
        kind: 'error',
        message: expect.stringMatching(/in a read-only transaction/),
      });
    }
    const wrapped = await direct(
      'orders_npii_v1',
      'WITH x AS (DELETE FROM npii_v1.orders RETURNING 1) SELECT count(*) FROM x',
    );
    expect(wrapped.kind).toBe('error');
    expect(await wh.admin('SELECT count(*)::int AS n FROM npii_v1.orders')).toEqual([{ n: 150 }]);
  });

  it('should not reach another schema, through the tool or the engine directly', async () => {
    const refused = await domainError(
      carolQuery('SELECT * FROM secret.salaries'),
      ErrorCode.InvalidArgument,
    );
    expect(refused.message).toMatch(/"secret\.salaries" is not a table of this output port/);
    expect(await direct('orders_npii_v1', 'SELECT * FROM secret.salaries')).toEqual({
      kind: 'error',
      message: 'permission denied for schema secret',
    });
    expect(await direct('orders_npii_v1', 'SELECT * FROM salaries')).toEqual({
      kind: 'error',
      message: 'relation "salaries" does not exist',
    });
  });

  it('should stop a query at the time limit and keep serving', async () => {
    expect(await direct('orders_npii_v1', 'SELECT pg_sleep(30)')).toEqual({ kind: 'timeout' });
    const err = await domainError(
      carolQuery(
        'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
      ),
      ErrorCode.QueryTimeout,
    );
    expect(err.message).toMatch(/^The query ran longer than 2000 ms and was stopped/);
    expect((await carolQuery('SELECT count(*) FROM orders')).rows).toEqual([[150]]);
  });

  it('should hide restricted columns the agreement does not cover, even from a whole-row reference', async () => {
    const frank = await demoPrincipal(t.app, 'frank');
    const payments = (query: string) =>
      sut.execute(frank, {
        dataProductId: 'payments',
        outputPortId: 'payments_v1',
        query,
        purpose: 'Train and monitor the fraud scoring model',
      });
    const whole = await payments('SELECT p FROM payments p ORDER BY payment_id LIMIT 1');
    expect(whole.source).toEqual({ engine: 'postgres', server: 'production' });
    expect(whole.rows[0][0]).toMatch(/^\(PAY-1,/);
    expect(String(whole.rows[0][0])).not.toContain('DE89');
    await domainError(payments('SELECT iban_masked FROM payments'), ErrorCode.TermsOfUseViolation);
    // The engine itself: hidden, the column does not exist; not hidden, the role could read it.
    expect(await direct('payments_v1', 'SELECT iban_masked FROM payments', true)).toEqual({
      kind: 'error',
      message: 'column "iban_masked" does not exist',
    });
    expect(await direct('payments_v1', 'SELECT iban_masked FROM payments LIMIT 1')).toMatchObject({
      kind: 'ok',
      rows: [['DE89 **** **** **** 0001']],
    });
  });

  it.each([
    [
      'an unknown login',
      'no_such_reader',
      'database',
      'the database refused the configured credentials',
    ],
    ['an unknown database', 'role', 'no_such_database', 'the configured database does not exist'],
  ])('should answer unavailable for %s, without the URL', async (_, user, db, reason) => {
    const url = new URL(wh.readerUrl());
    if (user !== 'role') url.username = user;
    if (db !== 'database') url.pathname = `/${db}`;
    const engine = new PostgresPlatform(
      {
        queryConnections: [
          {
            label: 'server production',
            server: 'production',
            url: url.toString(),
            maxConnections: 1,
            connectTimeoutMs: 3000,
          },
        ],
      } as AppConfig,
      t.app.get(OrganizationsService),
    );
    try {
      const port = await portOf('orders_npii_v1');
      const outcome = await engine.run({
        port,
        tables: [],
        hiddenColumns: [],
        sql: 'SELECT 1',
        maxRows: 1,
      });
      expect(outcome).toEqual({
        kind: 'unavailable',
        message: `The database of orders_npii_v1 (server production) cannot be reached: ${reason}. Try again shortly; if it persists, tell the operator of this catalog.`,
      });
    } finally {
      await engine.onModuleDestroy();
    }
  });

  it('should keep the sandbox for ports without a connection', async () => {
    const bob = await demoPrincipal(t.app, 'bob');
    const res = await sut.execute(bob, {
      dataProductId: 'stock-levels',
      outputPortId: 'stock_levels_v1',
      query: 'SELECT 1 AS one',
      purpose: 'Plan replenishment of slow movers',
    });
    expect(res.source).toEqual({ engine: 'sandbox' });
  });

  it("should refuse to start with the application's own database as a query target", async () => {
    const file = join(dir, 'own.yaml');
    const own = `postgresql://postgres:${wh.password}@localhost:${new URL(wh.adminUrl).port || 5432}/${wh.database}`;
    writeFileSync(file, `connections: [{server: own, url: "${own}"}]`);
    const start = createApp({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${new URL(wh.adminUrl).port || 5432}/${wh.database}`,
      QUERY_CONNECTIONS_FILE: file,
    });
    await expect(start).rejects.toThrow(ConfigValidationError);
    await expect(start).rejects.toThrow(
      `QUERY_CONNECTIONS_FILE ${file}: connections[0] (server own): url points to the application's own database`,
    );
    await start.catch((err: Error) => expect(err.message).not.toContain(wh.password));
  });
});
