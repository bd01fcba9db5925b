import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMember, createOrganization, createUser } from 'test/factories/identity.factory';
import {
  alertText,
  authorizePath,
  BrowserAgent,
  hiddenFields,
} from 'test/factories/oauth-authorize.factory';
import { exchangeCode, readResponse, revoke, tokenRequest } from 'test/factories/oauth-http';
import { createCode, TestClient } from 'test/factories/oauth.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { createDatabase, dropDatabase } from 'test/support/postgres';
import { startTestApp, TestApp } from 'test/support/test-app';

const OLD_ISSUER = 'https://catalog-old.example.com';
const NEW_ISSUER = 'https://catalog.example.com';
const REDIRECT = 'https://client.example/callback';
const CIMD_ID = 'https://cimd.example/clients/portable.json';

/**
 * Client credentials are bound to the issuer that issued them (RFC 6749 §2.2; MCP 2026-07-28 ›
 * Client Registration › Authorization Server Binding). One database, three starts: under the old
 * PUBLIC_URL (clients register, one row is left unbound as the migration leaves existing rows),
 * again under it (the unbound row is bound at start), then under a new PUBLIC_URL, where every
 * client of the old issuer is answered exactly like an unknown client, while a Client ID Metadata
 * Document client (portable) and a client that registers again work.
 */
