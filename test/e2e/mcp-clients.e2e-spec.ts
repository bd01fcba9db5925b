import { PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/client';
import { json, mcpPost } from 'test/support/mcp-client';
import {
  CallerErrorCase,
  expectToolError,
  expectToolSuccess,
  fails,
} from 'test/support/mcp-client-assertions';
import {
  CLIENT_KINDS,
  connectPeople,
  describeEachClient,
  EXPECTED_ERA,
  ListedTool,
} from 'test/support/mcp-clients';
import { startTestApp, TestApp } from 'test/support/test-app';

const ALL_TOOLS = [
  'access_approve',
  'access_cancel',
  'access_list',
  'access_reject',
  'datacontract_get',
  'datacontract_save',
  'execute_query',
  'fetch',
  'request_access',
  'search',
  'teams_list',
  'whoami',
];

/**
 * The demo people each combination connects as (README, Demo data): alice owns Acme; carol is a
 * plain member of Acme (access to orders_npii_v1 through her team's Customer Cohorts, none to
 * orders_pii_v1) and of Globex (Payments through team risk, whose terms prohibit marketing).
 */
const PEOPLE = ['alice', 'carol', 'carolGlobex'] as const;
type Person = (typeof PEOPLE)[number];

type Structured = Record<string, any>;

const orders = { dataProductId: 'orders', outputPortId: 'orders_npii_v1' };

/** execute_query arguments: on orders_npii_v1 with an acceptable purpose unless told otherwise. */
const query = (sql: string, port = orders, purpose = 'Analyse top customers') => ({
  ...port,
  query: sql,
  purpose,
});

/** Error paths of the read tools. */
const READ_ERRORS: Array<CallerErrorCase<Person>> = [
  fails('alice', 'search', { query: '*', cursor: 'x' }, 'invalid_argument', { next: 'search' }),
  fails('alice', 'search', { query: '*', teamId: 'nope' }, 'not_found', { next: 'teams_list' }),
  fails('alice', 'fetch', { dataProductId: 'nope' }, 'not_found', { next: 'search' }),
  fails('alice', 'datacontract_get', { dataContractId: 'nope' }, 'not_found', { next: 'fetch' }),
  fails('alice', 'teams_list', { teamId: 'nope' }, 'not_found'),
  fails('alice', 'teams_list', { type: 'Squad' }, 'invalid_argument'),
  fails('alice', 'access_list', { cursor: 'x' }, 'invalid_argument'),
  fails('alice', 'access_list', { dataProductId: 'nope' }, 'not_found'),
  fails(
    'carol',
    'execute_query',
    query('SELECT 1', { ...orders, outputPortId: 'nope' }),
    'not_found',
  ),
  fails(
    'carol',
    'execute_query',
    query('SELECT 1', { ...orders, outputPortId: 'orders_pii_v1' }),
    'access_required',
    {
      next: 'request_access',
      details: { dataProductId: 'orders', outputPortId: 'orders_pii_v1' },
    },
  ),
  // The SQL guard: one SELECT (or WITH) statement only.
  fails('carol', 'execute_query', query('UPDATE orders SET order_total = 0'), 'invalid_argument'),
  fails(
    'carolGlobex',
    'execute_query',
    query(
      'SELECT amount FROM payments',
      { dataProductId: 'payments', outputPortId: 'payments_v1' },
      'marketing campaign',
    ),
    'terms_of_use_violation',
    {
      next: 'datacontract_get',
      details: {
        reasons: [{ id: 'prohibited_purpose', message: expect.stringMatching(/marketing/) }],
      },
    },
  ),
];

/**
 * SDK 1.x and the v2 client in its legacy, auto and pinned 2026-07-28 modes, each with an API key and
 * with an OAuth token, against one server: the era each ends up in, the tool list, every read tool on
 * its success and error paths, resources and prompts. The write tools: mcp-clients-writes.e2e-spec.ts.
 */
describe('the real MCP SDK clients in both protocol eras: read tools, resources, prompts (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describeEachClient(
    () => t,
    PEOPLE,
    (c) => {
      it(`should connect in the ${EXPECTED_ERA[c.kind]} era and list all twelve tools in the server's order, each with an output schema`, async () => {
        const res = await mcpPost(
          t.url,
          { jsonrpc: '2.0', id: 1, method: 'tools/list' },
          c.headers.alice,
        );
        const serverOrder = ((await json(res)).result.tools as ListedTool[]).map((x) => x.name);
        expect([...serverOrder].sort()).toEqual(ALL_TOOLS);
        for (const who of PEOPLE) {
          const { tools } = await c.as[who].listTools();
          expect(c.as[who].era()).toBe(EXPECTED_ERA[c.kind]);
          expect(tools.map((x) => x.name)).toEqual(serverOrder);
          expect(tools.filter((x) => x.outputSchema?.type !== 'object')).toEqual([]);
        }
      });

      it('should send its era on the wire: 2025 through initialize, 2026-07-28 with Mcp-Method and the _meta envelope', async () => {
        await expectToolSuccess(c.as.alice, 'whoami');
        const call = c.as.alice.wire.filter((w) => w.body?.method === 'tools/call').at(-1)!;
        expect({
          first: c.as.alice.wire[0].body.method,
          initialize: c.as.alice.wire.some((w) => w.body?.method === 'initialize'),
          mcpMethod: call.headers.get('mcp-method'),
          mcpName: call.headers.get('mcp-name'),
          version: call.headers.get('mcp-protocol-version'),
          envelope: call.body.params._meta?.[PROTOCOL_VERSION_META_KEY],
        }).toEqual(
          EXPECTED_ERA[c.kind] === 'modern'
            ? {
                first: 'server/discover',
                initialize: false,
                mcpMethod: 'tools/call',
                mcpName: 'whoami',
                version: '2026-07-28',
                envelope: '2026-07-28',
              }
            : {
                first: 'initialize',
                initialize: true,
                mcpMethod: null,
                mcpName: null,
                version: '2025-11-25',
                envelope: undefined,
              },
        );
      });

      it('should call every read tool on its success path', async () => {
        const who = await expectToolSuccess(c.as.alice, 'whoami');
        expect(who).toMatchObject({
          user: { email: 'alice@acme.example' },
          organization: { slug: 'acme' },
          organizationRole: 'owner',
          authMethod: c.credential === 'an API key' ? 'api_key' : 'oauth',
        });

        const first = await expectToolSuccess(c.as.alice, 'search', { query: '*', limit: 2 });
        expect(first.results.map((r: Structured) => r.id)).toEqual(['orders', 'customers']);
        const next = await expectToolSuccess(c.as.alice, 'search', {
          query: '*',
          limit: 2,
          cursor: first.nextCursor,
        });
        expect(next.results.map((r: Structured) => r.id)).toEqual([
          'shelf-warmers',
          'stock-levels',
        ]);

        const product = await expectToolSuccess(c.as.alice, 'fetch', { dataProductId: 'orders' });
        expect(product.id).toBe('orders');
        expect(product.outputPorts.map((p: Structured) => p.id).sort()).toEqual([
          'orders_npii_v1',
          'orders_pii_v1',
        ]);

        const contract = await expectToolSuccess(c.as.alice, 'datacontract_get', {
          dataContractId: 'orders_npii_v1_contract',
        });
        expect(contract.dataContract.id).toBe('orders_npii_v1_contract');
        expect(contract.implementedBy).toContainEqual(orders);
        const yaml = await expectToolSuccess(c.as.alice, 'datacontract_get', {
          dataContractId: 'orders_npii_v1_contract',
          format: 'yaml',
        });
        expect(yaml.yaml).toContain('id: orders_npii_v1_contract');

        const teams = await expectToolSuccess(c.as.alice, 'teams_list', {
          teamId: 'checkout',
          includeMembers: true,
        });
        expect(teams.teams).toHaveLength(1);
        expect(teams.teams[0].members.map((m: Structured) => m.email)).toEqual(
          expect.arrayContaining(['alice@acme.example', 'bob@acme.example']),
        );

        const toApprove = await expectToolSuccess(c.as.alice, 'access_list', {
          view: 'to_approve',
        });
        expect(toApprove.items).toContainEqual(
          expect.objectContaining({
            status: 'requested',
            provider: expect.objectContaining({ outputPortId: 'customers_v1' }),
            canApprove: true,
          }),
        );

        const rows = await expectToolSuccess(
          c.as.carol,
          'execute_query',
          query('SELECT sales_channel, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1'),
        );
        expect(rows).toMatchObject({
          columns: [{ name: 'sales_channel' }, { name: 'n' }],
          rows: [
            ['app', 8],
            ['store', 8],
            ['web', 8],
          ],
          rowCount: 3,
          truncated: false,
          evaluation: { decision: 'allowed', reasons: [] },
        });
      });

      it('should answer every read tool’s error paths with tool errors the client accepts', async () => {
        for (const e of READ_ERRORS) await expectToolError(c.as[e.as], e);
      });

      it('should list and read resources, refuse an unknown one with -32602, and get a prompt', async () => {
        const { resources } = await c.as.alice.listResources();
        expect(resources.map((r) => r.uri)).toContain('dataproduct://orders');
        const product = await c.as.alice.readResource('dataproduct://orders');
        expect(product.contents[0].mimeType).toBe('application/json');
        expect(JSON.parse(product.contents[0].text!)).toMatchObject({ id: 'orders' });
        const contract = await c.as.alice.readResource('datacontract://orders_npii_v1_contract');
        expect(contract.contents[0].text).toContain('id: orders_npii_v1_contract');
        await expect(c.as.alice.readResource('dataproduct://nope')).rejects.toMatchObject({
          code: -32602,
        });

        const { prompts } = await c.as.alice.listPrompts();
        expect(prompts.map((p) => p.name).sort()).toEqual(['find_data', 'review_access_requests']);
        const prompt = await c.as.alice.getPrompt('find_data', {
          question: 'Which sales channel sells most?',
        });
        expect(prompt.messages[0].content.text).toContain('Which sales channel sells most?');
      });
    },
  );

  // A timeout costs the time limit and the port's warm query worker, so once per client kind.
  describe.each(CLIENT_KINDS)('%s with an API key, a query that runs too long', (kind) => {
    it('should come back as a query_timeout tool error', async () => {
      const { as: clients } = await connectPeople(t, kind, 'an API key', ['carol']);
      try {
        await expectToolError(clients.carol, {
          tool: 'execute_query',
          args: query(
            'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
          ),
          code: 'query_timeout',
          next: 'execute_query',
        });
      } finally {
        await clients.carol.close();
      }
    });
  });
});
