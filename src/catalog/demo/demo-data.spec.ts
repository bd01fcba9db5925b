import { DEMO_DATA } from 'src/catalog/demo/demo-data';
import {
  DemoContract,
  DemoOutputPort,
  DemoProduct,
  LOGICAL_TYPES,
  LogicalType,
  resolveDate,
  toOdcsDocument,
} from 'src/catalog/demo/demo-model';

const sut = DEMO_DATA;

const ports = (org?: string): Array<{ product: DemoProduct; port: DemoOutputPort }> =>
  sut.products
    .filter((p) => !org || p.organization === org)
    .flatMap((product) => product.outputPorts.map((port) => ({ product, port })));
const portOf = (org: string, externalId: string) =>
  ports(org).find((p) => p.port.externalId === externalId);
const membersOf = (org: string): string[] =>
  sut.organizations.find((o) => o.slug === org)?.members.map((m) => m.email) ?? [];
const team = (org: string, externalId: string) =>
  sut.teams.find((t) => t.organization === org && t.externalId === externalId);
const restrictedColumns = (c: DemoContract): string[] =>
  c.tables
    .flatMap((t) => t.columns.filter((col) => col.classification === 'restricted'))
    .map((col) => col.name);

const VALUE_CHECKS: Record<LogicalType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length > 0,
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !isNaN(Date.parse(v)),
  timestamp: (v) =>
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v) &&
    !isNaN(Date.parse(v)),
};

const duplicates = (values: string[]): string[] => values.filter((v, i) => values.indexOf(v) !== i);

