import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { DemoSeedService } from 'src/catalog/demo/demo-seed.service';
import { AccessAgreement } from 'src/catalog/entities';
import { UsersService } from 'src/users/users.service';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

const TABLES = [
  'organizations',
  'users',
  'memberships',
  'teams',
  'team_members',
  'certifications',
  'data_products',
  'output_ports',
  'input_ports',
  'data_contracts',
  'data_contract_versions',
  'example_tables',
  'access_agreements',
] as const;

const SEEDED = {
  organizations: 2,
  users: 6,
  memberships: 7,
  teams: 10,
  team_members: 12,
  certifications: 6,
  data_products: 10,
  output_ports: 11,
  input_ports: 5,
  data_contracts: 11,
  data_contract_versions: 11,
  example_tables: 11,
  access_agreements: 11,
};

const DEMO_EMAILS = [
  'alice@acme.example',
  'bob@acme.example',
  'carol@acme.example',
  'dave@acme.example',
  'erin@globex.example',
  'frank@globex.example',
];

async function counts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = row.n;
  }
  return out;
}

interface OdcsProperty {
  name: string;
  logicalType: string;
  classification?: string;
}
interface StoredContract {
  schema: Array<{ name: string; properties: OdcsProperty[] }>;
  roles: Array<{ role: string; access: string; customProperties?: unknown }>;
  customProperties?: unknown;
  slaProperties?: unknown;
}

interface AgreementRow {
  external_id: string;
  status: string;
  start_date: string | null;
  end_date: string | null;
  auto_approved: boolean;
  purpose: string;
  roles: string[];
  decision_comment: string | null;
  consumer_type: string;
  port: string;
  requested_by: string;
  decided_by: string | null;
  provider_team: string;
  owner_is_provider: boolean;
}

const today = (): string => new Date().toISOString().slice(0, 10);
const firstOfNextMonth = (): string => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
};

