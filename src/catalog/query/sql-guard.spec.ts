import { guardSql } from 'src/catalog/query/sql-guard';

const TABLES = ['orders', 'order_items'];
const sut = (sql: string, tables: readonly string[] = TABLES) => guardSql(sql, tables);

const accepted = (sql: string) => {
  const result = sut(sql);
  if (!result.ok) throw new Error(`refused ${sql}: ${result.reason}`);
  return result;
};
const refusal = (sql: string): string => {
  const result = sut(sql);
  if (result.ok) throw new Error(`accepted ${sql}`);
  return result.reason;
};

describe('guardSql', () => {
  describe('accepts read-only queries over the port tables', () => {
    it.each([
      'SELECT * FROM orders',
      'select order_id from orders where status = $$x$$',
      '  SELECT 1  ',
      'SELECT count(*) FROM orders;',
      'SELECT count(*) FROM orders ;  ',
      'SELECT o.order_id, i.sku FROM orders o JOIN order_items i ON i.order_id = o.order_id',
      'SELECT * FROM orders o LEFT OUTER JOIN order_items AS i USING (order_id)',
      'SELECT * FROM orders, order_items',
      'SELECT * FROM "orders"',
      'SELECT * FROM (orders JOIN order_items ON true)',
      'SELECT * FROM orders CROSS JOIN LATERAL (SELECT 1 AS one) x',
      'SELECT * FROM (SELECT order_id FROM orders) AS sub',
      'WITH recent AS (SELECT * FROM orders) SELECT * FROM recent',
      'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT n FROM t',
      'WITH a AS MATERIALIZED (SELECT 1), b (x) AS (SELECT 2) SELECT * FROM a, b',
      'SELECT extract(year FROM ordered_on) AS y, substring(status FROM 1 FOR 2) FROM orders',
      'SELECT trim(both FROM status) FROM orders',
      'SELECT * FROM orders WHERE status IS DISTINCT FROM $$x$$',
      'SELECT * FROM orders WHERE status IS NOT DISTINCT FROM NULL',
      'SELECT * FROM orders WHERE order_id IN (SELECT order_id FROM order_items)',
      'SELECT * FROM orders ORDER BY ordered_on DESC, order_id LIMIT 10 OFFSET 5',
      'SELECT status, count(*) FROM orders GROUP BY status HAVING count(*) > 1',
      'SELECT * FROM orders UNION ALL SELECT * FROM orders',
      'SELECT generate_series(1, 3) AS n',
      "SELECT now()::date, '2020-01-01'::timestamp with time zone",
      'SELECT row_number() OVER w FROM orders WINDOW w AS (ORDER BY order_id)',
      'SELECT * FROM (VALUES (1), (2)) AS v(x)',
      'SELECT a * b, 2*3 FROM orders',
    ])('%s', (sql) => {
      expect(accepted(sql).ok).toBe(true);
    });
  });

  describe('keywords only count as whole words outside string literals', () => {
    it.each([
      ["SELECT * FROM orders WHERE status = 'delete me; drop table orders'"],
      ["SELECT 'INSERT INTO x' AS text"],
      ["SELECT E'it\\'s an update' AS text"],
      ['SELECT $tag$ CREATE TABLE x $tag$ AS text'],
      ['SELECT updated_at, created_by, deleted, dropped_at FROM orders'],
      ['SELECT "insert" FROM orders'],
      ["SELECT * FROM orders WHERE note = '-- not a comment' OR note = '/* nor this */'"],
    ])('%s', (sql) => {
      expect(accepted(sql).ok).toBe(true);
    });
  });

  it('should strip one trailing semicolon from the statement', () => {
    expect(accepted('SELECT 1 FROM orders ; ').sql).toBe('SELECT 1 FROM orders');
  });

  it.each([
    ['SELECT 1; SELECT 2', /one statement/],
    ['SELECT 1; DROP TABLE orders', /one statement/],
    ['SELECT 1;;', /one statement/],
    ["SELECT 'a';\nDELETE FROM orders", /one statement/],
  ])('should refuse a second statement: %s', (sql, reason) => {
    expect(refusal(sql)).toMatch(reason);
  });

  it.each([
    'SELECT 1 -- comment',
    'SELECT 1 /* comment */',
    'SELECT * FROM orders--',
    'SELECT /*+ hint */ * FROM orders',
    'SELECT 1 +/* x */ 2',
  ])('should refuse comments: %s', (sql) => {
    expect(refusal(sql)).toMatch(/Comments are not allowed/);
  });

  it.each([
    'INSERT INTO orders VALUES (1)',
    'UPDATE orders SET status = 1',
    'DELETE FROM orders',
    'EXPLAIN SELECT 1',
    'VALUES (1)',
    'TABLE orders',
    '(SELECT 1)',
    'SET search_path = x',
    'COPY orders TO STDOUT',
    '',
    '   ',
  ])('should refuse statements that do not start with SELECT or WITH: %s', (sql) => {
    expect(refusal(sql)).toMatch(/must start with SELECT or WITH/);
  });

  it.each([
    ['WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d', 'DELETE'],
    ['WITH u AS (UPDATE orders SET x = 1 RETURNING *) SELECT 1', 'UPDATE'],
    ['WITH i AS (INSERT INTO orders VALUES (1) RETURNING *) SELECT 1', 'INSERT'],
    ['SELECT * FROM orders FOR UPDATE', 'UPDATE'],
    ['SELECT 1 WHERE EXISTS (SELECT 1) MERGE', 'MERGE'],
    ['SELECT drop FROM orders', 'DROP'],
    ['SELECT create', 'CREATE'],
    ['SELECT 1 AS alter', 'ALTER'],
    ['SELECT truncate', 'TRUNCATE'],
    ['SELECT grant', 'GRANT'],
    ['SELECT Revoke', 'REVOKE'],
    ['SELECT copy', 'COPY'],
    ['SELECT call', 'CALL'],
    ['SELECT attach', 'ATTACH'],
    ['SELECT pragma', 'PRAGMA'],
  ])('should refuse forbidden keywords as whole words: %s', (sql, keyword) => {
    expect(refusal(sql)).toBe(
      `${keyword} is not allowed: execute_query runs read-only SELECT queries`,
    );
  });

  it.each([
    'SELECT * FROM users',
    'SELECT * FROM orders, api_keys',
    'SELECT * FROM orders JOIN secrets ON true',
    'SELECT * FROM orders o, LATERAL (SELECT 1) x, tokens',
    'SELECT * FROM (orders JOIN secrets ON true)',
    'SELECT * FROM orders WHERE order_id IN (SELECT id FROM users)',
    'WITH x AS (SELECT * FROM users) SELECT * FROM x',
    'SELECT (SELECT max(id) FROM users)',
    'SELECT * FROM orders UNION SELECT * FROM users',
    'SELECT * FROM other.orders',
    'SELECT * FROM a.b.orders',
    'SELECT * FROM public.orders',
    'SELECT p FROM public.orders p',
    'SELECT * FROM "Orders"',
    'SELECT * FROM orders WHERE order_id IN (TABLE users)',
    'SELECT * FROM users WINDOW users AS (ORDER BY 1)',
    'SELECT * FROM orders, users WINDOW w AS (ORDER BY 1), users AS (ORDER BY 2)',
  ])('should refuse other tables: %s', (sql) => {
    expect(refusal(sql)).toMatch(/is not a table of this output port/);
  });

  it.each([
    'SELECT * FROM generate_series(1, 10)',
    'SELECT * FROM orders, generate_series(1, 1000000) g',
    'SELECT * FROM orders CROSS JOIN LATERAL unnest(ARRAY[1]) u',
    'SELECT * FROM ROWS FROM (generate_series(1, 2))',
  ])('should refuse functions in FROM: %s', (sql) => {
    expect(refusal(sql)).toMatch(/Functions in FROM|is not a table/);
  });

  it.each([
    'SELECT * FROM pg_catalog.pg_user',
    'SELECT * FROM pg_user',
    'SELECT * FROM information_schema.tables',
    'SELECT * FROM "information_schema"."tables"',
    'SELECT pg_sleep(10)',
    'SELECT pg_read_file($$/etc/passwd$$)',
    'SELECT current_setting($$x$$) FROM orders JOIN pg_catalog.pg_roles ON true',
  ])('should refuse system catalogs and pg_ functions: %s', (sql) => {
    expect(refusal(sql)).toMatch(/System objects/);
  });

  it.each([
    "SELECT query_to_xml('SELECT * FROM secret.t', true, false, '')",
    'SELECT Table_To_Xml($$orders$$, true, false, $$$$)',
    "SELECT * FROM orders WHERE 'x' = set_config('search_path', 'secret', true)",
    "SELECT dblink('host=db', 'SELECT 1')",
    'SELECT lo_get(1)',
  ])('should refuse functions that run SQL of their own: %s', (sql) => {
    expect(refusal(sql)).toMatch(/runs SQL of its own/);
  });

  it.each([
    ["SELECT 'unterminated", /Unterminated string/],
    ['SELECT "unterminated', /Unterminated quoted identifier/],
    ['SELECT $a$ never closed', /Unterminated dollar-quoted/],
    ['SELECT (1', /Unbalanced parentheses/],
    ['SELECT 1)', /Unbalanced parentheses/],
    ['SELECT \\x', /Unexpected character/],
  ])('should refuse malformed input: %s', (sql, reason) => {
    expect(refusal(sql)).toMatch(reason);
  });

  it('should refuse overly long queries', () => {
    expect(refusal(`SELECT ${'1,'.repeat(20_000)}1`)).toMatch(/longer than/);
  });

  it('should report the port tables the query reads, CTE names excluded', () => {
    expect(accepted('WITH x AS (SELECT * FROM order_items) SELECT * FROM x').tables).toEqual([
      'order_items',
    ]);
  });

  it('should collect identifiers, bare ones lower-cased, but not string contents', () => {
    const { identifiers } = accepted(
      `SELECT Customer_Email, "MixedCase" FROM orders WHERE x = 'iban_masked'`,
    );
    expect(identifiers.has('customer_email')).toBe(true);
    expect(identifiers.has('MixedCase')).toBe(true);
    expect(identifiers.has('iban_masked')).toBe(false);
  });

  it.each([
    ['SELECT * FROM orders', true],
    ['SELECT o.* FROM orders o', true],
    ['SELECT order_id, * FROM orders', true],
    ['SELECT DISTINCT * FROM orders', true],
    ['SELECT DISTINCT ON (status) * FROM orders', true],
    ['SELECT count(*) FROM orders', false],
    ['SELECT amount * 2 FROM orders', false],
    ['SELECT (amount) * 2 FROM orders', false],
  ])('should tell whether %s selects *', (sql, star) => {
    expect(accepted(sql).selectsStar).toBe(star);
  });

  it('should allow no table at all when the port has none', () => {
    expect(guardSql('SELECT * FROM orders', []).ok).toBe(false);
    expect(guardSql('SELECT 1', []).ok).toBe(true);
  });
});
