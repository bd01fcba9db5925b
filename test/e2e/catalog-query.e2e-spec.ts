import { ErrorCode } from 'src/common/errors/domain-error';
import { AccessService } from 'src/catalog/access.service';
import { QueryService } from 'src/catalog/query/query.service';
import { demoPrincipal, domainError } from 'test/factories/catalog.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

interface LogRow {
  sql: string;
  purpose: string;
  decision: string;
  outcome: string;
  row_count: number | null;
  api_key_id: string | null;
  client_id: string | null;
}

describe('execute_query (e2e)', () => {
  let t: TestApp;
  let sut: QueryService;

  beforeAll(async () => {
    t = await startTestApp();
    sut = t.app.get(QueryService);
  });
  afterAll(async () => {
    await t.close();
  });

  const principal = (who: Parameters<typeof demoPrincipal>[1]) => demoPrincipal(t.app, who);
  const lastLog = async (userId: string): Promise<LogRow> => {
    const rows: LogRow[] = await t.dataSource.query(
      `SELECT sql, purpose, decision, outcome, row_count, api_key_id, client_id FROM query_log
        WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [userId],
    );
    return rows[0];
  };
  const orders = { dataProductId: 'orders', outputPortId: 'orders_npii_v1' };

  it("should run carol's query on orders_npii_v1 through Customer Cohorts' agreement and log it", async () => {
    const carol = await principal('carol');
    const keyId = '11111111-1111-4111-8111-111111111111';
    const res = await sut.execute(
      { ...carol, apiKeyId: keyId },
      {
        ...orders,
        query:
          'SELECT sales_channel, count(*) AS orders FROM orders GROUP BY sales_channel ORDER BY 1',
        purpose: 'Build acquisition cohorts per channel',
      },
    );
    expect(res.columns).toEqual([
      { name: 'sales_channel', type: 'text' },
      { name: 'orders', type: 'bigint' },
    ]);
    expect(res.rows.map((r) => r[0])).toEqual(['app', 'store', 'web']);
    expect(res.rows.reduce((n, r) => n + (r[1] as number), 0)).toBe(24);
    expect(res).toMatchObject({
      rowCount: 3,
      truncated: false,
      evaluation: { decision: 'allowed', reasons: [] },
    });
    expect(await lastLog(carol.userId)).toEqual({
      sql: expect.stringContaining('GROUP BY sales_channel'),
      purpose: 'Build acquisition cohorts per channel',
      decision: 'allowed',
      outcome: 'ok',
      row_count: 3,
      api_key_id: keyId,
      client_id: null,
    });
  });

  it('should return at most 100 rows and say the result was truncated', async () => {
    const carol = await principal('carol');
    const res = await sut.execute(carol, {
      ...orders,
      query: 'SELECT a.order_id, b.order_id FROM orders a CROSS JOIN orders b',
      purpose: 'Check pairs of orders for duplicates',
    });
    expect(res.rows).toHaveLength(100);
    expect(res).toMatchObject({ rowCount: 100, truncated: true });
    const exact = await sut.execute(carol, {
      ...orders,
      query: 'SELECT a.order_id FROM orders a CROSS JOIN orders b LIMIT 100',
      purpose: 'Check pairs of orders for duplicates',
    });
    expect(exact).toMatchObject({ rowCount: 100, truncated: false });
  });

  it('should require an active agreement: the rejected pii port points to request_access', async () => {
    const carol = await principal('carol');
    const err = await domainError(
      sut.execute(carol, {
        dataProductId: 'orders',
        outputPortId: 'orders_pii_v1',
        query: 'SELECT order_id FROM orders',
        purpose: 'Analyse order patterns of top customers',
      }),
      ErrorCode.AccessRequired,
    );
    expect(err.message).toBe(
      'You have no active access to orders/orders_pii_v1. Call request_access with dataProductId "orders", outputPortId "orders_pii_v1" and a purpose.',
    );
    expect(await lastLog(carol.userId)).toMatchObject({
      decision: 'denied',
      outcome: 'access_required',
    });
  });

  it('should not count an expired or upcoming agreement as access', async () => {
    const dave = await principal('dave');
    await domainError(
      sut.execute(dave, {
        dataProductId: 'shelf-warmers',
        outputPortId: 'shelf_warmers_v1',
        query: 'SELECT 1',
        purpose: 'Plan clearance discounts',
      }),
      ErrorCode.AccessRequired,
    );
    const bob = await principal('bob');
    const err = await domainError(
      sut.execute(bob, {
        dataProductId: 'customer-cohorts',
        outputPortId: 'customer_cohorts_v1',
        query: 'SELECT 1',
        purpose: 'Compare cohort retention',
      }),
      ErrorCode.AccessRequired,
    );
    expect(err.message).toMatch(/starts on/);
  });

  it.each([
    ['SELECT * FROM orders; DELETE FROM orders', /one statement/],
    ['SELECT * FROM users', /"users" is not a table of this output port: query only orders/],
    ['SELECT * FROM pg_catalog.pg_tables', /System objects/],
    ['SELECT 1 -- hi', /Comments/],
    ['UPDATE orders SET order_total = 0', /must start with SELECT or WITH/],
  ])('should refuse %s with invalid_argument and log the denial', async (query, reason) => {
    const carol = await principal('carol');
    const err = await domainError(
      sut.execute(carol, { ...orders, query, purpose: 'Build acquisition cohorts' }),
      ErrorCode.InvalidArgument,
    );
    expect(err.message).toMatch(reason);
    expect(await lastLog(carol.userId)).toMatchObject({
      sql: query,
      decision: 'denied',
      outcome: 'invalid_argument',
    });
  });

  it('should refuse a purpose shorter than 10 characters', async () => {
    const carol = await principal('carol');
    await domainError(
      sut.execute(carol, { ...orders, query: 'SELECT 1', purpose: 'cohorts' }),
      ErrorCode.InvalidArgument,
    );
  });

  it('should report an engine error with the tables of the port', async () => {
    const carol = await principal('carol');
    const err = await domainError(
      sut.execute(carol, {
        ...orders,
        query: 'SELECT nope FROM orders',
        purpose: 'Build acquisition cohorts',
      }),
      ErrorCode.InvalidArgument,
    );
    expect(err.message).toMatch(/nope.*Tables: orders\(order_id string/);
  });

  describe('terms of use (carol at globex, Payments through team risk)', () => {
    const payments = { dataProductId: 'payments', outputPortId: 'payments_v1' };

    it('should run an analyst query within the terms', async () => {
      const carol = await principal('carolGlobex');
      const res = await sut.execute(carol, {
        ...payments,
        query: 'SELECT payment_status, sum(amount) AS total FROM payments GROUP BY 1',
        purpose: 'Monitor fraud losses per status',
      });
      expect(res.rowCount).toBeGreaterThan(0);
    });

    it('should deny the prohibited purpose "marketing campaign"', async () => {
      const carol = await principal('carolGlobex');
      const err = await domainError(
        sut.execute(carol, {
          ...payments,
          query: 'SELECT payment_id, amount FROM payments',
          purpose: 'marketing campaign',
        }),
        ErrorCode.TermsOfUseViolation,
      );
      expect(err.details).toEqual({
        reasons: [{ id: 'prohibited_purpose', message: expect.stringMatching(/marketing/) }],
      });
      expect(await lastLog(carol.userId)).toMatchObject({
        decision: 'denied',
        outcome: 'terms_of_use_violation',
      });
    });

    it.each(['SELECT payment_id, iban_masked FROM payments', 'SELECT * FROM payments'])(
      'should deny the restricted iban_masked to the analyst role: %s',
      async (query) => {
        const carol = await principal('carolGlobex');
        const err = await domainError(
          sut.execute(carol, { ...payments, query, purpose: 'Monitor fraud losses per account' }),
          ErrorCode.TermsOfUseViolation,
        );
        expect(err.details).toEqual({
          reasons: [
            { id: 'restricted_columns', message: expect.stringContaining('payments.iban_masked') },
          ],
        });
      },
    );

    it('should not leak the restricted column through a whole-row reference', async () => {
      const carol = await principal('carolGlobex');
      const res = await sut.execute(carol, {
        ...payments,
        query: 'SELECT to_jsonb(p) AS row FROM payments p LIMIT 3',
        purpose: 'Monitor fraud losses per account',
      });
      expect(res.rowCount).toBe(3);
      expect(JSON.stringify(res.rows)).not.toContain('iban');
    });

    it('should not let a globex principal query an acme port: not_found', async () => {
      const carol = await principal('carolGlobex');
      await domainError(
        sut.execute(carol, { ...orders, query: 'SELECT 1', purpose: 'Compare with our payments' }),
        ErrorCode.NotFound,
      );
    });
  });

  it('should cap queries per user and day by the SLA of Customer Cohorts (10)', async () => {
    const carol = await principal('carol');
    const access = await t.app.get(AccessService).request(carol, {
      dataProductId: 'customer-cohorts',
      outputPortId: 'customer_cohorts_v1',
      purpose: 'Plan the spring newsletter segments',
    });
    expect(access.lifecycle).toBe('active');
    const run = () =>
      sut.execute(carol, {
        dataProductId: 'customer-cohorts',
        outputPortId: 'customer_cohorts_v1',
        query: 'SELECT count(*) FROM customer_cohorts',
        purpose: 'Plan the spring newsletter segments',
      });
    for (let i = 0; i < 10; i++) await run();
    const err = await domainError(run(), ErrorCode.TermsOfUseViolation);
    expect(err.details).toEqual({
      reasons: [{ id: 'max_queries_per_day', message: expect.any(String) }],
    });
  });

  it('should stop a query after the time limit with query_timeout', async () => {
    const carol = await principal('carol');
    const started = Date.now();
    const err = await domainError(
      sut.execute(carol, {
        ...orders,
        query:
          'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t',
        purpose: 'Count forever to test the limit',
      }),
      ErrorCode.QueryTimeout,
    );
    expect(err.message).toMatch(/2000 ms/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await lastLog(carol.userId)).toMatchObject({
      decision: 'allowed',
      outcome: 'query_timeout',
    });
    const after = await sut.execute(carol, {
      ...orders,
      query: 'SELECT count(*) FROM orders',
      purpose: 'Count orders after a timeout',
    });
    expect(after.rows).toEqual([[24]]);
  });

  // Last: it removes the port's example rows.
  it('should say why a port without example rows and without a connected database cannot be queried', async () => {
    const carol = await principal('carol');
    await t.dataSource.query(
      `DELETE FROM example_tables WHERE output_port_id =
         (SELECT id FROM output_ports WHERE external_id = 'orders_npii_v1')`,
    );
    const err = await domainError(
      sut.execute(carol, {
        ...orders,
        query: 'SELECT count(*) FROM orders',
        purpose: 'Count orders of the last week',
      }),
      ErrorCode.Conflict,
    );
    expect(err.message).toBe(
      'orders/orders_npii_v1 cannot be queried: it has no example rows here, and no database of type postgres is connected for its server (the operator of this catalog server maps it in QUERY_CONNECTIONS_FILE).',
    );
    expect(await lastLog(carol.userId)).toMatchObject({ decision: 'denied', outcome: 'conflict' });
  });
});