describe('demo seed (e2e)', () => {
  let t: TestApp;
  let sut: DemoSeedService;
  beforeAll(async () => {
    t = await startTestApp();
    sut = t.app.get(DemoSeedService);
  });
  afterAll(async () => {
    await t.close();
  });

  it('should seed the organizations, users, teams and catalog of the demo data set', async () => {
    expect(await counts(t.dataSource)).toEqual(SEEDED);
  });

  it('should make carol a member of both organizations and alice and erin their owners', async () => {
    const rows: Array<{ slug: string; email: string; role: string }> = await t.dataSource.query(`
      SELECT o.slug, u.email, m.role FROM memberships m
      JOIN organizations o ON o.id = m.organization_id JOIN users u ON u.id = m.user_id
      ORDER BY o.slug, u.email`);
    expect(rows.map((r) => `${r.slug} ${r.email} ${r.role}`)).toEqual([
      'acme alice@acme.example owner',
      'acme bob@acme.example member',
      'acme carol@acme.example member',
      'acme dave@acme.example member',
      'globex carol@acme.example member',
      'globex erin@globex.example owner',
      'globex frank@globex.example member',
    ]);
  });

  it('should store team types, parents and lower-case team roles', async () => {
    const rows: Array<{ line: string }> = await t.dataSource.query(`
      SELECT o.slug || ' ' || t.external_id || ' ' || t.type || ' ' || coalesce(p.external_id, '-')
        || ' ' || coalesce(string_agg(split_part(u.email, '@', 1) || ':' || tm.role, ',' ORDER BY u.email), '')
        AS line
      FROM teams t JOIN organizations o ON o.id = t.organization_id
      LEFT JOIN teams p ON p.id = t.parent_team_id
      LEFT JOIN team_members tm ON tm.team_id = t.id LEFT JOIN users u ON u.id = tm.user_id
      GROUP BY o.slug, t.external_id, t.type, p.external_id ORDER BY 1`);
    expect(rows.map((r) => r.line)).toEqual([
      'acme checkout Team sales alice:owner,bob:approver',
      'acme data-platform Platform Team - dave:owner',
      'acme fulfillment Team supply-chain bob:owner',
      'acme governance Governance Group - alice:steward',
      'acme marketing Team sales carol:member,dave:owner',
      'acme sales Domain - ',
      'acme supply-chain Domain - ',
      'globex finance Team - erin:approver,frank:owner',
      'globex payments Team - erin:owner',
      'globex risk Team - carol:member,frank:owner',
    ]);
  });

  it('should give products their status, certification and owner team, ports their flags', async () => {
    const rows: Array<{ line: string }> = await t.dataSource.query(`
      SELECT concat_ws(' ', dp.external_id, dp.status, coalesce(c.name || c.rank, '-'), tm.external_id,
        op.external_id, op.type, op.status, op.auto_approve, op.contains_pii) AS line
      FROM output_ports op JOIN data_products dp ON dp.id = op.data_product_id
      JOIN teams tm ON tm.id = dp.owner_team_id
      LEFT JOIN certifications c ON c.id = dp.certification_id ORDER BY op.external_id`);
    expect(rows.map((r) => r.line)).toEqual([
      'customer-cohorts active - marketing customer_cohorts_v1 bigquery active t f',
      'customers active Silver2 checkout customers_v1 postgres active f t',
      'fraud-scores active Silver2 risk fraud_scores_v1 snowflake active f f',
      'monthly-revenue active - finance monthly_revenue_v1 postgres active t f',
      'orders active Gold1 checkout orders_npii_v1 postgres active t f',
      'orders active Gold1 checkout orders_pii_v1 postgres active f t',
      'payments active Gold1 payments payments_v1 postgres active f t',
      'search-queries deprecated - marketing search_queries_all_npii_v1 s3 active t f',
      'shelf-warmers active Silver2 fulfillment shelf_warmers_v1 snowflake active t f',
      'shipments draft - fulfillment shipments_v1 s3 active f f',
      'stock-levels active Bronze3 fulfillment stock_levels_v1 snowflake active f f',
    ]);
  });

  it('should record the lineage as input ports', async () => {
    const rows: Array<{ line: string }> = await t.dataSource.query(`
      SELECT dp.external_id || ' <- ' || op.external_id AS line FROM input_ports ip
      JOIN data_products dp ON dp.id = ip.data_product_id
      JOIN output_ports op ON op.id = ip.source_output_port_id ORDER BY 1`);
    expect(rows.map((r) => r.line)).toEqual([
      'customer-cohorts <- orders_npii_v1',
      'fraud-scores <- payments_v1',
      'monthly-revenue <- payments_v1',
      'shelf-warmers <- orders_npii_v1',
      'shelf-warmers <- stock_levels_v1',
    ]);
  });

  it('should link every port to an active ODCS contract of its owner team with matching example tables', async () => {
    const ports: Array<{
      id: string;
      external_id: string;
      contract_id: string;
      document: StoredContract;
      product_team: string;
      contract_team: string;
    }> = await t.dataSource.query(`
      SELECT op.id, op.external_id, c.external_id AS contract_id, c.status, c.version, c.document,
        tm.external_id AS product_team, ct.external_id AS contract_team,
        (SELECT count(*)::int FROM data_contract_versions v
          WHERE v.data_contract_id = c.id AND v.version = c.version) AS versions
      FROM output_ports op JOIN data_products dp ON dp.id = op.data_product_id
      JOIN teams tm ON tm.id = dp.owner_team_id
      JOIN data_contracts c ON c.id = op.data_contract_id JOIN teams ct ON ct.id = c.owner_team_id`);
    expect(ports).toHaveLength(11);
    for (const p of ports) {
      expect(p).toMatchObject({ status: 'active', version: '1.0.0', versions: 1 });
      expect(p.contract_team).toBe(p.product_team);
      expect(p.document).toMatchObject({
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: p.contract_id,
        version: '1.0.0',
        status: 'active',
        team: { name: p.product_team },
      });
      const tables: Array<{ table_name: string; columns: unknown[]; rows: unknown[][] }> =
        await t.dataSource.query(
          'SELECT table_name, columns, rows FROM example_tables WHERE output_port_id = $1',
          [p.id],
        );
      const schema = p.document.schema;
      expect(tables.map((x) => x.table_name).sort()).toEqual(schema.map((s) => s.name).sort());
      for (const s of schema) {
        const table = tables.find((x) => x.table_name === s.name)!;
        expect(table.columns).toEqual(
          s.properties.map((prop) => ({ name: prop.name, type: prop.logicalType })),
        );
        expect(table.rows.length).toBeGreaterThanOrEqual(10);
        expect(table.rows.length).toBeLessThanOrEqual(30);
        for (const row of table.rows) expect(row).toHaveLength(table.columns.length);
      }
    }
  });

  it('should store the terms of use: restricted columns, covering roles, purposes and the query cap', async () => {
    const docs: Array<{ external_id: string; document: StoredContract }> = await t.dataSource.query(
      'SELECT external_id, document FROM data_contracts ORDER BY external_id',
    );
    const doc = (port: string) => docs.find((d) => d.external_id === `${port}_contract`)!.document;
    const restricted = (port: string) =>
      doc(port)
        .schema.flatMap((s) => s.properties)
        .filter((prop) => prop.classification === 'restricted')
        .map((prop) => prop.name);
    expect(restricted('orders_pii_v1')).toEqual(['customer_email']);
    expect(restricted('payments_v1')).toEqual(['iban_masked']);
    expect(restricted('orders_npii_v1')).toEqual([]);
    expect(doc('payments_v1').roles).toEqual([
      expect.objectContaining({ role: 'payments.analyst.read', access: 'read' }),
      expect.objectContaining({
        role: 'payments.auditor.read',
        customProperties: [{ property: 'restrictedColumns', value: ['iban_masked'] }],
      }),
    ]);
    expect(doc('payments_v1').roles[0].customProperties).toBeUndefined();
    expect(doc('payments_v1').customProperties).toEqual([
      { property: 'prohibitedPurposes', value: ['marketing'] },
    ]);
    expect(doc('customer_cohorts_v1').slaProperties).toEqual([
      { property: 'maxQueriesPerDay', value: 10 },
    ]);
    expect(doc('customers_v1').roles.map((r) => r.role)).toEqual([
      'customer.analyst',
      'customer.support',
    ]);
    expect(doc('orders_pii_v1').roles).toContainEqual(
      expect.objectContaining({
        role: 'orders.pii.read',
        customProperties: [{ property: 'restrictedColumns', value: ['customer_email'] }],
      }),
    );
  });

  it('should seed agreements in every status, with an expired and an upcoming one', async () => {
    const rows: AgreementRow[] = await t.dataSource.query(`
      SELECT a.external_id, a.status, a.start_date::text AS start_date, a.end_date::text AS end_date,
        a.auto_approved, a.purpose, a.roles, a.decision_comment, a.consumer_type,
        op.external_id AS port, req.email AS requested_by, dec.email AS decided_by,
        pt.external_id AS provider_team, dp.owner_team_id = a.provider_team_id AS owner_is_provider
      FROM access_agreements a JOIN output_ports op ON op.id = a.provider_output_port_id
      JOIN data_products dp ON dp.id = a.provider_data_product_id AND dp.id = op.data_product_id
      JOIN teams pt ON pt.id = a.provider_team_id
      JOIN users req ON req.id = a.requested_by LEFT JOIN users dec ON dec.id = a.decided_by`);
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set(['requested', 'approved', 'rejected', 'canceled']),
    );
    for (const r of rows) {
      expect(r.owner_is_provider).toBe(true);
      expect(r.purpose.length).toBeGreaterThanOrEqual(10);
    }
    const by = (id: string) => rows.find((r) => r.external_id === id)!;
    const expired = rows.filter(
      (r) => r.status === 'approved' && r.end_date && r.end_date < today(),
    );
    expect(expired.map((r) => r.external_id)).toEqual(['acme-dave-shelf-warmers']);
    const upcoming = rows.filter(
      (r) => r.status === 'approved' && r.start_date !== null && r.start_date > today(),
    );
    expect(upcoming.map((r) => [r.external_id, r.start_date])).toEqual([
      ['acme-bob-customer-cohorts', firstOfNextMonth()],
    ]);
    expect(by('acme-carol-orders-pii')).toMatchObject({
      status: 'rejected',
      decided_by: 'alice@acme.example',
      decision_comment: 'PII not needed, use orders_npii_v1',
    });
    expect(by('acme-carol-customers')).toMatchObject({
      status: 'requested',
      port: 'customers_v1',
      roles: ['customer.analyst'],
      purpose: 'Analyse churn of top customers',
    });
    expect(by('acme-marketing-customers')).toMatchObject({
      status: 'canceled',
      consumer_type: 'team',
      decided_by: 'dave@acme.example',
    });
    expect(by('globex-risk-payments')).toMatchObject({
      status: 'approved',
      roles: ['payments.analyst.read'],
      provider_team: 'payments',
    });
    expect(by('globex-carol-payments')).toMatchObject({ status: 'requested', port: 'payments_v1' });
    expect(
      rows
        .filter((r) => r.auto_approved)
        .map((r) => r.external_id)
        .sort(),
    ).toEqual([
      'acme-bob-customer-cohorts',
      'acme-customer-cohorts-orders-npii',
      'acme-dave-shelf-warmers',
      'acme-shelf-warmers-orders-npii',
      'acme-shelf-warmers-stock-levels',
      'globex-carol-monthly-revenue',
    ]);
  });

  it('should let every demo user sign in with the configured password', async () => {
    const users = t.app.get(UsersService);
    for (const email of DEMO_EMAILS) {
      expect(await users.authenticate(email, DEMO_PASSWORD)).toMatchObject({ email });
    }
    expect(await users.authenticate('alice@acme.example', 'wrong-password')).toBeNull();
  });

  it('should change nothing on a second seed, not even the passwords', async () => {
    const before = await counts(t.dataSource);
    const result = await sut.seed({ password: 'another-demo-password' });
    expect(result).toEqual({
      created: false,
      users: DEMO_EMAILS,
      organizations: ['acme', 'globex'],
    });
    expect(await counts(t.dataSource)).toEqual(before);
    const users = t.app.get(UsersService);
    expect(await users.authenticate('alice@acme.example', DEMO_PASSWORD)).not.toBeNull();
    expect(await users.authenticate('alice@acme.example', 'another-demo-password')).toBeNull();
  });

  it('should fill in a missing piece without duplicating the rest', async () => {
    await t.dataSource.query(
      `DELETE FROM access_agreements WHERE external_id = 'acme-carol-customers'`,
    );
    await t.dataSource.query(`DELETE FROM example_tables WHERE table_name = 'payments'`);
    const result = await sut.seed({});
    expect(result.created).toBe(true);
    expect(result.generatedPassword).toBeUndefined();
    expect(await counts(t.dataSource)).toEqual(SEEDED);
  });
});

