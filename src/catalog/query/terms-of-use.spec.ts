import type { OdcsDocument } from 'src/catalog/entities';
import { guardSql } from 'src/catalog/query/sql-guard';
import { evaluateTermsOfUse, mentions, TermsOfUseInput } from 'src/catalog/query/terms-of-use';

const PAYMENTS: OdcsDocument = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'payments_v1_contract',
  schema: [
    {
      name: 'payments',
      properties: [
        { name: 'payment_id', logicalType: 'string' },
        { name: 'amount', logicalType: 'number' },
        { name: 'iban_masked', logicalType: 'string', classification: 'restricted' },
      ],
    },
  ],
  roles: [
    { role: 'payments.analyst.read', access: 'read' },
    {
      role: 'payments.auditor.read',
      access: 'read',
      customProperties: [{ property: 'restrictedColumns', value: ['iban_masked'] }],
    },
  ],
  customProperties: [{ property: 'prohibitedPurposes', value: ['marketing', 'credit scoring'] }],
  slaProperties: [{ property: 'maxQueriesPerDay', value: 10 }],
};

const analyse = (sql: string) => {
  const result = guardSql(sql, ['payments']);
  if (!result.ok) throw new Error(result.reason);
  return result;
};

const input = (overrides: Partial<TermsOfUseInput> = {}): TermsOfUseInput => ({
  contract: PAYMENTS,
  purpose: 'Monitor fraud losses per month',
  grantedRoles: ['payments.analyst.read'],
  query: analyse('SELECT payment_id, amount FROM payments'),
  queriesToday: 0,
  ...overrides,
});

const reasonIds = (overrides: Partial<TermsOfUseInput>) =>
  evaluateTermsOfUse(input(overrides)).reasons.map((r) => r.id);

describe('evaluateTermsOfUse', () => {
  it('should allow a query that respects every term', () => {
    expect(evaluateTermsOfUse(input()).reasons).toEqual([]);
  });

  it.each([
    'marketing campaign',
    'Plan the MARKETING budget',
    'email marketing, spring',
    'marketing',
    'credit   scoring of applicants',
  ])('should deny the prohibited purpose in "%s"', (purpose) => {
    expect(reasonIds({ purpose })).toEqual(['prohibited_purpose']);
  });

  it.each(['remarketing study of churn', 'marketingteam budget review', 'credit score analysis'])(
    'should only match whole words: "%s" passes',
    (purpose) => {
      expect(reasonIds({ purpose })).toEqual([]);
    },
  );

  it.each([
    'SELECT iban_masked FROM payments',
    'SELECT p.IBAN_MASKED FROM payments p',
    'SELECT "iban_masked" FROM payments',
    'SELECT * FROM payments',
    'SELECT p.* FROM payments p',
    'SELECT count(*) FROM payments WHERE iban_masked IS NOT NULL',
    'WITH x AS (SELECT * FROM payments) SELECT payment_id FROM x',
  ])('should deny a restricted column not covered by the granted roles: %s', (sql) => {
    expect(reasonIds({ query: analyse(sql) })).toEqual(['restricted_columns']);
  });

  it('should allow a restricted column to a role that covers it', () => {
    const query = analyse('SELECT * FROM payments');
    expect(reasonIds({ query, grantedRoles: ['payments.auditor.read'] })).toEqual([]);
    expect(
      evaluateTermsOfUse(input({ grantedRoles: ['payments.auditor.read'] })).hiddenColumns,
    ).toEqual([]);
  });

  it('should accept table.column in restrictedColumns', () => {
    const contract = structuredClone(PAYMENTS);
    (contract.roles as Array<Record<string, unknown>>)[1].customProperties = [
      { property: 'restrictedColumns', value: ['payments.iban_masked'] },
    ];
    const query = analyse('SELECT iban_masked FROM payments');
    expect(reasonIds({ contract, query, grantedRoles: ['payments.auditor.read'] })).toEqual([]);
  });

  it('should not count a restricted name inside a string literal', () => {
    expect(reasonIds({ query: analyse(`SELECT 'iban_masked' AS label FROM payments`) })).toEqual(
      [],
    );
  });

  it('should hide uncovered restricted columns from the engine', () => {
    expect(evaluateTermsOfUse(input()).hiddenColumns).toEqual([
      { table: 'payments', column: 'iban_masked' },
    ]);
  });

  it('should cap queries per user and day from the SLA', () => {
    expect(reasonIds({ queriesToday: 9 })).toEqual([]);
    expect(reasonIds({ queriesToday: 10 })).toEqual(['max_queries_per_day']);
  });

  it('should report every violated term at once', () => {
    expect(
      reasonIds({
        purpose: 'marketing mailing',
        query: analyse('SELECT * FROM payments'),
        queriesToday: 99,
      }),
    ).toEqual(['prohibited_purpose', 'restricted_columns', 'max_queries_per_day']);
  });

  it('should apply no terms to a port without a contract', () => {
    expect(evaluateTermsOfUse(input({ contract: null, purpose: 'marketing' }))).toEqual({
      reasons: [],
      hiddenColumns: [],
    });
  });

  it('should tolerate a contract without terms', () => {
    expect(reasonIds({ contract: { id: 'x' }, query: analyse('SELECT * FROM payments') })).toEqual(
      [],
    );
  });
});

describe('mentions', () => {
  it('should treat regex characters in a phrase literally', () => {
    expect(mentions('a (b) c', '(b)')).toBe(true);
    expect(mentions('a b c', '(b)')).toBe(false);
    expect(mentions('use for c++ code', 'c++')).toBe(true);
    expect(mentions('anything', '.*')).toBe(false);
  });
});