describe('client credentials bound to the issuer, across a change of PUBLIC_URL (e2e)', () => {
  const pgServer = process.env.E2E_PG_SERVER_URL;
  const pgTemplate = process.env.E2E_PG_TEMPLATE;
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let dbName: string | undefined;
  let t: TestApp;
  let seen: {
    confidential: TestClient;
    publicClient: TestClient;
    legacy: TestClient;
    storedIssuers: Record<string, string | null>;
    legacyAuthorizeStatus: number;
    legacyIssuerAfterRestart: string | null;
    accessToken: string;
    refreshToken: string;
    /** Authorizations begun under the old issuer: session cookies and interaction ids. */
    pending: Record<'confidential' | 'cimd', { cookies: Map<string, string>; interaction: string }>;
  };

  const start = (publicUrl: string) =>
    startTestApp({ ...env, SEED_DEMO: 'false', PUBLIC_URL: publicUrl });

  const issuerOf = async (app: TestApp, clientId: string): Promise<string | null> =>
    (
      await app.dataSource.query<Array<{ issuer: string | null }>>(
        `SELECT issuer FROM oauth_clients WHERE client_id = $1`,
        [clientId],
      )
    )[0].issuer;

  async function register(
    app: TestApp,
    method: 'none' | 'client_secret_post',
  ): Promise<TestClient> {
    const res = await fetch(`${app.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: `Issuer test (${method})`,
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: method,
        application_type: 'web',
      }),
    });
    const body = (await readResponse(res)).body as Record<string, string>;
    expect(res.status).toBe(201);
    const [row] = await app.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM oauth_clients WHERE client_id = $1`,
      [body.client_id],
    );
    return {
      id: row.id,
      clientId: body.client_id,
      method,
      secret: body.client_secret,
      redirectUris: [REDIRECT],
    };
  }

  /** A dynamic client as stored before issuers were (the migration leaves such rows unbound). */
  async function insertUnbound(app: TestApp): Promise<TestClient> {
    const clientId = `legacy-${randomUUID()}`;
    const [row] = await app.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris,
         token_endpoint_auth_method, grant_types, response_types)
       VALUES ($1, 'dynamic', 'Legacy client', $2::jsonb, 'none',
         '["authorization_code","refresh_token"]'::jsonb, '["code"]'::jsonb)
       RETURNING id`,
      [clientId, JSON.stringify([REDIRECT])],
    );
    return { id: row.id, clientId, method: 'none', redirectUris: [REDIRECT] };
  }

  const authorize = (app: TestApp, clientId: string) =>
    fetch(
      `${app.url}${authorizePath(
        { id: '', clientId, clientName: '', redirectUris: [REDIRECT] },
        app.config.mcpResource,
      )}`,
      { redirect: 'manual' },
    );

  /** Opens the authorization page in a fresh browser: its cookies and the interaction id. */
  async function beginAuthorization(app: TestApp, clientId: string) {
    const agent = new BrowserAgent(app.url);
    const res = await agent.get(
      authorizePath(
        { id: '', clientId, clientName: '', redirectUris: [REDIRECT] },
        app.config.mcpResource,
      ),
    );
    expect(res.status).toBe(200);
    return { cookies: agent.cookies, interaction: hiddenFields(await res.text()).interaction };
  }

  /** What an unknown client gets, to compare with. */
  const unknown = (c: TestClient): TestClient => ({ ...c, clientId: `unknown-${randomUUID()}` });

  beforeAll(async () => {
    if (pgServer && pgTemplate) {
      dbName = `e2e_issuer_${process.pid}_${Date.now().toString(36)}`;
      env = { DATABASE_URL: await createDatabase(pgServer, dbName, pgTemplate) };
    } else {
      dataDir = await mkdtemp(join(tmpdir(), 'issuer-e2e-'));
      env = { DATABASE_URL: '', DATA_DIR: dataDir };
    }

    const before = await start(OLD_ISSUER);
    let legacy: TestClient;
    try {
      const confidential = await register(before, 'client_secret_post');
      const publicClient = await register(before, 'none');
      legacy = await insertUnbound(before);
      const legacyAuthorizeStatus = (await authorize(before, legacy.clientId)).status;
      await before.dataSource.query(
        `INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris,
           token_endpoint_auth_method, grant_types, response_types, metadata_expires_at)
         VALUES ($1, 'metadata_document', 'Portable', $2::jsonb, 'none',
           '["authorization_code","refresh_token"]'::jsonb, '["code"]'::jsonb, now() + interval '1 day')`,
        [CIMD_ID, JSON.stringify([REDIRECT])],
      );
      const org = await createOrganization(before.app);
      const user = await createUser(before.app);
      await addMember(before.app, org.slug, user.email);
      const code = await createCode(before.app, confidential, {
        userId: user.id,
        organizationId: org.id,
      });
      const tokens = await exchangeCode(before.url, confidential, code);
      expect(tokens.status).toBe(200);
      const pending = {
        confidential: await beginAuthorization(before, confidential.clientId),
        cimd: await beginAuthorization(before, CIMD_ID),
      };
      seen = {
        confidential,
        publicClient,
        legacy,
        storedIssuers: {
          confidential: await issuerOf(before, confidential.clientId),
          publicClient: await issuerOf(before, publicClient.clientId),
          legacy: await issuerOf(before, legacy.clientId),
          cimd: await issuerOf(before, CIMD_ID),
        },
        legacyAuthorizeStatus,
        legacyIssuerAfterRestart: null,
        accessToken: tokens.body.access_token as string,
        refreshToken: tokens.body.refresh_token as string,
        pending,
      };
    } finally {
      await before.close();
    }

    const restarted = await start(OLD_ISSUER);
    try {
      seen.legacyIssuerAfterRestart = await issuerOf(restarted, legacy.clientId);
    } finally {
      await restarted.close();
    }

    t = await start(NEW_ISSUER);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (dbName && pgServer) await dropDatabase(pgServer, dbName);
  });

  it('should store the issuer with each registration and bind an unbound client at the next start', () => {
    expect(t.database).toBe(pgServer ? 'postgres' : 'embedded');
    expect(seen.storedIssuers).toEqual({
      confidential: OLD_ISSUER,
      publicClient: OLD_ISSUER,
      legacy: null,
      cimd: null,
    });
    // Unbound, the legacy client counted as registered under the running issuer.
    expect(seen.legacyAuthorizeStatus).toBe(200);
    expect(seen.legacyIssuerAfterRestart).toBe(OLD_ISSUER);
  });

  it('should answer authorize for every client of the old issuer with the unknown-client 400 page', async () => {
    const expected = await authorize(t, `unknown-${randomUUID()}`);
    expect(expected.status).toBe(400);
    const expectedText = alertText(await expected.text());
    expect(expectedText).toMatch(/client_id is not known here/);
    for (const c of [seen.confidential, seen.publicClient, seen.legacy]) {
      const res = await authorize(t, c.clientId);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(alertText(await res.text())).toBe(expectedText);
    }
  });

  it('should end an authorization begun under the old issuer for its client, not for a CIMD client', async () => {
    const resume = async (which: 'confidential' | 'cimd') => {
      const agent = new BrowserAgent(t.url);
      for (const [k, v] of seen.pending[which].cookies) agent.cookies.set(k, v);
      return agent.get(`/oauth2/authorize/consent?interaction=${seen.pending[which].interaction}`);
    };
    const bound = await resume('confidential');
    expect(bound.status).toBe(400);
    expect(alertText(await bound.text())).toMatch(/expired or was already completed/);
    const portable = await resume('cimd');
    expect(portable.status).toBe(200);
    expect(await portable.text()).toContain('name="password"');
  });

  it('should refuse a client of the old issuer at the token endpoint with invalid_client, as an unknown one', async () => {
    const forms = [
      { grant_type: 'refresh_token', refresh_token: seen.refreshToken },
      { grant_type: 'authorization_code', code: 'x'.repeat(43), code_verifier: 'y'.repeat(43) },
    ];
    for (const client of [seen.confidential, seen.publicClient, seen.legacy]) {
      for (const form of forms) {
        const res = await tokenRequest(t.url, client, form);
        const asUnknown = await tokenRequest(t.url, unknown(client), form);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          error: 'invalid_client',
          error_description: expect.any(String),
        });
        expect(res.body).toEqual(asUnknown.body);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    }
  });

  it('should refuse a client of the old issuer at the revocation endpoint with invalid_client, as an unknown one', async () => {
    for (const client of [seen.confidential, seen.publicClient]) {
      const res = await revoke(t.url, client, { token: seen.refreshToken });
      const asUnknown = await revoke(t.url, unknown(client), { token: seen.refreshToken });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.body).toEqual(asUnknown.body);
    }
  });

  it('should no longer accept access tokens of the old issuer at /mcp', async () => {
    const res = await mcpPost(t.url, toolCall('whoami'), {
      authorization: `Bearer ${seen.accessToken}`,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('should bind a client that registers again to the new issuer, and accept it', async () => {
    const again = await register(t, 'client_secret_post');
    expect(await issuerOf(t, again.clientId)).toBe(NEW_ISSUER);
    expect((await authorize(t, again.clientId)).status).toBe(200);
    const res = await revoke(t.url, again, { token: 'unknown-token' });
    expect(res.status).toBe(200);
  });

  it('should keep a Client ID Metadata Document client portable: its cached row works under the new issuer', async () => {
    const res = await authorize(t, CIMD_ID);
    expect(res.status).toBe(200);
    expect(await issuerOf(t, CIMD_ID)).toBeNull();
  });

  it('should refuse to store an issuer on a metadata-document client', async () => {
    await expect(
      t.dataSource.query(`UPDATE oauth_clients SET issuer = $1 WHERE client_id = $2`, [
        NEW_ISSUER,
        CIMD_ID,
      ]),
    ).rejects.toThrow(/oauth_clients_issuer_dynamic_only/);
  });
});
