import type { UserPrincipal } from 'src/auth/principal';
import { DEMO_DATA } from 'src/catalog/demo/demo-data';
import { ErrorCode } from 'src/common/errors/domain-error';
import { ToolRegistry } from 'src/mcp/tool-registry.service';
import { DEMO, DemoPerson, demoPrincipal } from 'test/factories/catalog.factory';
import { toolCaller } from 'test/factories/tool.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

type Structured = Record<string, any>;

const PEOPLE = Object.keys(DEMO) as DemoPerson[];
const orgOf = (who: DemoPerson): string => DEMO[who][1];
const productsOf = (org: string) => DEMO_DATA.products.filter((p) => p.organization === org);
const contractsOf = (org: string) =>
  productsOf(org).flatMap((p) => p.outputPorts.map((o) => o.contract.externalId));
const teamsOf = (org: string) => DEMO_DATA.teams.filter((t) => t.organization === org);
const VIEWS = ['mine', 'to_approve', 'all'] as const;

/**
 * Every read tool, called as the MCP server calls it (see toolCaller), on the real services over the
 * whole seeded demo catalog: each success must pass the advertised output schema in every client
 * validator and lose nothing in parsing; each domain error must be an isError result the clients
 * accept and show. The write tools: tool-output-schemas-writes.e2e-spec.ts.
 */
