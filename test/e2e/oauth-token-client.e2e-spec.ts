import { sha256Hex } from 'src/common/crypto';
import { ClientService } from 'src/oauth/clients/client.service';
import { jwkThumbprint } from 'src/oauth/tokens/signing-key.crypto';
import {
  createCode,
  createOAuthClient,
  demoIdentity,
  TestClient,
  TestIdentity,
} from 'test/factories/oauth.factory';
import {
  basicHeader,
  exchangeCode,
  expectNoStore,
  expectOAuthError,
  postForm,
  readResponse,
  refresh,
  revoke,
} from 'test/factories/oauth-http';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('POST /oauth2/token: client authentication, request format, CORS, JWKS (e2e)', () => {
  let t: TestApp;
  let alice: TestIdentity;
  let publicClient: TestClient;
  const codeUsed = async (code: string): Promise<boolean> => {
    const rows = await t.dataSource.query(
      `SELECT used_at FROM oauth_authorization_codes WHERE code_hash = $1`,
      [sha256Hex(code)],
    );
    return rows[0].used_at !== null;
  };

  beforeAll(async () => {
    t = await startTestApp();
    alice = await demoIdentity(t.app, 'alice@acme.example', 'acme');
    publicClient = await createOAuthClient(t.app, { method: 'none' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('client authentication', () => {
    let postClient: TestClient;
    let basicClient: TestClient;
    const codeFor = (client: TestClient) => createCode(t.app, client, alice);

    beforeAll(async () => {
      postClient = await createOAuthClient(t.app, { method: 'client_secret_post' });
      basicClient = await createOAuthClient(t.app, { method: 'client_secret_basic' });
    });

    const codeForm = (code: Awaited<ReturnType<typeof codeFor>>) => ({
      grant_type: 'authorization_code',
      code: code.code,
      code_verifier: code.verifier,
      redirect_uri: code.redirectUri,
    });

    it('should accept each client with its registered method', async () => {
      for (const client of [publicClient, postClient, basicClient]) {
        const res = await exchangeCode(t.url, client, await codeFor(client));
        expect({ method: client.method, status: res.status }).toEqual({
          method: client.method,
          status: 200,
        });
      }
    });

    it('should answer 401 invalid_client for a wrong secret (with a Basic challenge after Basic)', async () => {
      const post = await postForm(t.url, '/oauth2/token', {
        ...codeForm(await codeFor(postClient)),
        client_id: postClient.clientId,
        client_secret: 'wrong-secret',
      });
      expectOAuthError(post, 401, 'invalid_client');
      expect(post.headers.get('www-authenticate')).toBeNull();

      const basic = await postForm(t.url, '/oauth2/token', codeForm(await codeFor(basicClient)), {
        basic: { id: basicClient.clientId, secret: 'wrong-secret' },
      });
      expectOAuthError(basic, 401, 'invalid_client');
      expect(basic.headers.get('www-authenticate')).toMatch(/^Basic /);
    });

    it('should answer 401 invalid_client for an unknown client', async () => {
      const code = await codeFor(publicClient);
      const res = await postForm(t.url, '/oauth2/token', {
        ...codeForm(code),
        client_id: 'no-such-client',
      });
      expectOAuthError(res, 401, 'invalid_client');
      const basic = await postForm(t.url, '/oauth2/token', codeForm(code), {
        basic: { id: 'no-such-client', secret: 'x' },
      });
      expectOAuthError(basic, 401, 'invalid_client');
      expect(basic.headers.get('www-authenticate')).toMatch(/^Basic /);
    });

    it('should answer 401 invalid_client for a method other than the registered one', async () => {
      const viaBasic = await postForm(t.url, '/oauth2/token', codeForm(await codeFor(postClient)), {
        basic: { id: postClient.clientId, secret: postClient.secret! },
      });
      expectOAuthError(viaBasic, 401, 'invalid_client');
      expect(viaBasic.headers.get('www-authenticate')).toMatch(/^Basic /);

      const viaPost = await postForm(t.url, '/oauth2/token', {
        ...codeForm(await codeFor(basicClient)),
        client_id: basicClient.clientId,
        client_secret: basicClient.secret,
      });
      expectOAuthError(viaPost, 401, 'invalid_client');

      const withoutSecret = await postForm(t.url, '/oauth2/token', {
        ...codeForm(await codeFor(postClient)),
        client_id: postClient.clientId,
      });
      expectOAuthError(withoutSecret, 401, 'invalid_client');

      const publicWithSecret = await postForm(t.url, '/oauth2/token', {
        ...codeForm(await codeFor(publicClient)),
        client_id: publicClient.clientId,
        client_secret: 'anything',
      });
      expectOAuthError(publicWithSecret, 401, 'invalid_client');
    });

    it('should answer invalid_request for a secret in both the header and the body', async () => {
      const res = await postForm(
        t.url,
        '/oauth2/token',
        { ...codeForm(await codeFor(basicClient)), client_secret: basicClient.secret },
        { basic: { id: basicClient.clientId, secret: basicClient.secret! } },
      );
      expectOAuthError(res, 400, 'invalid_request');
    });

    it('should answer invalid_request without client_id, invalid_client for a malformed Basic header', async () => {
      const code = await codeFor(publicClient);
      expectOAuthError(
        await postForm(t.url, '/oauth2/token', codeForm(code)),
        400,
        'invalid_request',
      );
      const res = await postForm(t.url, '/oauth2/token', codeForm(code), {
        headers: { authorization: 'Basic %%%' },
      });
      expectOAuthError(res, 401, 'invalid_client');
      const bearer = await postForm(t.url, '/oauth2/token', codeForm(code), {
        headers: { authorization: 'Bearer abc' },
      });
      expectOAuthError(bearer, 401, 'invalid_client');
      expect(await codeUsed(code.code)).toBe(false);
    });

    it('should url-decode Basic credentials (RFC 6749 §2.3.1)', async () => {
      const code = await codeFor(basicClient);
      const res = await postForm(t.url, '/oauth2/token', codeForm(code), {
        headers: {
          authorization: `Basic ${Buffer.from(
            `${basicClient.clientId}:${encodeURIComponent(basicClient.secret!)}`,
          ).toString('base64')}`,
        },
      });
      expect(res.status).toBe(200);
      expect(basicHeader('a b', 'c:d')).toBe(
        `Basic ${Buffer.from('a+b:c%3Ad').toString('base64')}`,
      );
    });
    it('should answer 503 temporarily_unavailable, never invalid_client, while the database is down', async () => {
      const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
      const spy = jest.spyOn(ClientService.prototype, 'findByClientId').mockRejectedValue(down);
      try {
        const code = await codeFor(basicClient);
        for (const res of [
          await exchangeCode(t.url, basicClient, code),
          await refresh(t.url, basicClient, 'some-refresh-token'),
          await revoke(t.url, basicClient, { token: 'some-token' }),
        ]) {
          expectOAuthError(res, 503, 'temporarily_unavailable');
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(res.headers.get('www-authenticate')).toBeNull();
        }
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('request format', () => {
    const form = async () => {
      const code = await createCode(t.app, publicClient, alice);
      return {
        code,
        form: {
          grant_type: 'authorization_code',
          client_id: publicClient.clientId,
          code: code.code,
          code_verifier: code.verifier,
          redirect_uri: code.redirectUri,
        },
      };
    };

    it('should answer invalid_request to a JSON body or another content type', async () => {
      const { code, form: body } = await form();
      for (const [contentType, payload] of [
        ['application/json', JSON.stringify(body)],
        ['text/plain', new URLSearchParams(body).toString()],
        ['application/xml', '<x/>'],
        ['multipart/form-data; boundary=x', '--x--'],
      ]) {
        const res = await readResponse(
          await fetch(`${t.url}/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': contentType },
            body: payload,
          }),
        );
        expect({ contentType, status: res.status }).toEqual({ contentType, status: 400 });
        expectOAuthError(res, 400, 'invalid_request');
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
      }
      const none = await readResponse(await fetch(`${t.url}/oauth2/token`, { method: 'POST' }));
      expectOAuthError(none, 400, 'invalid_request');
      expect(await codeUsed(code.code)).toBe(false);
    });

    it('should answer invalid_request to a repeated parameter', async () => {
      const { code, form: body } = await form();
      for (const name of ['code', 'grant_type', 'client_id', 'code_verifier', 'redirect_uri']) {
        const value = (body as Record<string, string>)[name];
        const res = await postForm(t.url, '/oauth2/token', { ...body, [name]: [value, value] });
        expectOAuthError(res, 400, 'invalid_request');
      }
      expectOAuthError(
        await postForm(t.url, '/oauth2/token', {
          ...body,
          resource: [`${t.url}/mcp`, `${t.url}/mcp`],
        }),
        400,
        'invalid_request',
      );
      expect(await codeUsed(code.code)).toBe(false);
    });

    it('should answer invalid_request to a missing parameter', async () => {
      const { form: body } = await form();
      for (const name of ['grant_type', 'code', 'code_verifier', 'redirect_uri']) {
        const res = await postForm(t.url, '/oauth2/token', { ...body, [name]: undefined });
        expectOAuthError(res, 400, 'invalid_request');
        expect(res.body.error_description).toContain(name);
      }
      const empty = await postForm(t.url, '/oauth2/token', { ...body, code: '' });
      expectOAuthError(empty, 400, 'invalid_request');
    });

    it('should answer unsupported_grant_type to other grants', async () => {
      for (const grant_type of [
        'password',
        'client_credentials',
        'implicit',
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:jwt-bearer',
        'AUTHORIZATION_CODE',
      ]) {
        const res = await postForm(t.url, '/oauth2/token', {
          grant_type,
          client_id: publicClient.clientId,
          username: 'alice@acme.example',
          password: 'x',
        });
        expectOAuthError(res, 400, 'unsupported_grant_type');
      }
    });

    it('should answer unauthorized_client to a grant the client did not register', async () => {
      const codeOnly = await createOAuthClient(t.app, { grantTypes: ['authorization_code'] });
      const issued = await exchangeCode(t.url, codeOnly, await createCode(t.app, codeOnly, alice));
      expect(issued.status).toBe(200);
      expectOAuthError(
        await refresh(t.url, codeOnly, issued.body.refresh_token),
        400,
        'unauthorized_client',
      );
      const refreshOnly = await createOAuthClient(t.app, { grantTypes: ['refresh_token'] });
      expectOAuthError(
        await exchangeCode(t.url, refreshOnly, await createCode(t.app, refreshOnly, alice)),
        400,
        'unauthorized_client',
      );
    });

    it('should answer odd input with a 4xx and no-store, never a 5xx', async () => {
      const { form: body } = await form();
      const odd = [
        { ...body, code: 'a'.repeat(10_000) },
        { ...body, code_verifier: '\u0000'.repeat(50) },
        { ...body, redirect_uri: '%zz' },
        { ...body, client_id: 'x'.repeat(5000) },
        { ...body, resource: '\u00ff'.repeat(100) },
        { ...body, grant_type: 'refresh_token', refresh_token: '\u0000' },
        { ...body, grant_type: 'refresh_token', refresh_token: 'r', scope: 'x'.repeat(5000) },
      ];
      for (const f of odd) {
        const res = await postForm(t.url, '/oauth2/token', f);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectNoStore(res);
      }
    });

    it('should ignore unknown parameters, __proto__ included', async () => {
      const { form: body } = await form();
      const res = await postForm(t.url, '/oauth2/token', {
        ...body,
        ['__proto__']: 'x',
        constructor: 'y',
        scope: 'ignored',
      });
      expect(res.status).toBe(200);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });

  describe('CORS and JWKS', () => {
    it('should answer preflight OPTIONS on the token and revocation endpoints', async () => {
      for (const path of ['/oauth2/token', '/token', '/oauth2/revoke', '/revoke']) {
        const res = await fetch(`${t.url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin: 'http://localhost:6274',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, authorization',
          },
        });
        expect({ path, status: res.status }).toEqual({ path, status: 204 });
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
        expect(res.headers.get('access-control-allow-methods')).toContain('POST');
        expect(res.headers.get('access-control-allow-headers')).toBe(
          'Content-Type, Authorization, MCP-Protocol-Version',
        );
      }
    });

    it('should publish the signing key as a JWK Set, public parts only', async () => {
      const res = await fetch(`${t.url}/.well-known/jwks.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const jwks: any = await res.json();
      expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
      for (const key of jwks.keys) {
        expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
        expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' });
        expect(key.kid).toBe(jwkThumbprint(key));
      }
      const issued = await exchangeCode(
        t.url,
        publicClient,
        await createCode(t.app, publicClient, alice),
      );
      const header = JSON.parse(
        Buffer.from(issued.body.access_token.split('.')[0], 'base64url').toString(),
      );
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    });
  });
});