describe('demo seed on an empty database (e2e)', () => {
  let t: TestApp;
  let sut: DemoSeedService;
  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
    sut = t.app.get(DemoSeedService);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('should roll everything back when a step fails', async () => {
    const insert = EntityManager.prototype.insert;
    jest.spyOn(EntityManager.prototype, 'insert').mockImplementation(function (
      this: EntityManager,
      target: unknown,
      values: unknown,
    ) {
      if (target === AccessAgreement) return Promise.reject(new Error('disk full'));
      return insert.call(this, target as EntityTarget<ObjectLiteral>, values as ObjectLiteral);
    });
    try {
      await expect(sut.seed({})).rejects.toThrow('disk full');
    } finally {
      jest.restoreAllMocks();
    }
    const empty = await counts(t.dataSource);
    expect(Object.values(empty).every((n) => n === 0)).toBe(true);
  });

  it('should generate a strong password when none is given, and return it only once', async () => {
    const first = await sut.seed({});
    expect(first.created).toBe(true);
    expect(first.generatedPassword).toMatch(/^[A-Za-z0-9]{16,}$/);
    const users = t.app.get(UsersService);
    expect(await users.authenticate('alice@acme.example', first.generatedPassword!)).toMatchObject({
      email: 'alice@acme.example',
    });
    expect(await users.authenticate('carol@acme.example', DEMO_PASSWORD)).toBeNull();
    const second = await sut.seed({});
    expect(second.created).toBe(false);
    expect(second.generatedPassword).toBeUndefined();
    expect(await counts(t.dataSource)).toEqual(SEEDED);
  });
});
