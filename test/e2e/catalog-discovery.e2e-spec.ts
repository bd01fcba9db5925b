import { ErrorCode } from 'src/common/errors/domain-error';
import { DataContractsService } from 'src/catalog/data-contracts.service';
import { DataProductsService } from 'src/catalog/data-products.service';
import { TeamPermission } from 'src/catalog/team-permissions';
import { TeamsService } from 'src/catalog/teams.service';
import { demoPrincipal, domainError } from 'test/factories/catalog.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('catalog discovery: teams, search, fetch, data contracts (e2e)', () => {
  let t: TestApp;
  let products: DataProductsService;
  let teams: TeamsService;
  let contracts: DataContractsService;

  beforeAll(async () => {
    t = await startTestApp();
    products = t.app.get(DataProductsService);
    teams = t.app.get(TeamsService);
    contracts = t.app.get(DataContractsService);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('teams', () => {
    it('should list the teams of the caller organization with parents and owned products', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const { teams: list } = await teams.list(carol, {});
      expect(list.map((x) => x.id).sort()).toEqual([
        'checkout',
        'data-platform',
        'fulfillment',
        'governance',
        'marketing',
        'sales',
        'supply-chain',
      ]);
      const marketing = list.find((x) => x.id === 'marketing');
      expect(marketing).toEqual({
        id: 'marketing',
        name: expect.any(String),
        type: 'Team',
        parentId: 'sales',
        ownedDataProducts: ['customer-cohorts', 'search-queries'],
      });
    });

    it('should filter by type, query and team, and include members on request', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const domains = await teams.list(carol, { type: 'domain' });
      expect(domains.teams.map((x) => x.id).sort()).toEqual(['sales', 'supply-chain']);
      const byQuery = await teams.list(carol, { query: 'CHECK' });
      expect(byQuery.teams.map((x) => x.id)).toEqual(['checkout']);
      const one = await teams.list(carol, { teamId: 'checkout', includeMembers: true });
      expect(one.teams).toHaveLength(1);
      expect(one.teams[0].members?.map((m) => [m.email, m.role])).toEqual([
        ['alice@acme.example', 'owner'],
        ['bob@acme.example', 'approver'],
      ]);
      await domainError(teams.list(carol, { type: 'Squad' }), ErrorCode.InvalidArgument);
    });

    it("should give the caller's own teams and roles per organization (whoami)", async () => {
      expect(await teams.myTeams(await demoPrincipal(t.app, 'carol'))).toEqual([
        { id: 'marketing', name: expect.any(String), role: 'member' },
      ]);
      expect(await teams.myTeams(await demoPrincipal(t.app, 'carolGlobex'))).toEqual([
        { id: 'risk', name: expect.any(String), role: 'member' },
      ]);
    });

    it('should compute effective permissions with organization owners holding all', async () => {
      const bob = await demoPrincipal(t.app, 'bob');
      expect(await teams.effectivePermissions(bob, 'checkout')).toEqual(
        [
          TeamPermission.AccessApprove,
          TeamPermission.AccessRequest,
          TeamPermission.AccessTerminate,
          TeamPermission.ResourcesEdit,
        ].sort(),
      );
      expect(await teams.effectivePermissions(bob, 'marketing')).toEqual([]);
      const alice = await demoPrincipal(t.app, 'alice');
      expect(await teams.effectivePermissions(alice, 'marketing')).toEqual(
        Object.values(TeamPermission).sort(),
      );
    });
  });

  describe('search', () => {
    it('should find Orders for "orders" with its owner, certification and ports', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const { results } = await products.search(carol, { query: 'orders' });
      const orders = results.find((r) => r.id === 'orders');
      expect(orders).toMatchObject({
        name: 'Orders',
        status: 'active',
        ownerTeam: { id: 'checkout' },
        certification: { name: 'Gold', rank: 1 },
        outputPorts: [
          { id: 'orders_npii_v1', status: 'active' },
          { id: 'orders_pii_v1', status: 'active' },
        ],
      });
      expect(results[0].id).toBe('orders');
    });

    it('should list active products best certification first, then by name', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const { results } = await products.search(carol, { query: '*' });
      expect(results.map((r) => r.id)).toEqual([
        'orders',
        'customers',
        'shelf-warmers',
        'stock-levels',
        'customer-cohorts',
      ]);
      expect(results.every((r) => r.status === 'active')).toBe(true);
    });

    it('should filter by status, team (with sub-teams) and tag', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const all = await products.search(carol, { query: '*', status: '*' });
      expect(all.results).toHaveLength(7);
      const deprecated = await products.search(carol, { query: '*', status: 'deprecated' });
      expect(deprecated.results.map((r) => r.id)).toEqual(['search-queries']);
      const sales = await products.search(carol, { query: '*', teamId: 'sales' });
      expect(sales.results.map((r) => r.id)).toEqual(['orders', 'customers', 'customer-cohorts']);
      const tag = all.results.find((r) => r.tags.length > 0)!.tags[0];
      const tagged = await products.search(carol, {
        query: '*',
        status: '*',
        tag: tag.toUpperCase(),
      });
      expect(tagged.results.length).toBeGreaterThan(0);
      expect(tagged.results.every((r) => r.tags.includes(tag))).toBe(true);
      await domainError(products.search(carol, { query: '*', teamId: 'nope' }), ErrorCode.NotFound);
      await domainError(
        products.search(carol, { query: '*', status: 'live' }),
        ErrorCode.InvalidArgument,
      );
    });

    it('should page with an opaque cursor', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const first = await products.search(carol, { query: '*', limit: 2 });
      expect(first.results).toHaveLength(2);
      const second = await products.search(carol, {
        query: '*',
        limit: 2,
        cursor: first.nextCursor,
      });
      const third = await products.search(carol, {
        query: '*',
        limit: 2,
        cursor: second.nextCursor,
      });
      expect([...first.results, ...second.results, ...third.results].map((r) => r.id)).toEqual([
        'orders',
        'customers',
        'shelf-warmers',
        'stock-levels',
        'customer-cohorts',
      ]);
      expect(third.nextCursor).toBeUndefined();
      await domainError(
        products.search(carol, { query: '*', limit: 101 }),
        ErrorCode.InvalidArgument,
      );
    });

    it('should match words in the description values and tags, all words required', async () => {
      const erin = await demoPrincipal(t.app, 'erin');
      const hits = async (query: string) =>
        (await products.search(erin, { query })).results.map((r) => r.id);
      expect(await hits('reconciliation')).toEqual(['payments']);
      expect(await hits('RECONCILIATION audits')).toEqual(['payments']);
      expect(await hits('reconciliation planning')).toEqual([]);
      expect(await hits('usage')).toEqual([]);
      expect(await hits('payments_v1')).toEqual(['payments']);
    });

    it('should treat LIKE wildcards in the query as text', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      expect((await products.search(carol, { query: '%' })).results).toEqual([]);
    });
  });

  describe('fetch', () => {
    it("should show carol's access per port: npii active via Customer Cohorts, pii rejected", async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const orders = await products.fetch(carol, { dataProductId: 'orders' });
      expect(orders).toMatchObject({
        id: 'orders',
        ownerTeam: { id: 'checkout' },
        certification: { name: 'Gold', rank: 1 },
        inputPorts: [],
      });
      const npii = orders.outputPorts.find((p) => p.id === 'orders_npii_v1')!;
      expect(npii).toMatchObject({
        autoApprove: true,
        containsPii: false,
        server: expect.any(Object),
        access: { lifecycle: 'active', via: 'data_product', canRequest: false },
        dataContract: { id: 'orders_npii_v1_contract', kind: 'DataContract' },
      });
      expect(npii.access.message).toMatch(/Customer Cohorts.*execute_query/);
      const pii = orders.outputPorts.find((p) => p.id === 'orders_pii_v1')!;
      expect(pii.access).toMatchObject({ lifecycle: 'rejected', via: 'user', canRequest: true });
      expect(pii.access.message).toMatch(/PII not needed, use orders_npii_v1.*request_access/);
    });

    it('should show lineage as input ports and "none" where the caller has no agreement', async () => {
      const frank = await demoPrincipal(t.app, 'frank');
      const revenue = await products.fetch(frank, { dataProductId: 'monthly-revenue' });
      expect(revenue.inputPorts).toEqual([
        {
          sourceDataProductId: 'payments',
          sourceOutputPortId: 'payments_v1',
          name: expect.any(String),
        },
      ]);
      expect(revenue.outputPorts[0].access).toMatchObject({ lifecycle: 'none', canRequest: true });
      expect(revenue.outputPorts[0].access.accessId).toBeUndefined();
      expect(revenue.outputPorts[0].access.message).toMatch(/request_access/);
    });

    it('should accept the UUID of a product as well as its external id', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const [{ id }] = await t.dataSource.query(
        `SELECT id FROM data_products WHERE external_id = 'orders' AND organization_id = $1`,
        [carol.organizationId],
      );
      expect((await products.fetch(carol, { dataProductId: id })).id).toBe('orders');
    });

    it('should answer not_found with a hint to call search', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const err = await domainError(
        products.fetch(carol, { dataProductId: 'nope' }),
        ErrorCode.NotFound,
      );
      expect(err.message).toMatch(/search/);
    });
  });

  describe('data contracts', () => {
    it('should return a contract as JSON or YAML with the ports that implement it', async () => {
      const carol = await demoPrincipal(t.app, 'carol');
      const json = await contracts.get(carol, { dataContractId: 'orders_pii_v1_contract' });
      expect(json).toMatchObject({
        dataContract: {
          apiVersion: 'v3.1.0',
          id: 'orders_pii_v1_contract',
          team: { name: 'checkout' },
        },
        implementedBy: [{ dataProductId: 'orders', outputPortId: 'orders_pii_v1' }],
      });
      const yaml = await contracts.get(carol, {
        dataContractId: 'orders_pii_v1_contract',
        format: 'yaml',
      });
      expect('yaml' in yaml && yaml.yaml).toMatch(/^apiVersion: v3\.1\.0$/m);
      expect('yaml' in yaml && yaml.yaml).toMatch(/classification: restricted/);
    });
  });

  describe('tenancy', () => {
    it('should never show another organization: its ids behave like unknown ones', async () => {
      const carolGlobex = await demoPrincipal(t.app, 'carolGlobex');
      const { results } = await products.search(carolGlobex, { query: '*', status: '*' });
      expect(results.map((r) => r.id).sort()).toEqual([
        'fraud-scores',
        'monthly-revenue',
        'payments',
      ]);
      const acmeOrders = await t.dataSource.query(
        `SELECT id FROM data_products WHERE external_id = 'orders'`,
      );
      for (const ref of ['orders', acmeOrders[0].id as string]) {
        const err = await domainError(
          products.fetch(carolGlobex, { dataProductId: ref }),
          ErrorCode.NotFound,
        );
        const unknown = await domainError(
          products.fetch(carolGlobex, { dataProductId: 'zzz' }),
          ErrorCode.NotFound,
        );
        expect(err.message.replace(ref, 'X')).toBe(unknown.message.replace('zzz', 'X'));
      }
      await domainError(
        contracts.get(carolGlobex, { dataContractId: 'orders_pii_v1_contract' }),
        ErrorCode.NotFound,
      );
      await domainError(teams.list(carolGlobex, { teamId: 'checkout' }), ErrorCode.NotFound);
      const { teams: globexTeams } = await teams.list(carolGlobex, {});
      expect(globexTeams.map((x) => x.id).sort()).toEqual(['finance', 'payments', 'risk']);
    });
  });
});
