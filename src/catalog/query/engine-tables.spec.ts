import { buildSetup, quoteIdent, sqlType } from 'src/catalog/query/engine-tables';

describe('buildSetup', () => {
  const table = {
    tableName: 'orders',
    columns: [
      { name: 'order_id', type: 'integer' },
      { name: 'customer_email', type: 'string' },
      { name: 'meta', type: 'object' },
    ],
    rows: [
      [1, 'a@example.com', { x: 1 }],
      [2, null],
    ],
  };

  it('should create the table with SQL types and insert every row as parameters', () => {
    expect(buildSetup([table])).toEqual([
      { sql: 'CREATE TABLE "orders" ("order_id" bigint, "customer_email" text, "meta" jsonb)' },
      {
        sql: 'INSERT INTO "orders" VALUES ($1, $2, $3)',
        rows: [
          [1, 'a@example.com', '{"x":1}'],
          [2, null, null],
        ],
      },
    ]);
  });

  it('should leave hidden columns out of the table and the rows', () => {
    const [create, insert] = buildSetup([table], [{ table: 'orders', column: 'customer_email' }]);
    expect(create.sql).toBe('CREATE TABLE "orders" ("order_id" bigint, "meta" jsonb)');
    expect(insert.rows).toEqual([
      [1, '{"x":1}'],
      [2, null],
    ]);
  });

  it('should quote identifiers so names cannot inject SQL', () => {
    expect(quoteIdent('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"');
  });

  it('should map unknown logical types to text', () => {
    expect(sqlType('timestamp')).toBe('timestamptz');
    expect(sqlType('Integer')).toBe('bigint');
    expect(sqlType('geometry')).toBe('text');
  });
});
