import type { OdcsDocument } from 'src/catalog/entities';
import {
  contractTablesWithColumns,
  exactNumber,
  isQueryStatement,
  shadowTables,
} from 'src/catalog/query/postgres-sql';

const contract = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'payments',
  version: '1.0.0',
  status: 'active',
  schema: [
    {
      name: 'payments',
      properties: [
        { name: 'payment_id', logicalType: 'string', physicalType: 'text' },
        { name: 'amount', logicalType: 'number' },
        { name: 'iban_masked', logicalType: 'string', classification: 'restricted' },
      ],
    },
    {
      name: 'Refunds',
      physicalName: 'refunds_v2',
      properties: [{ name: 'RefundId', physicalName: 'refund_id' }],
    },
    { name: 'notes' },
  ],
} as unknown as OdcsDocument;

describe('contractTablesWithColumns', () => {
  it('should list the contract tables by physical name with their columns and types', () => {
    const tables = contractTablesWithColumns(contract);
    expect(tables.map((t) => [t.name, t.columns])).toEqual([
      [
        'payments',
        [
          { name: 'payment_id', type: 'text' },
          { name: 'amount', type: 'number' },
          { name: 'iban_masked', type: 'string' },
        ],
      ],
      ['refunds_v2', [{ name: 'refund_id', type: 'unknown' }]],
      ['notes', []],
    ]);
    expect(contractTablesWithColumns(null)).toEqual([]);
  });
});

describe('shadowTables', () => {
  const tables = contractTablesWithColumns(contract);
  const sut = (sql: string, hidden = [{ table: 'payments', column: 'iban_masked' }]) =>
    shadowTables(sql, 'v1', tables, hidden);

  it('should read every port table through a CTE of its visible columns in the port schema', () => {
    expect(sut('SELECT * FROM payments')).toBe(
      'WITH "payments" AS NOT MATERIALIZED (SELECT "payment_id", "amount" FROM "v1"."payments"), ' +
        '"refunds_v2" AS NOT MATERIALIZED (SELECT "refund_id" FROM "v1"."refunds_v2"), ' +
        '"notes" AS NOT MATERIALIZED (SELECT * FROM "v1"."notes") SELECT * FROM payments',
    );
  });

  it('should keep a restricted column the roles cover, and match logical names of tables and columns', () => {
    expect(sut('SELECT 1', [])).toContain('SELECT "payment_id", "amount", "iban_masked" FROM');
    expect(sut('SELECT 1', [{ table: 'Refunds', column: 'RefundId' }])).toContain(
      '"refunds_v2" AS NOT MATERIALIZED (SELECT  FROM "v1"."refunds_v2")',
    );
  });

  it("should merge its CTEs into a query's own WITH clause, keeping RECURSIVE", () => {
    const own = sut('WITH big AS (SELECT * FROM payments WHERE amount > 100) SELECT * FROM big');
    expect(own).toMatch(
      /^WITH "payments" AS NOT MATERIALIZED \(.*\), big AS \(SELECT \* FROM payments WHERE amount > 100\) SELECT \* FROM big$/,
    );
    const recursive = sut(
      'with recursive n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n',
    );
    expect(recursive).toMatch(
      /^WITH RECURSIVE "payments" AS NOT MATERIALIZED .*, n\(i\) AS \(SELECT 1 UNION ALL/,
    );
  });

  it('should quote identifiers so a schema or column name cannot inject SQL', () => {
    const evil = contractTablesWithColumns({
      ...contract,
      schema: [{ name: 't', properties: [{ name: 'a"; DROP TABLE x; --' }] }],
    });
    expect(shadowTables('SELECT 1', 's"x', evil, [])).toBe(
      'WITH "t" AS NOT MATERIALIZED (SELECT "a""; DROP TABLE x; --" FROM "s""x"."t") SELECT 1',
    );
  });

  it('should leave a statement alone when the contract has no tables', () => {
    expect(shadowTables('SELECT 1', 'v1', [], [])).toBe('SELECT 1');
  });
});

describe('isQueryStatement', () => {
  it.each([
    ['SELECT 1', true],
    ['  with x as (select 1) select * from x', true],
    ['VALUES (1)', true],
    ['INSERT INTO t VALUES (1)', false],
    ['/* c */ SELECT 1', false],
  ])('%s → %s', (sql, expected) => {
    expect(isQueryStatement(sql)).toBe(expected);
  });
});

describe('exactNumber', () => {
  it('should turn exact values into numbers and keep the rest as text', () => {
    expect(exactNumber('42')).toBe(42);
    expect(exactNumber('12.50')).toBe(12.5);
    expect(exactNumber('9007199254740993')).toBe('9007199254740993');
    expect(exactNumber('1234567890.1234567')).toBe('1234567890.1234567');
  });
});