describe('read tool results against their advertised output schemas, over the demo catalog (e2e)', () => {
  let t: TestApp;
  const { succeed, fail, allPages, succeeded } = toolCaller(() => t.app.get(ToolRegistry));

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (who: DemoPerson, overrides: Partial<UserPrincipal> = {}) =>
    demoPrincipal(t.app, who, overrides);

  describe('read tools on the seeded catalog', () => {
    it.each(PEOPLE)('should answer whoami for %s with an API key and with OAuth', async (who) => {
      const key = await succeed(await as(who), 'whoami');
      const oauth = await succeed(
        await as(who, {
          authMethod: 'oauth',
          scopes: ['mcp:read'],
          clientId: 'c8d3e1a2-6b7f-4e5d-9c1b-3a2f4e6d8b0a',
          grantId: '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
          apiKeyId: undefined,
        }),
        'whoami',
      );
      expect(key).toMatchObject({ authMethod: 'api_key', organization: { slug: orgOf(who) } });
      expect(oauth).toMatchObject({ authMethod: 'oauth', scopes: ['mcp:read'] });
    });

    it.each(['alice', 'erin'] as const)(
      'should page through every data product of %s’s organization in every status',
      async (who) => {
        const principal = await as(who);
        const all = await allPages(principal, 'search', { query: '*', status: '*' }, 'results');
        expect(all.map((p) => p.id).sort()).toEqual(
          productsOf(orgOf(who))
            .map((p) => p.externalId)
            .sort(),
        );
        await succeed(principal, 'search', { query: '*' });
        for (const product of productsOf(orgOf(who))) {
          await succeed(principal, 'search', { query: product.name, status: '*' });
          await succeed(principal, 'search', {
            query: '*',
            status: '*',
            teamId: product.ownerTeam,
            tag: product.tags[0],
          });
        }
      },
    );

    it.each(PEOPLE)('should fetch every data product of the organization as %s', async (who) => {
      const principal = await as(who);
      for (const product of productsOf(orgOf(who))) {
        const p = await succeed(principal, 'fetch', { dataProductId: product.externalId });
        expect(p.outputPorts).toHaveLength(product.outputPorts.length);
      }
    });

    it.each(['alice', 'erin'] as const)(
      'should get every data contract of %s’s organization as JSON and as YAML',
      async (who) => {
        const principal = await as(who);
        for (const id of contractsOf(orgOf(who))) {
          const json = await succeed(principal, 'datacontract_get', { dataContractId: id });
          expect(json.dataContract.id).toBe(id);
          const yaml = await succeed(principal, 'datacontract_get', {
            dataContractId: id,
            format: 'yaml',
          });
          expect(yaml.yaml).toContain(`id: ${id}`);
        }
      },
    );

    it.each(['carol', 'carolGlobex'] as const)(
      'should list the teams of %s’s organization with and without members, and each team alone',
      async (who) => {
        const principal = await as(who);
        const teams = teamsOf(orgOf(who));
        expect((await succeed(principal, 'teams_list')).teams).toHaveLength(teams.length);
        const withMembers = await succeed(principal, 'teams_list', { includeMembers: true });
        expect(withMembers.teams.flatMap((x: Structured) => x.members).length).toBeGreaterThan(0);
        for (const team of teams) {
          await succeed(principal, 'teams_list', { teamId: team.externalId, includeMembers: true });
        }
      },
    );

    it.each(PEOPLE)('should list access agreements in every view as %s', async (who) => {
      const principal = await as(who);
      for (const view of VIEWS) await allPages(principal, 'access_list', { view }, 'items');
    });

    it('should run an allowed query on every port each demo user has active access to', async () => {
      let ran = 0;
      for (const who of PEOPLE) {
        const principal = await as(who);
        for (const product of productsOf(orgOf(who))) {
          const p = await succeed(principal, 'fetch', { dataProductId: product.externalId });
          for (const port of p.outputPorts as Structured[]) {
            if (port.access.lifecycle !== 'active') continue;
            const [table] = port.dataContract.schema as Structured[];
            const columns = (table.properties as Structured[])
              .filter((c) => c.classification !== 'restricted')
              .map((c) => c.name as string);
            const r = await succeed(principal, 'execute_query', {
              dataProductId: product.externalId,
              outputPortId: port.id,
              query: `SELECT ${columns.join(', ')} FROM ${table.name as string} LIMIT 5`,
              purpose: 'Check the example data against the schema',
            });
            expect(r.columns.map((c: Structured) => c.name)).toEqual(columns);
            ran++;
          }
        }
      }
      expect(ran).toBeGreaterThanOrEqual(3);
      const truncated = await succeed(await as('carol'), 'execute_query', {
        dataProductId: 'orders',
        outputPortId: 'orders_npii_v1',
        query: 'SELECT a.order_id, b.order_id FROM orders a CROSS JOIN orders b',
        purpose: 'Check pairs of orders for duplicates',
      });
      expect(truncated).toMatchObject({ rowCount: 100, truncated: true });
    });
  });

  describe('domain errors of the read tools', () => {
    it('should answer search, fetch, datacontract_get, teams_list and access_list errors', async () => {
      const carol = await as('carol');
      await fail(carol, 'search', { query: '*', cursor: 'garbage' }, ErrorCode.InvalidArgument);
      await fail(carol, 'search', { query: '*', status: 'bogus' }, ErrorCode.InvalidArgument);
      await fail(carol, 'search', { query: '*', teamId: 'nope' }, ErrorCode.NotFound);
      await fail(carol, 'fetch', { dataProductId: 'payments' }, ErrorCode.NotFound);
      await fail(carol, 'fetch', { dataProductId: ' ' }, ErrorCode.InvalidArgument);
      await fail(carol, 'datacontract_get', { dataContractId: 'nope' }, ErrorCode.NotFound);
      await fail(carol, 'datacontract_get', { dataContractId: ' ' }, ErrorCode.InvalidArgument);
      await fail(carol, 'teams_list', { teamId: 'risk' }, ErrorCode.NotFound);
      await fail(carol, 'teams_list', { type: 'Squad' }, ErrorCode.InvalidArgument);
      await fail(carol, 'access_list', { dataProductId: 'nope' }, ErrorCode.NotFound);
      await fail(carol, 'access_list', { cursor: 'garbage' }, ErrorCode.InvalidArgument);
    });

    it('should answer every refusal of execute_query', async () => {
      const carol = await as('carol');
      const orders = { dataProductId: 'orders', outputPortId: 'orders_npii_v1' };
      const purpose = 'Check the example data against the schema';
      const run = (principal: UserPrincipal, input: Record<string, unknown>, code: ErrorCode) =>
        fail(principal, 'execute_query', { ...orders, purpose, ...input }, code);

      await run(carol, { dataProductId: 'nope', query: 'SELECT 1' }, ErrorCode.NotFound);
      await run(carol, { outputPortId: 'nope', query: 'SELECT 1' }, ErrorCode.NotFound);
      const denied = await run(
        carol,
        { outputPortId: 'orders_pii_v1', query: 'SELECT order_id FROM orders' },
        ErrorCode.AccessRequired,
      );
      expect(denied.content?.[0]).toMatchObject({ text: expect.stringMatching(/request_access/) });
      await run(carol, { query: 'DELETE FROM orders' }, ErrorCode.InvalidArgument);
      await run(carol, { query: 'SELECT nope FROM orders' }, ErrorCode.InvalidArgument);
      await run(carol, { purpose: '          x', query: 'SELECT 1' }, ErrorCode.InvalidArgument);
      const globex = await as('carolGlobex');
      const payments = { dataProductId: 'payments', outputPortId: 'payments_v1' };
      await run(
        globex,
        { ...payments, query: 'SELECT * FROM payments' },
        ErrorCode.TermsOfUseViolation,
      );
      await run(
        globex,
        { ...payments, query: 'SELECT payment_id FROM payments', purpose: 'marketing campaign' },
        ErrorCode.TermsOfUseViolation,
      );
      await run(
        carol,
        {
          query:
            'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t',
        },
        ErrorCode.QueryTimeout,
      );
    });
  });

  it('should have validated a success of every read tool', () => {
    expect([...succeeded].sort()).toEqual(
      t.app
        .get(ToolRegistry)
        .all()
        .filter((x) => x.readOnly)
        .map((x) => x.definition.name)
        .sort(),
    );
  });
});
