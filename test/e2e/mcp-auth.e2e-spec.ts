import { randomUUID } from 'node:crypto';
import { generateApiKey } from 'src/api-keys/api-key.format';
import { DataSource } from 'typeorm';
import { ApiKey } from 'src/api-keys/api-key.entity';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import { systemPrincipal } from 'src/auth/principal';
import { UsersService } from 'src/users/users.service';
import {
  addMember,
  createOrganizationKey,
  createUserKey,
  memberWithKey,
  removeMember,
} from 'test/factories/identity.factory';
import { connectMcp, json, mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

const CHALLENGE = (url: string) =>
  `Bearer resource_metadata="${url}/.well-known/oauth-protected-resource/mcp", scope="mcp:read mcp:write"`;

describe('/mcp authentication with API keys (e2e)', () => {
  let t: TestApp;
  const sys = systemPrincipal('test');

  beforeAll(async () => {
    // No credential cache: revocations are visible to the very next request.
    t = await startTestApp({ SEED_DEMO: 'false', AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('without a usable credential', () => {
    it('should answer 401 with the MCP challenge and no error attribute when nothing is sent', async () => {
      const res = await mcpPost(t.url, toolCall('whoami'));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE(t.url));
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await json(res);
      expect(body.error.message).toMatch(/Authentication required/);
    });

    it.each(['GET', 'DELETE'])('should authenticate %s before answering 405', async (method) => {
      const res = await fetch(`${t.url}/mcp`, { method });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE(t.url));
    });

    it('should give malformed and unknown keys the same 401 invalid_token answer, byte for byte', async () => {
      const malformed = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': 'ed_not-a-key' });
      const unknown = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': generateApiKey() });
      expect(malformed.status).toBe(401);
      expect(unknown.status).toBe(401);
      const h = malformed.headers.get('www-authenticate');
      expect(h).toBe(unknown.headers.get('www-authenticate'));
      expect(h).toMatch(
        /^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="/,
      );
      expect(h).toContain('scope="mcp:read mcp:write"');
      expect(await malformed.text()).toBe(await unknown.text());
    });

    it('should refuse a revoked key with invalid_token', async () => {
      const m = await memberWithKey(t.app);
      expect((await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key })).status).toBe(200);
      await t.app.get(ApiKeyService).revoke(sys, m.keyId);
      const res = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      expect((await json(res)).error.message).toMatch(/revoked/);
    });

    it('should refuse an expired key with invalid_token', async () => {
      const m = await memberWithKey(t.app);
      await t.dataSource.query(
        `UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1`,
        [m.keyId],
      );
      const res = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key });
      expect(res.status).toBe(401);
      expect((await json(res)).error.message).toMatch(/expired/);
    });

    it('should refuse an API key sent as a bearer token', async () => {
      const m = await memberWithKey(t.app);
      const res = await mcpPost(t.url, toolCall('whoami'), { authorization: `Bearer ${m.key}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      expect((await json(res)).error.message).toMatch(/x-api-key/);
    });

    it.each([
      ['Basic dXNlcjpwYXNz'],
      ['Bearer'],
      ['Bearer '],
      ['Bearer  abc.def.ghi'],
      ['Bearerabc.def.ghi'],
      ['Token abc.def.ghi'],
    ])(
      'should refuse the malformed Authorization header %j with 401 and say how to send it',
      async (header) => {
        const res = await mcpPost(t.url, toolCall('whoami'), { authorization: header });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
        expect((await json(res)).error.message).toBe(
          'The Authorization header must be "Bearer <access token>".',
        );
      },
    );

    it('should read the scheme case-insensitively and refuse an unknown token as invalid', async () => {
      const res = await mcpPost(t.url, toolCall('whoami'), { authorization: 'bEaReR abc.def.ghi' });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      expect((await json(res)).error.message).not.toMatch(/must be "Bearer/);
    });

    it('should ignore a key in the query string', async () => {
      const m = await memberWithKey(t.app);
      const res = await fetch(`${t.url}/mcp?api_key=${m.key}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify(toolCall('whoami')),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE(t.url));
    });

    it('should answer 400 when a key and a bearer token come together', async () => {
      const m = await memberWithKey(t.app);
      const res = await mcpPost(t.url, toolCall('whoami'), {
        'x-api-key': m.key,
        authorization: 'Bearer abc.def.ghi',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('www-authenticate')).toBeNull();
    });
  });

  describe('with a key whose owner lost access', () => {
    it('should refuse an organization-level key with 403 and point to personal keys, without a challenge', async () => {
      const m = await memberWithKey(t.app, 'owner');
      const orgKey = await createOrganizationKey(t.app, m.org.id);
      const res = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': orgKey.key });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBeNull();
      const body = await json(res);
      expect(body.error.message).toMatch(/Organization-level API keys cannot be used for MCP/);
      expect(body.error.message).toMatch(/personal API key/);
    });

    it('should not count a refused organization key as used, and count it where it is let in', async () => {
      const m = await memberWithKey(t.app, 'owner');
      const orgKey = await createOrganizationKey(t.app, m.org.id);
      const lastUsed = async () =>
        (await t.app.get(DataSource).getRepository(ApiKey).findOneByOrFail({ id: orgKey.id }))
          .lastUsedAt;
      expect((await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': orgKey.key })).status).toBe(
        403,
      );
      // The use is recorded without waiting for it: give a wrongly recorded one time to land.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await lastUsed()).toBeNull();
      const listed = await fetch(`${t.url}/api/v1/api-keys`, {
        headers: { 'x-api-key': orgKey.key },
      });
      expect(listed.status).toBe(200);
      const deadline = Date.now() + 5000;
      while ((await lastUsed()) === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await lastUsed()).toBeInstanceOf(Date);
    });

    it('should refuse the key of a user removed from the organization with 403', async () => {
      const m = await memberWithKey(t.app);
      await removeMember(t.app, m.org.slug, m.user.email);
      const res = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key });
      expect(res.status).toBe(403);
      expect((await json(res)).error.message).toMatch(/no longer a member/);
    });

    it('should refuse the key of a disabled user with 403', async () => {
      const m = await memberWithKey(t.app);
      await t.app.get(UsersService).disable(sys, m.user.email);
      const res = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': m.key });
      expect(res.status).toBe(403);
      expect((await json(res)).error.message).toMatch(/disabled/);
    });
  });

  describe('transport rules', () => {
    let key: string;
    beforeAll(async () => {
      key = (await memberWithKey(t.app)).key;
    });

    it('should answer GET and DELETE with 405 and Allow: POST once authenticated', async () => {
      for (const method of ['GET', 'DELETE']) {
        const res = await fetch(`${t.url}/mcp`, { method, headers: { 'x-api-key': key } });
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('POST');
      }
    });

    it('should answer malformed JSON with -32700 and a non-JSON-RPC body with -32600', async () => {
      const bad = await mcpPost(t.url, '{"jsonrpc":', { 'x-api-key': key });
      expect(bad.status).toBe(400);
      expect((await json(bad)).error.code).toBe(-32700);
      const notRpc = await mcpPost(t.url, { hello: 'world' }, { 'x-api-key': key });
      expect(notRpc.status).toBe(400);
      expect((await json(notRpc)).error.code).toBe(-32600);
    });

    it('should reject batches with -32600', async () => {
      const res = await mcpPost(t.url, [toolCall('whoami')], { 'x-api-key': key });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe(-32600);
    });

    it('should answer a body over 1 MiB with 413', async () => {
      const big = JSON.stringify({ ...toolCall('whoami'), pad: 'x'.repeat(1024 * 1024 + 10) });
      const res = await mcpPost(t.url, big, { 'x-api-key': key });
      expect(res.status).toBe(413);
    });

    it('should answer an unsupported MCP-Protocol-Version with 400', async () => {
      const res = await mcpPost(t.url, toolCall('whoami'), {
        'x-api-key': key,
        'mcp-protocol-version': '1999-01-01',
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/Unsupported protocol version/);
    });

    it('should refuse a wrong content type (415) and a missing Accept (406), never 500', async () => {
      const text = await fetch(`${t.url}/mcp`, {
        method: 'POST',
        headers: {
          'x-api-key': key,
          'content-type': 'text/plain',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify(toolCall('whoami')),
      });
      expect(text.status).toBe(415);
      const accept = await fetch(`${t.url}/mcp`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json', accept: 'text/html' },
        body: JSON.stringify(toolCall('whoami')),
      });
      expect(accept.status).toBe(406);
    });

    it('should not let a __proto__ key pollute objects', async () => {
      const res = await mcpPost(
        t.url,
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{"__proto__":{"polluted":true}}}}',
        { 'x-api-key': key },
      );
      expect(res.status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('should refuse a foreign Origin before authentication and allow our own with CORS', async () => {
      const foreign = await mcpPost(t.url, toolCall('whoami'), {
        origin: 'https://evil.example',
        'x-api-key': key,
      });
      expect(foreign.status).toBe(403);
      const own = await mcpPost(t.url, toolCall('whoami'), { origin: t.url });
      expect(own.status).toBe(401);
      expect(own.headers.get('access-control-allow-origin')).toBe(t.url);
      expect(own.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/);
    });

    it('should answer a CORS preflight with 204 before authentication', async () => {
      const res = await fetch(`${t.url}/mcp`, {
        method: 'OPTIONS',
        headers: {
          origin: t.url,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-api-key, content-type, mcp-protocol-version',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/X-Api-Key/);
      expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    });

    it('should issue no session id', async () => {
      const res = await mcpPost(
        t.url,
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'x', version: '1' },
          },
        },
        { 'x-api-key': key },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('mcp-session-id')).toBeNull();
      expect((await json(res)).result.protocolVersion).toBe('2025-11-25');
    });
  });

  describe('protected resource metadata', () => {
    it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
      'should serve the same document at %s',
      async (path) => {
        const res = await fetch(`${t.url}${path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        const doc = await json(res);
        expect(doc.resource).toBe(`${t.url}/mcp`);
        expect(doc.authorization_servers).toEqual([t.url]);
        expect(doc.scopes_supported).not.toContain('offline_access');
      },
    );
  });

  describe('the SDK client', () => {
    it('should connect with x-api-key through requestInit and call whoami in the key’s organization', async () => {
      const m = await memberWithKey(t.app, 'admin');
      const client = await connectMcp(t.url, { 'x-api-key': m.key });
      try {
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        expect(result.isError).toBeFalsy();
        const s = result.structuredContent as Record<string, any>;
        expect(s.user.email).toBe(m.user.email);
        expect(s.organization.slug).toBe(m.org.slug);
        expect(s.organizationRole).toBe('admin');
        expect(s.authMethod).toBe('api_key');
        expect(s.scopes).toEqual(['mcp']);
      } finally {
        await client.close();
      }
    });

    it('should give a read-only key the read scope only', async () => {
      const m = await memberWithKey(t.app, 'member', { readOnly: true });
      const client = await connectMcp(t.url, { 'x-api-key': m.key });
      try {
        const { tools } = await client.listTools();
        expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        expect((result.structuredContent as any).scopes).toEqual(['mcp:read']);
      } finally {
        await client.close();
      }
    });

    it('should keep one user’s keys apart per organization', async () => {
      const a = await memberWithKey(t.app);
      const b = await memberWithKey(t.app);
      // a's user joins b's organization too; a key for each organization shows only that one.
      await addMember(t.app, b.org.slug, a.user.email, 'member');
      const keyInB = await createUserKey(t.app, b.org.id, a.user.id);
      const inA = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': a.key });
      const inB = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': keyInB.key });
      expect((await json(inA)).result.structuredContent.organization.slug).toBe(a.org.slug);
      expect((await json(inB)).result.structuredContent.organization.slug).toBe(b.org.slug);
      expect(randomUUID()).toBeTruthy();
    });
  });
});
