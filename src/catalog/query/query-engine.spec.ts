import { buildSetup } from 'src/catalog/query/engine-tables';
import { QueryEngine } from 'src/catalog/query/query-engine';

const TABLES = [
  {
    tableName: 'orders',
    columns: [
      { name: 'order_id', type: 'integer' },
      { name: 'customer_email', type: 'string' },
      { name: 'amount', type: 'number' },
      { name: 'ordered_on', type: 'date' },
      { name: 'meta', type: 'object' },
    ],
    rows: Array.from({ length: 150 }, (_, i) => [
      i + 1,
      `c${i}@example.com`,
      (i * 1.5).toFixed(2),
      '2025-01-15',
      { channel: i % 2 ? 'web' : 'store' },
    ]),
  },
];

describe('QueryEngine', () => {
  let sut: QueryEngine;

  beforeAll(() => {
    sut = new QueryEngine({ timeoutMs: 1500, idleMs: 5_000, maxWorkers: 2 });
  });
  afterAll(() => sut.onModuleDestroy());

  it('should run a query on the loaded tables with typed columns and plain JSON values', async () => {
    const outcome = await sut.run(
      'k1',
      buildSetup(TABLES),
      'SELECT order_id, amount, ordered_on, meta FROM orders WHERE order_id <= 2 ORDER BY order_id',
      101,
    );
    expect(outcome).toEqual({
      kind: 'ok',
      columns: [
        { name: 'order_id', type: 'bigint' },
        { name: 'amount', type: 'numeric' },
        { name: 'ordered_on', type: 'date' },
        { name: 'meta', type: 'jsonb' },
      ],
      rows: [
        [1, 0, '2025-01-15', { channel: 'store' }],
        [2, 1.5, '2025-01-15', { channel: 'web' }],
      ],
    });
  });

  it('should compute and return at most maxRows rows', async () => {
    const outcome = await sut.run('k1', buildSetup(TABLES), 'SELECT order_id FROM orders', 101);
    expect(outcome.kind === 'ok' && outcome.rows.length).toBe(101);
  });

  it('should not let a query write, even if it got past the guard', async () => {
    const outcome = await sut.run(
      'k1',
      buildSetup(TABLES),
      'WITH d AS (DELETE FROM orders RETURNING 1) SELECT count(*) FROM d',
      101,
    );
    expect(outcome.kind).toBe('error');
    const count = await sut.run('k1', buildSetup(TABLES), 'SELECT count(*) FROM orders', 101);
    expect(count).toMatchObject({ kind: 'ok', rows: [[150]] });
  });

  it('should not load hidden columns', async () => {
    const setup = buildSetup(TABLES, [{ table: 'orders', column: 'customer_email' }]);
    const outcome = await sut.run(
      'k2',
      setup,
      'SELECT to_jsonb(o) AS row FROM orders o LIMIT 1',
      101,
    );
    expect(outcome.kind).toBe('ok');
    expect(JSON.stringify(outcome)).not.toContain('customer_email');
  });

  it('should report a SQL error with the engine message', async () => {
    const outcome = await sut.run('k1', buildSetup(TABLES), 'SELECT nope FROM orders', 101);
    expect(outcome).toEqual({ kind: 'error', message: expect.stringContaining('nope') });
  });

  it('should stop a query that runs past the limit and serve the next one from a fresh worker', async () => {
    const started = Date.now();
    const outcome = await sut.run(
      'k1',
      buildSetup(TABLES),
      'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t',
      101,
    );
    expect(outcome).toEqual({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await sut.run('k1', buildSetup(TABLES), 'SELECT count(*) FROM orders', 101);
    expect(after).toMatchObject({ kind: 'ok', rows: [[150]] });
  });
});
