import request from 'supertest';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import { systemPrincipal } from 'src/auth/principal';
import { CatalogStoreService } from 'src/catalog/store/catalog-store.service';
import { OrganizationsService } from 'src/users/organizations.service';
import { demoKey } from 'test/factories/demo.factory';
import {
  addMember,
  createOrganizationKey,
  createUser,
  createUserKey,
} from 'test/factories/identity.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

const sys = systemPrincipal('test');

const product = (id: string, ownerTeam: string, overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'v1.0.0',
  kind: 'DataProduct',
  id,
  name: `Product ${id}`,
  status: 'draft',
  team: { name: ownerTeam },
  outputPorts: [{ name: `${id}_v1`, type: 'postgres', version: '1.0.0' }],
  ...overrides,
});

describe('Catalog REST API: permissions, conflicts and the bundle (e2e)', () => {
  let t: TestApp;
  let org: string;
  const keys: Record<string, string> = {};
  const api = () => request(t.url);
  const put = (path: string, key: string | undefined, body: object) => {
    const req = api().put(`/api/v1/${path}`);
    return (key ? req.set('x-api-key', key) : req).send(body);
  };

  beforeAll(async () => {
    t = await startTestApp({ AUTH_CACHE_TTL_MS: '0' });
    org = (await t.app.get(OrganizationsService).getBySlug('acme')).id;
    keys.alice = await demoKey(t.app, 'alice@acme.example', 'acme');
    keys.dave = await demoKey(t.app, 'dave@acme.example', 'acme');
    keys.carol = await demoKey(t.app, 'carol@acme.example', 'acme');
    keys.aliceReadOnly = await demoKey(t.app, 'alice@acme.example', 'acme', { readOnly: true });
    keys.org = (await createOrganizationKey(t.app, org)).key;
    keys.orgReadOnly = (
      await t.app
        .get(ApiKeyService)
        .create(sys, { name: 'ro', kind: 'organization', organizationId: org, readOnly: true })
    ).key;
    const people: Record<string, string> = {};
    for (const [name, role] of [
      ['admin', 'admin'],
      ['editor', 'member'],
      ['other', 'member'],
    ] as const) {
      const user = await createUser(t.app, name);
      await addMember(t.app, 'acme', user.email, role);
      keys[name] = (await createUserKey(t.app, org, user.id)).key;
      people[name] = user.email;
    }
    for (const [id, email] of [
      ['analytics', people.editor],
      ['growth', people.other],
    ]) {
      await put(`teams/${id}`, keys.alice, {
        id,
        name: id,
        type: 'Team',
        members: [{ emailAddress: email, role: 'Editor' }],
      }).expect(201);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('should require a credential on every route', async () => {
    for (const p of ['teams', 'dataproducts', 'datacontracts']) {
      await api().get(`/api/v1/${p}`).expect(401);
      await api().get(`/api/v1/${p}/x`).expect(401);
      await api().put(`/api/v1/${p}/x`).send({}).expect(401);
      await api().delete(`/api/v1/${p}/x`).expect(401);
    }
  });

  it('should let owners, admins, organization keys and the team’s editors write its products, and no one else', async () => {
    const cases: Array<[string, number]> = [
      ['alice', 201],
      ['admin', 200],
      ['editor', 200],
      ['org', 200],
      ['carol', 403],
      ['other', 403],
      ['dave', 403],
      ['aliceReadOnly', 403],
      ['orgReadOnly', 403],
    ];
    for (const [who, status] of cases) {
      const res = await put('dataproducts/analytics-product', keys[who], {
        ...product('analytics-product', 'analytics'),
        description: { purpose: `written by ${who}` },
      });
      expect([who, res.status]).toEqual([who, status]);
      if (status === 403) expect(res.body.error).toBe('forbidden');
    }
    const readOnly = await put('dataproducts/x', keys.aliceReadOnly, product('x', 'analytics'));
    expect(readOnly.body.message).toMatch(/read-only/);
    // Every member reads, read-only credentials included.
    for (const who of ['carol', 'aliceReadOnly', 'orgReadOnly', 'other']) {
      await api()
        .get('/api/v1/dataproducts/analytics-product')
        .set('x-api-key', keys[who])
        .expect(200);
    }
    // Team owners write their own team's products.
    await put(
      'dataproducts/marketing-extra',
      keys.dave,
      product('marketing-extra', 'marketing'),
    ).expect(201);
  });

  it('should need the right in both teams to move a product, RESOURCES_DELETE to delete it, and org admins for teams', async () => {
    const move = await put(
      'dataproducts/analytics-product',
      keys.editor,
      product('analytics-product', 'growth'),
    );
    expect(move.status).toBe(403);
    expect(move.body.message).toMatch(/team "growth"/);
    const del = await api()
      .delete('/api/v1/dataproducts/analytics-product')
      .set('x-api-key', keys.editor);
    expect(del.status).toBe(403);
    expect(del.body.message).toMatch(/RESOURCES_DELETE/);
    for (const who of ['editor', 'dave', 'carol']) {
      const res = await put('teams/analytics', keys[who], {
        id: 'analytics',
        name: 'A',
        type: 'Team',
      });
      expect([who, res.status]).toEqual([who, 403]);
    }
    await put('teams/by-admin', keys.admin, {
      id: 'by-admin',
      name: 'By admin',
      type: 'Team',
    }).expect(201);
    await put('teams/by-key', keys.org, { id: 'by-key', name: 'By key', type: 'Team' }).expect(201);
    await api().delete('/api/v1/teams/by-key').set('x-api-key', keys.admin).expect(204);
    await api()
      .delete('/api/v1/dataproducts/marketing-extra')
      .set('x-api-key', keys.dave)
      .expect(204);
  });

  it('should refuse (409) deleting what active agreements, products or child teams still use, saying which', async () => {
    const team = await api()
      .delete('/api/v1/teams/checkout')
      .set('x-api-key', keys.alice)
      .expect(409);
    expect(team.body.message).toMatch(/owns data product orders/);
    expect(team.body.details.usedBy).toEqual(
      expect.arrayContaining(['it owns data contract orders_npii_v1_contract']),
    );
    const domain = await api()
      .delete('/api/v1/teams/sales')
      .set('x-api-key', keys.alice)
      .expect(409);
    expect(domain.body.message).toMatch(/team checkout is its child/);

    const orders = await api()
      .delete('/api/v1/dataproducts/orders')
      .set('x-api-key', keys.alice)
      .expect(409);
    expect(orders.body.message).toMatch(
      /active access agreement .* of data product customer-cohorts on output port orders_npii_v1/,
    );
    const contract = await api()
      .delete('/api/v1/datacontracts/orders_npii_v1_contract')
      .set('x-api-key', keys.alice)
      .expect(409);
    expect(contract.body.message).toMatch(/on output port orders_npii_v1/);

    const got = await api()
      .get('/api/v1/dataproducts/orders')
      .set('x-api-key', keys.alice)
      .expect(200);
    const dropped = {
      ...got.body,
      outputPorts: got.body.outputPorts.filter(
        (p: { name: string }) => p.name !== 'orders_npii_v1',
      ),
    };
    const drop = await put('dataproducts/orders', keys.alice, dropped).expect(409);
    expect(drop.body.message).toMatch(
      /drops output ports .* customer-cohorts on output port orders_npii_v1/,
    );
    // The pii port has no active agreement (rejected, requested): dropping it is allowed.
    const withoutPii = {
      ...got.body,
      outputPorts: got.body.outputPorts.filter((p: { name: string }) => p.name !== 'orders_pii_v1'),
    };
    await put('dataproducts/orders', keys.alice, withoutPii).expect(200);
    const ports = await t.dataSource.query(
      `SELECT op.external_id FROM output_ports op JOIN data_products p ON p.id = op.data_product_id WHERE p.external_id = 'orders'`,
    );
    expect(ports).toEqual([{ external_id: 'orders_npii_v1' }]);
  });

  it('should export every document as GET returns it, and import that back as all unchanged (then dry-run and prune)', async () => {
    const store = t.app.get(CatalogStoreService);
    const exported = await store.exportAll(sys, org);
    const team = await api()
      .get('/api/v1/teams/analytics')
      .set('x-api-key', keys.alice)
      .expect(200);
    expect(exported.find((d) => d.kind === 'team' && d.id === 'analytics')?.body).toEqual(
      team.body,
    );
    const report = await store.applyBundle(sys, org, exported, {});
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.summary).toEqual({
      created: 0,
      updated: 0,
      unchanged: exported.length,
      deleted: 0,
    });

    const withoutAnalyticsProduct = exported.filter((d) => d.id !== 'analytics-product');
    const dry = await store.applyBundle(sys, org, withoutAnalyticsProduct, {
      prune: true,
      dryRun: true,
    });
    expect(dry).toMatchObject({ ok: true, dryRun: true });
    expect(dry.actions.filter((a) => a.action === 'delete')).toEqual([
      { kind: 'dataproduct', id: 'analytics-product', action: 'delete' },
    ]);
    await api()
      .get('/api/v1/dataproducts/analytics-product')
      .set('x-api-key', keys.alice)
      .expect(200);

    const withoutOrders = exported.filter((d) => d.id !== 'orders');
    const refused = await store.applyBundle(sys, org, withoutOrders, { prune: true });
    expect(refused.ok).toBe(false);
    expect(refused.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/prune cannot delete data product "orders": active access agreement/),
      ]),
    );
    await api()
      .get('/api/v1/dataproducts/analytics-product')
      .set('x-api-key', keys.alice)
      .expect(200);

    const applied = await store.applyBundle(sys, org, withoutAnalyticsProduct, { prune: true });
    expect(applied.summary.deleted).toBe(1);
    await api()
      .get('/api/v1/dataproducts/analytics-product')
      .set('x-api-key', keys.alice)
      .expect(404);
  });

  it('should report every problem of a bundle with its source and write nothing', async () => {
    const store = t.app.get(CatalogStoreService);
    const report = await store.applyBundle(sys, org, [
      {
        kind: 'team',
        id: 'loop-a',
        body: { id: 'loop-a', name: 'A', type: 'Team', parent: 'loop-b' },
        source: 'teams/a.yaml',
      },
      {
        kind: 'team',
        id: 'loop-b',
        body: { id: 'loop-b', name: 'B', type: 'Team', parent: 'loop-a' },
        source: 'teams/b.yaml',
      },
      {
        kind: 'dataproduct',
        id: 'p1',
        body: product('p1', 'nobody'),
        source: 'dataproducts/p1.yaml',
      },
      {
        kind: 'dataproduct',
        id: 'p1',
        body: product('p1', 'analytics'),
        source: 'dataproducts/p1-copy.yaml',
      },
      {
        kind: 'datacontract',
        id: 'c1',
        body: { kind: 'DataContract' },
        source: 'datacontracts/c1.yaml',
      },
    ]);
    expect(report.ok).toBe(false);
    const bySource = (s: string) =>
      report.problems.filter((p) => p.source === s).map((p) => p.path);
    expect(bySource('teams/a.yaml')).toEqual(['$.parent']);
    expect(bySource('teams/b.yaml')).toEqual(['$.parent']);
    expect(bySource('dataproducts/p1.yaml')).toEqual(['$.team.name']);
    expect(bySource('dataproducts/p1-copy.yaml')).toEqual(['$.id']);
    expect(bySource('datacontracts/c1.yaml').length).toBeGreaterThan(1);
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM teams WHERE external_id LIKE 'loop-%'`,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });
});
