import { discoverOAuthServerInfo as discoverWithSdk2 } from '@modelcontextprotocol/client';
import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import {
  OAuthMetadataSchema,
  OAuthProtectedResourceMetadataSchema,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { json } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

const PRM_PATHS = [
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-protected-resource',
];
const AS_PATH = '/.well-known/oauth-authorization-server';

describe('OAuth discovery documents (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('protected resource metadata', () => {
    it.each(PRM_PATHS)('should serve a document the SDK schema accepts at %s', async (path) => {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = OAuthProtectedResourceMetadataSchema.parse(await json(res));
      expect(doc.resource).toBe(`${t.url}/mcp`);
      expect(doc.authorization_servers).toEqual([t.config.oauth.issuer]);
      expect(doc.scopes_supported).toEqual(['mcp:read', 'mcp:write', 'mcp']);
      expect(doc.bearer_methods_supported).toEqual(['header']);
    });

    it('should serve the same bytes at the path-suffixed URL and the root fallback', async () => {
      const [a, b] = await Promise.all(PRM_PATHS.map((p) => fetch(`${t.url}${p}`)));
      expect(await a.text()).toBe(await b.text());
    });
  });

  describe('authorization server metadata', () => {
    it('should serve RFC 8414 metadata, accepted by the SDK schema', async () => {
      const res = await fetch(`${t.url}${AS_PATH}`);
      expect(res.status).toBe(200);
      const doc = OAuthMetadataSchema.parse(await json(res));
      const base = t.url;
      expect(doc).toEqual({
        issuer: base,
        authorization_endpoint: `${base}/oauth2/authorize`,
        token_endpoint: `${base}/oauth2/token`,
        registration_endpoint: `${base}/register`,
        revocation_endpoint: `${base}/oauth2/revoke`,
        jwks_uri: `${base}/.well-known/jwks.json`,
        // No offline_access (MCP 2026-07-28 › Refresh Tokens); it stays accepted at authorize.
        scopes_supported: ['mcp:read', 'mcp:write', 'mcp'],
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: [
          'none',
          'client_secret_post',
          'client_secret_basic',
        ],
        revocation_endpoint_auth_methods_supported: [
          'none',
          'client_secret_post',
          'client_secret_basic',
        ],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        client_id_metadata_document_supported: true,
      });
    });

    it('should name the issuer exactly as the protected resource metadata does', async () => {
      const prm = await json(await fetch(`${t.url}${PRM_PATHS[0]}`));
      const as = await json(await fetch(`${t.url}${AS_PATH}`));
      expect(typeof as.issuer).toBe('string');
      expect(prm.authorization_servers[0]).toBe(as.issuer);
      expect(as.issuer).toBe(t.config.oauth.issuer);
    });

    it('should be found by the SDK client’s own discovery, starting from /mcp', async () => {
      const info = await discoverOAuthServerInfo(`${t.url}/mcp`);
      expect(info.authorizationServerUrl).toBe(t.config.oauth.issuer);
      expect(info.resourceMetadata?.resource).toBe(`${t.url}/mcp`);
      expect(info.authorizationServerMetadata?.registration_endpoint).toBe(`${t.url}/register`);
      expect(info.authorizationServerMetadata?.code_challenge_methods_supported).toEqual(['S256']);
    });

    it('should answer path-inserted URLs with 404 when PUBLIC_URL has no path', async () => {
      for (const path of [`${AS_PATH}/catalog`, '/.well-known/oauth-protected-resource/x/mcp']) {
        expect((await fetch(`${t.url}${path}`)).status).toBe(404);
      }
    });

    it('should answer /.well-known/openid-configuration with 404', async () => {
      const res = await fetch(`${t.url}/.well-known/openid-configuration`);
      expect(res.status).toBe(404);
    });
  });

  describe('CORS and caching', () => {
    it.each([...PRM_PATHS, AS_PATH])(
      'should allow any origin and caching on %s, without authentication',
      async (path) => {
        const res = await fetch(`${t.url}${path}`, {
          headers: { origin: 'https://inspector.example' },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
        expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      },
    );

    it.each([...PRM_PATHS, AS_PATH])(
      'should answer a preflight OPTIONS on %s with 204 before authentication',
      async (path) => {
        const res = await fetch(`${t.url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://inspector.example',
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'content-type, mcp-protocol-version',
          },
        });
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-allow-headers')).toBe(
          'Content-Type, Authorization, MCP-Protocol-Version',
        );
        expect(res.headers.get('access-control-allow-methods')).toContain('GET');
      },
    );
  });

  it('should keep serving discovery from memory while the database is down', async () => {
    const other = await startTestApp({ SEED_DEMO: 'false' });
    try {
      await other.dataSource.destroy();
      for (const path of PRM_PATHS) {
        const res = await fetch(`${other.url}${path}`);
        expect(res.status).toBe(200);
        expect((await json(res)).resource).toBe(`${other.url}/mcp`);
      }
      const res = await fetch(`${other.url}${AS_PATH}`);
      expect(res.status).toBe(200);
      expect((await json(res)).issuer).toBe(other.url);
    } finally {
      await other.close().catch(() => undefined);
    }
  });
});

/**
 * PUBLIC_URL with a path, behind a proxy that strips it: clients build the well-known URLs by
 * inserting the suffix before the path (RFC 8414 §3.1, RFC 9728 §3.1; MCP 2026-07-28 › Authorization
 * Server Metadata Discovery), so the app serves the documents there too, and only there.
 */
describe('OAuth discovery behind https://auth.example.com/catalog (e2e)', () => {
  const PUBLIC_URL = 'https://auth.example.com/catalog';
  const INSERTED_AS = '/.well-known/oauth-authorization-server/catalog';
  const INSERTED_PRM = '/.well-known/oauth-protected-resource/catalog/mcp';
  let t: TestApp;

  /**
   * The proxy of the README: `/catalog/…` reaches the app without the prefix, the two path-inserted
   * discovery URLs reach it unchanged, anything else on the host is not ours (404).
   */
  const viaProxy = (input: string | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input);
    if (url.origin !== new URL(PUBLIC_URL).origin) throw new Error(`unexpected host ${url.host}`);
    let path: string | null = null;
    if (url.pathname === INSERTED_AS || url.pathname === INSERTED_PRM) path = url.pathname;
    else if (url.pathname.startsWith('/catalog/')) path = url.pathname.slice('/catalog'.length);
    if (path === null) return Promise.resolve(new Response('not found', { status: 404 }));
    return fetch(`${t.url}${path}${url.search}`, init);
  };

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false', PUBLIC_URL });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should serve the authorization-server metadata at the path-inserted URL of the issuer', async () => {
    const res = await fetch(`${t.url}${INSERTED_AS}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const text = await res.text();
    expect(text).toBe(await (await fetch(`${t.url}${AS_PATH}`)).text());
    expect(OAuthMetadataSchema.parse(JSON.parse(text)).issuer).toBe(PUBLIC_URL);
  });

  it('should serve the protected-resource metadata at the path-inserted URL of the resource', async () => {
    const res = await fetch(`${t.url}${INSERTED_PRM}`);
    expect(res.status).toBe(200);
    const doc = OAuthProtectedResourceMetadataSchema.parse(await json(res));
    expect(doc.resource).toBe(`${PUBLIC_URL}/mcp`);
    expect(doc.authorization_servers).toEqual([PUBLIC_URL]);
  });

  it.each([
    '/.well-known/oauth-authorization-server/other',
    '/.well-known/oauth-authorization-server/catalog/mcp',
    '/.well-known/oauth-authorization-server/',
    '/.well-known/oauth-protected-resource/catalog',
    '/.well-known/oauth-protected-resource/other/mcp',
  ])('should answer %s with 404', async (path) => {
    expect((await fetch(`${t.url}${path}`)).status).toBe(404);
  });

  it.each([INSERTED_AS, INSERTED_PRM])('should answer a preflight on %s with 204', async (path) => {
    const res = await fetch(`${t.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://inspector.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('should be found by the SDK v2 client, which checks the issuer against the URL it built', async () => {
    const info = await discoverWithSdk2(`${PUBLIC_URL}/mcp`, { fetchFn: viaProxy });
    expect(info.authorizationServerUrl).toBe(PUBLIC_URL);
    expect(info.resourceMetadata?.resource).toBe(`${PUBLIC_URL}/mcp`);
    expect(info.authorizationServerMetadata?.issuer).toBe(PUBLIC_URL);
    expect(info.authorizationServerMetadata?.authorization_endpoint).toBe(
      `${PUBLIC_URL}/oauth2/authorize`,
    );
  });
});