describe('demo data', () => {
  it('should hold the organizations, users and memberships of the demo data set', () => {
    expect(sut.organizations.map((o) => o.slug)).toEqual(['acme', 'globex']);
    expect(sut.users.map((u) => u.email)).toHaveLength(6);
    for (const u of sut.users) {
      expect(u.email).toBe(u.email.toLowerCase());
      expect(u.email).toMatch(/@[a-z]+\.example$/);
    }
    expect(membersOf('globex')).toContain('carol@acme.example');
    expect(membersOf('acme')).toContain('carol@acme.example');
    for (const o of sut.organizations) {
      expect(duplicates(o.members.map((m) => m.email))).toEqual([]);
      expect(o.members.filter((m) => m.role === 'owner')).toHaveLength(1);
      for (const m of o.members) expect(sut.users.map((u) => u.email)).toContain(m.email);
    }
  });

  it('should only put organization members into teams, under parents of the same organization', () => {
    const seen = new Set<string>();
    for (const t of sut.teams) {
      if (t.parent) expect(seen.has(`${t.organization}/${t.parent}`)).toBe(true);
      seen.add(`${t.organization}/${t.externalId}`);
      for (const m of t.members) expect(membersOf(t.organization)).toContain(m.email);
    }
    expect(duplicates([...seen])).toEqual([]);
    expect(team('globex', 'risk')?.members).toContainEqual({
      email: 'carol@acme.example',
      role: 'member',
    });
  });

  it('should give every product an owner team and certification of its own organization', () => {
    expect(sut.products).toHaveLength(10);
    for (const p of sut.products) {
      expect(team(p.organization, p.ownerTeam)).toBeDefined();
      if (p.certification) {
        expect(sut.certifications.map((c) => c.name)).toContain(p.certification);
      }
      for (const source of p.inputPorts) {
        expect(portOf(p.organization, source)?.product).not.toBe(p);
        expect(portOf(p.organization, source)).toBeDefined();
      }
      expect(p.description.purpose.length).toBeGreaterThan(10);
    }
    for (const org of ['acme', 'globex']) {
      expect(duplicates(ports(org).map((p) => p.port.externalId))).toEqual([]);
      expect(duplicates(ports(org).map((p) => p.port.contract.externalId))).toEqual([]);
    }
  });

  it('should give every port a contract whose schema matches its example tables', () => {
    expect(ports()).toHaveLength(11);
    for (const { product, port } of ports()) {
      const doc = toOdcsDocument(port.contract, product.ownerTeam) as {
        schema: Array<{ name: string; properties: Array<{ name: string; logicalType: string }> }>;
      };
      expect(doc).toMatchObject({
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: port.contract.externalId,
        version: '1.0.0',
        status: 'active',
        team: { name: product.ownerTeam },
      });
      expect(doc.schema.map((s) => s.name)).toEqual(port.contract.tables.map((t) => t.name));
      for (const [i, t] of port.contract.tables.entries()) {
        expect(doc.schema[i].properties.map((p) => [p.name, p.logicalType])).toEqual(
          t.columns.map((c) => [c.name, c.logicalType]),
        );
        expect(t.rows.length).toBeGreaterThanOrEqual(10);
        expect(t.rows.length).toBeLessThanOrEqual(30);
        for (const row of t.rows) {
          expect(row).toHaveLength(t.columns.length);
          t.columns.forEach((c, j) => {
            expect(LOGICAL_TYPES).toContain(c.logicalType);
            const ok = row[j] === null ? !c.required : VALUE_CHECKS[c.logicalType](row[j]);
            if (!ok) throw new Error(`${port.externalId}.${t.name}.${c.name}: ${String(row[j])}`);
          });
        }
      }
    }
  });

  it('should restrict exactly the PII columns and cover them only by the named roles', () => {
    const restricted = ports()
      .map(({ port }) => [port.externalId, restrictedColumns(port.contract)])
      .filter(([, cols]) => cols.length > 0);
    expect(restricted).toEqual([
      ['orders_pii_v1', ['customer_email']],
      ['payments_v1', ['iban_masked']],
    ]);
    const covering = ports().flatMap(({ port }) =>
      port.contract.roles
        .filter((r) => r.customProperties?.some((p) => p.value.length > 0))
        .map((r) => [r.role, r.customProperties?.[0].value]),
    );
    expect(covering).toEqual([
      ['orders.pii.read', ['customer_email']],
      ['payments.auditor.read', ['iban_masked']],
    ]);
    expect(portOf('acme', 'customers_v1')?.port.contract.roles.map((r) => r.role)).toEqual([
      'customer.analyst',
      'customer.support',
    ]);
  });

  it('should carry the terms of use of Payments and the query cap of Customer Cohorts', () => {
    expect(portOf('globex', 'payments_v1')?.port.contract.customProperties).toEqual([
      { property: 'prohibitedPurposes', value: ['marketing'] },
    ]);
    expect(portOf('acme', 'customer_cohorts_v1')?.port.contract.slaProperties).toEqual([
      { property: 'maxQueriesPerDay', value: 10 },
    ]);
  });

  it('should only reference existing ports, users, teams, products and contract roles in agreements', () => {
    expect(sut.agreements).toHaveLength(11);
    expect(duplicates(sut.agreements.map((a) => a.externalId))).toEqual([]);
    for (const a of sut.agreements) {
      const provider = portOf(a.organization, a.port);
      expect(provider).toBeDefined();
      const c = a.consumer;
      if (c.type === 'user') expect(membersOf(a.organization)).toContain(c.email);
      if (c.type === 'team') expect(team(a.organization, c.team)).toBeDefined();
      if (c.type === 'data_product') {
        expect(
          sut.products.some((p) => p.organization === a.organization && p.externalId === c.product),
        ).toBe(true);
      }
      expect(membersOf(a.organization)).toContain(a.requestedBy);
      if (a.decidedBy) expect(membersOf(a.organization)).toContain(a.decidedBy);
      const roles = provider!.port.contract.roles.map((r) => r.role);
      for (const r of a.roles) expect(roles).toContain(r);
      expect(a.purpose.length).toBeGreaterThanOrEqual(10);
      if (a.status === 'approved') expect(a.startDate).not.toBeNull();
      if (a.autoApproved) expect(a.status).toBe('approved');
    }
  });

  it('should only let provider-team owners or approvers (or organization owners) decide', () => {
    for (const a of sut.agreements.filter((x) => x.decidedBy && x.status !== 'canceled')) {
      const provider = portOf(a.organization, a.port)!;
      const teamRole = team(a.organization, provider.product.ownerTeam)?.members.find(
        (m) => m.email === a.decidedBy,
      )?.role;
      const orgRole = sut.organizations
        .find((o) => o.slug === a.organization)
        ?.members.find((m) => m.email === a.decidedBy)?.role;
      expect(teamRole === 'owner' || teamRole === 'approver' || orgRole === 'owner').toBe(true);
    }
  });

  it('should cover every status and the expired and upcoming lifecycles', () => {
    const day = '2025-01-31';
    expect(new Set(sut.agreements.map((a) => a.status))).toEqual(
      new Set(['requested', 'approved', 'rejected', 'canceled']),
    );
    const approved = sut.agreements.filter((a) => a.status === 'approved');
    const expired = approved.filter((a) => a.endDate && resolveDate(a.endDate, day) < day);
    const upcoming = approved.filter((a) => a.startDate && resolveDate(a.startDate, day) > day);
    expect(expired.map((a) => a.externalId)).toEqual(['acme-dave-shelf-warmers']);
    expect(upcoming.map((a) => a.externalId)).toEqual(['acme-bob-customer-cohorts']);
    expect(resolveDate(upcoming[0].startDate!, day)).toBe('2025-02-01');
    const rejected = sut.agreements.find((a) => a.status === 'rejected');
    expect(rejected).toMatchObject({
      decidedBy: 'alice@acme.example',
      decisionComment: 'PII not needed, use orders_npii_v1',
    });
  });
});

describe('resolveDate', () => {
  it('should roll over months and years', () => {
    expect(resolveDate('first-of-next-month', '2024-12-15')).toBe('2025-01-01');
    expect(resolveDate({ days: -30 }, '2025-03-01')).toBe('2025-01-30');
    expect(resolveDate({ days: 1 }, '2024-02-28')).toBe('2024-02-29');
  });
});
