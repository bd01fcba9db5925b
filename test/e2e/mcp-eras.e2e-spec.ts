import { demoKey } from 'test/factories/demo.factory';
import { createOrganizationKey } from 'test/factories/identity.factory';
import { json, mcpPost, toolCall } from 'test/support/mcp-client';
import { MODERN_META, modernPost, modernRequest, modernToolCall } from 'test/support/mcp-modern';
import { startTestApp, TestApp } from 'test/support/test-app';
import { OrganizationsService } from 'src/users/organizations.service';

const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

describe('/mcp serves 2025-era and 2026-07-28 clients on one endpoint (e2e)', () => {
  let t: TestApp;
  let key: string;
  let readOnlyKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = await demoKey(t.app, 'alice@acme.example', 'acme');
    readOnlyKey = await demoKey(t.app, 'carol@acme.example', 'acme', { readOnly: true });
  });
  afterAll(async () => {
    await t.close();
  });

  const post2026 = (body: unknown, headers: Record<string, string> = {}) =>
    modernPost(t.url, body, { 'x-api-key': key, ...headers });

  describe('2025 revisions', () => {
    const initialize = (protocolVersion: string) => ({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion, capabilities: {}, clientInfo: { name: 'old', version: '1' } },
    });

    it.each(['2025-11-25', '2025-06-18', '2025-03-26'])(
      'should agree to %s in initialize and then serve tool calls in it',
      async (version) => {
        const init = await json(
          await fetch(`${t.url}/mcp`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              'x-api-key': key,
            },
            body: JSON.stringify(initialize(version)),
          }),
        );
        expect(init.result).toMatchObject({
          protocolVersion: version,
          capabilities: { tools: { listChanged: false } },
          serverInfo: {
            name: 'data-product-catalog',
            title: 'Data Product Catalog',
            websiteUrl: `${t.url}/settings/mcp`,
          },
        });
        expect(init.result.serverInfo.icons).toEqual([
          expect.objectContaining({ mimeType: 'image/svg+xml', sizes: ['any'] }),
        ]);
        // 2025-03-26 clients send no MCP-Protocol-Version header; later ones send theirs.
        const headers: Record<string, string> = { 'x-api-key': key };
        if (version !== '2025-03-26') headers['mcp-protocol-version'] = version;
        const res = await fetch(`${t.url}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...headers,
          },
          body: JSON.stringify(toolCall('whoami')),
        });
        expect(res.status).toBe(200);
        expect((await json(res)).result.structuredContent.user.email).toBe('alice@acme.example');
      },
    );

    it('should offer 2025-11-25 to a client asking for a revision it does not know', async () => {
      const res = await mcpPost(t.url, initialize('2024-01-01'), { 'x-api-key': key });
      expect((await json(res)).result.protocolVersion).toBe('2025-11-25');
    });

    it('should answer ping in the 2025 era', async () => {
      const res = await mcpPost(
        t.url,
        { jsonrpc: '2.0', id: 3, method: 'ping' },
        { 'x-api-key': key },
      );
      expect(await json(res)).toEqual({ jsonrpc: '2.0', id: 3, result: {} });
    });
  });

  describe('2026-07-28', () => {
    it('should answer server/discover with the revision, capabilities, cache hints and its identity', async () => {
      const res = await post2026(modernRequest('server/discover', {}, 5));
      expect(res.status).toBe(200);
      const { id, result } = await json(res);
      expect(id).toBe(5);
      expect(result).toMatchObject({
        supportedVersions: ['2026-07-28'],
        capabilities: {
          tools: { listChanged: false },
          resources: { listChanged: false },
          prompts: { listChanged: false },
        },
        resultType: 'complete',
        ttlMs: expect.any(Number),
        cacheScope: 'public',
      });
      expect(result.instructions).toMatch(/search/);
      expect(result._meta[SERVER_INFO]).toEqual({
        name: 'data-product-catalog',
        version: expect.any(String),
        title: 'Data Product Catalog',
        websiteUrl: `${t.url}/settings/mcp`,
        icons: [
          {
            src: expect.stringMatching(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/),
            mimeType: 'image/svg+xml',
            sizes: ['any'],
          },
        ],
      });
    });

    it('should list the same tools in the same order as for a 2025 client, with private cache hints', async () => {
      const modern = await json(await post2026(modernRequest('tools/list')));
      const legacy = await json(
        await mcpPost(t.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'x-api-key': key }),
      );
      const names = (r: { result: { tools: Array<{ name: string }> } }) =>
        r.result.tools.map((x) => x.name);
      expect(names(modern)).toEqual(names(legacy));
      expect(names(modern)).toHaveLength(12);
      expect(modern.result).toMatchObject({ ttlMs: expect.any(Number), cacheScope: 'private' });
      expect(legacy.result.ttlMs).toBeUndefined();
      expect(legacy.result.resultType).toBeUndefined();
    });

    it('should answer a tool call with the same structured content as in the 2025 era', async () => {
      const modern = await json(await post2026(modernToolCall('whoami')));
      const legacy = await json(await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': key }));
      expect(modern.result.resultType).toBe('complete');
      expect(modern.result.structuredContent).toEqual(legacy.result.structuredContent);
      expect(modern.result.structuredContent.user.email).toBe('alice@acme.example');
    });

    it('should refuse a tool call whose Mcp-Name header is missing or names another tool', async () => {
      const missing = await mcpPost(t.url, modernToolCall('whoami', {}, 11), {
        'x-api-key': key,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
      });
      expect(missing.status).toBe(400);
      expect(await json(missing)).toMatchObject({ id: 11, error: { code: -32020 } });
      const other = await post2026(modernToolCall('whoami', {}, 12), { 'mcp-name': 'search' });
      expect(other.status).toBe(400);
      expect(await json(other)).toMatchObject({ id: 12, error: { code: -32020 } });
    });

    describe('execute_query, whose port is mirrored into Mcp-Param headers', () => {
      const query = (id: number) =>
        modernToolCall(
          'execute_query',
          {
            dataProductId: 'orders',
            outputPortId: 'orders_npii_v1',
            query: 'SELECT 1',
            purpose: 'Check the Mcp-Param headers',
          },
          id,
        );

      it('should advertise the two headers in the input schema', async () => {
        const { result } = await json(await post2026(modernRequest('tools/list')));
        const tool = result.tools.find((x: { name: string }) => x.name === 'execute_query');
        expect(tool.inputSchema.properties.dataProductId['x-mcp-header']).toBe('DataProductId');
        expect(tool.inputSchema.properties.outputPortId['x-mcp-header']).toBe('OutputPortId');
      });

      it('should run the call when the headers match the arguments, one of them Base64-encoded', async () => {
        const res = await post2026(query(61), {
          'mcp-param-dataproductid': `=?base64?${Buffer.from('orders').toString('base64')}?=`,
          'mcp-param-outputportid': 'orders_npii_v1',
        });
        expect(res.status).toBe(200);
        expect((await json(res)).result.content[0].type).toBe('text');
      });

      it('should refuse the call with 400 and HeaderMismatch when a header is missing or different', async () => {
        const missing = await post2026(query(62), { 'mcp-param-dataproductid': 'orders' });
        expect(missing.status).toBe(400);
        expect(await json(missing)).toMatchObject({
          id: 62,
          error: { code: -32020, data: { header: 'Mcp-Param-OutputPortId', received: null } },
        });
        const different = await post2026(query(63), {
          'mcp-param-dataproductid': 'customers',
          'mcp-param-outputportid': 'orders_npii_v1',
        });
        expect(different.status).toBe(400);
        expect((await json(different)).error.code).toBe(-32020);
      });

      it('should not ask a 2025-era client for the headers', async () => {
        const res = await mcpPost(
          t.url,
          toolCall('execute_query', {
            dataProductId: 'orders',
            outputPortId: 'orders_npii_v1',
            query: 'SELECT 1',
            purpose: 'Check the Mcp-Param headers',
          }),
          { 'x-api-key': key },
        );
        expect(res.status).toBe(200);
        expect((await json(res)).result).toBeDefined();
      });
    });

    it('should refuse a request without MCP-Protocol-Version or whose headers disagree with the body', async () => {
      const noVersion = await mcpPost(t.url, modernRequest('tools/list', {}, 13), {
        'x-api-key': key,
        'mcp-method': 'tools/list',
      });
      expect(noVersion.status).toBe(400);
      expect((await json(noVersion)).error.code).toBe(-32020);
      const wrongMethod = await post2026(modernRequest('tools/list'), {
        'mcp-method': 'prompts/list',
      });
      expect(wrongMethod.status).toBe(400);
      expect((await json(wrongMethod)).error.code).toBe(-32020);
    });

    it('should answer an unknown revision with 400 UnsupportedProtocolVersion naming 2026-07-28', async () => {
      const body = {
        jsonrpc: '2.0',
        id: 21,
        method: 'server/discover',
        params: {
          _meta: { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' },
        },
      };
      const res = await post2026(body, { 'mcp-protocol-version': '2099-01-01' });
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({
        id: 21,
        error: { code: -32022, data: { supported: ['2026-07-28'], requested: '2099-01-01' } },
      });
    });

    it('should refuse a request whose envelope lacks the client capabilities with 400 and -32602', async () => {
      const body = {
        jsonrpc: '2.0',
        id: 22,
        method: 'tools/list',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
      };
      const res = await post2026(body);
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({ id: 22, error: { code: -32602 } });
    });

    it.each(['initialize', 'ping', 'logging/setLevel', 'unknown/method'])(
      'should answer %s, which 2026-07-28 does not have, with 404 and -32601',
      async (method) => {
        const res = await post2026(modernRequest(method, {}, 31));
        expect(res.status).toBe(404);
        expect(await json(res)).toMatchObject({ id: 31, error: { code: -32601 } });
      },
    );

    it('should say that it offers no subscriptions and no tasks', async () => {
      const listen = await post2026(modernRequest('subscriptions/listen', { notifications: {} }));
      expect(listen.status).toBe(404);
      expect((await json(listen)).error).toMatchObject({
        code: -32601,
        message: expect.stringMatching(/no subscriptions/),
      });
      const task = await post2026(modernRequest('tasks/get', { taskId: 'x' }));
      expect(task.status).toBe(404);
      expect((await json(task)).error.message).toMatch(/does not offer tasks/);
    });

    it('should accept a notification with 202 and no body', async () => {
      const res = await post2026({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 1, _meta: MODERN_META },
      });
      expect(res.status).toBe(202);
      expect(await res.text()).toBe('');
    });
  });

  describe.each([
    ['2025-11-25', (name: string, args = {}, id = 1) => toolCall(name, args, id), mcpPost],
    ['2026-07-28', modernToolCall, modernPost],
  ] as const)('credentials and scopes in the %s era', (_era, call, post) => {
    it('should answer a request without credential with 401 and the challenge', async () => {
      const res = await post(t.url, call('whoami'));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata="/);
    });

    it('should refuse an organization-level key with 403 and no challenge', async () => {
      const org = await t.app.get(OrganizationsService).getBySlug('acme');
      const orgKey = await createOrganizationKey(t.app, org.id);
      const res = await post(t.url, call('whoami'), { 'x-api-key': orgKey.key });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect((await json(res)).error.message).toMatch(/personal API key/);
    });

    it('should refuse a write tool to a read-only key with the 403 step-up challenge', async () => {
      const res = await post(
        t.url,
        call('request_access', { dataProductId: 'orders', outputPortId: 'orders_npii_v1' }, 41),
        { 'x-api-key': readOnlyKey },
      );
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect((await json(res)).id).toBe(41);
    });

    it('should answer arguments the input schema refuses with an invalid_argument tool error naming them', async () => {
      const res = await post(
        t.url,
        call(
          'request_access',
          { dataProductId: 'orders', outputPortId: 'orders_npii_v1', purpose: 'short' },
          43,
        ),
        { 'x-api-key': key },
      );
      expect(res.status).toBe(200);
      const { result } = await json(res);
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(result.content[0].text).toMatch(
        /^invalid_argument: Invalid arguments for request_access: purpose: /,
      );
      expect(result.content[0].text).toMatch(/call request_access again/);
      expect(result._meta['data-product-catalog/error']).toMatchObject({
        code: 'invalid_argument',
        issues: [{ path: 'purpose', message: expect.any(String) }],
      });
    });

    it('should answer an unknown tool with -32602 and HTTP 200', async () => {
      const res = await post(t.url, call('drop_everything', {}, 42), { 'x-api-key': key });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ id: 42, error: { code: -32602 } });
    });
  });

  describe.each([
    [
      '2025-11-25',
      (method: string, params = {}, id = 1) => ({ jsonrpc: '2.0', id, method, params }),
      mcpPost,
    ],
    ['2026-07-28', modernRequest, modernPost],
  ] as const)('resources and prompts in the %s era', (_era, request, post) => {
    it('should list the data products as resources and read one as JSON', async () => {
      const list = await json(await post(t.url, request('resources/list'), { 'x-api-key': key }));
      const uris = list.result.resources.map((r: { uri: string }) => r.uri);
      expect(uris).toContain('dataproduct://orders');
      const read = await json(
        await post(t.url, request('resources/read', { uri: 'dataproduct://orders' }), {
          'x-api-key': key,
        }),
      );
      const [content] = read.result.contents;
      expect(content).toMatchObject({ uri: 'dataproduct://orders', mimeType: 'application/json' });
      expect(JSON.parse(content.text)).toMatchObject({
        id: 'orders',
        outputPorts: expect.any(Array),
      });
    });

    it('should read a data contract as ODCS YAML', async () => {
      const res = await post(
        t.url,
        request('resources/read', { uri: 'datacontract://orders_npii_v1_contract' }),
        {
          'x-api-key': key,
        },
      );
      const body = await json(res);
      expect(body.result?.contents?.[0]?.mimeType ?? body.error).toBe('application/yaml');
      expect(body.result.contents[0].text).toMatch(/kind: DataContract/);
    });

    it('should answer an unknown resource with -32602 naming the URI', async () => {
      const res = await post(t.url, request('resources/read', { uri: 'dataproduct://nope' }, 51), {
        'x-api-key': key,
      });
      expect(await json(res)).toMatchObject({
        id: 51,
        error: { code: -32602, data: { uri: 'dataproduct://nope' } },
      });
    });

    it('should never read another organization’s data product', async () => {
      const erin = await demoKey(t.app, 'erin@globex.example', 'globex');
      const res = await post(t.url, request('resources/read', { uri: 'dataproduct://orders' }), {
        'x-api-key': erin,
      });
      expect((await json(res)).error.code).toBe(-32602);
    });

    it('should list the prompts and fill in find_data', async () => {
      const list = await json(await post(t.url, request('prompts/list'), { 'x-api-key': key }));
      expect(list.result.prompts.map((p: { name: string }) => p.name).sort()).toEqual([
        'find_data',
        'review_access_requests',
      ]);
      const got = await json(
        await post(
          t.url,
          request('prompts/get', {
            name: 'find_data',
            arguments: { question: 'Which orders churn?' },
          }),
          { 'x-api-key': key },
        ),
      );
      expect(got.result.messages[0].content.text).toContain('Which orders churn?');
    });
  });
});
