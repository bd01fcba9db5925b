import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BaselineServer, startBaselineServer } from '../../bench/baseline-server';
import { json, mcpPost, toolCall } from 'test/support/mcp-client';

/**
 * The benchmark's baseline (bare SDK stateless server) must keep answering `whoami`, `tools/list`
 * and `search` as the SDK changes; `npm run bench` compares our server against it. No timing here.
 */
describe('bench baseline server (e2e)', () => {
  let sut: BaselineServer;

  beforeAll(async () => {
    sut = await startBaselineServer(0);
  });
  afterAll(async () => {
    await sut.close();
  });

  it('should list whoami and search, and call both through the SDK client', async () => {
    const client = new Client({ name: 'bench-baseline-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${sut.url}/mcp`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['whoami', 'search']);
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        user: { email: 'bench@example.com' },
        organization: { slug: 'bench' },
      });
      const search = await client.callTool({ name: 'search', arguments: { query: '*', limit: 3 } });
      expect(search.isError).toBeFalsy();
      expect((search.structuredContent as { results: unknown[] }).results).toHaveLength(3);
    } finally {
      await client.close();
    }
  });

  it('should answer the bench request (tools/call whoami) with 200 and a JSON tool result', async () => {
    const res = await mcpPost(sut.url, toolCall('whoami'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(res);
    expect(body.id).toBe(1);
    expect(body.result.structuredContent.user.email).toBe('bench@example.com');
  });

  it('should refuse GET with 405, as a stateless server does', async () => {
    const res = await fetch(`${sut.url}/mcp`);
    expect(res.status).toBe(405);
  });
});
