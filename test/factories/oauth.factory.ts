import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { randomToken, sha256Base64Url, sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import type { TokenEndpointAuthMethod } from 'src/oauth/entities';
import { OrganizationsService } from 'src/users/organizations.service';
import { UsersService } from 'src/users/users.service';

export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

export interface TestClient {
  /** oauth_clients.id */
  id: string;
  clientId: string;
  method: TokenEndpointAuthMethod;
  /** Only for confidential clients. */
  secret?: string;
  redirectUris: string[];
}

/** A registered client, written straight into oauth_clients (secret stored as SHA-256). */
export async function createOAuthClient(
  app: INestApplicationContext,
  options: {
    method?: TokenEndpointAuthMethod;
    grantTypes?: string[];
    redirectUris?: string[];
    name?: string;
  } = {},
): Promise<TestClient> {
  const method = options.method ?? 'none';
  const clientId = randomToken(16);
  const secret = method === 'none' ? undefined : randomToken();
  const redirectUris = options.redirectUris ?? [REDIRECT_URI];
  const rows: Array<{ id: string }> = await app.get(DataSource).query(
    `INSERT INTO oauth_clients (client_id, client_secret_hash, kind, client_name, redirect_uris,
                                token_endpoint_auth_method, grant_types, response_types, scope)
     VALUES ($1, $2, 'dynamic', $3, $4::jsonb, $5, $6::jsonb, '["code"]'::jsonb, NULL)
     RETURNING id`,
    [
      clientId,
      secret ? sha256Hex(secret) : null,
      options.name ?? `Test client (${method})`,
      JSON.stringify(redirectUris),
      method,
      JSON.stringify(options.grantTypes ?? ['authorization_code', 'refresh_token']),
    ],
  );
  return { id: rows[0].id, clientId, method, secret, redirectUris };
}

export interface TestIdentity {
  userId: string;
  organizationId: string;
}

/** A demo user (README, Demo data) in one of the demo organizations. */
export async function demoIdentity(
  app: INestApplicationContext,
  email = 'alice@acme.example',
  orgSlug = 'acme',
): Promise<TestIdentity> {
  const user = await app.get(UsersService).findByEmail(email);
  if (!user) throw new Error(`demo user ${email} missing`);
  const org = await app.get(OrganizationsService).getBySlug(orgSlug);
  return { userId: user.id, organizationId: org.id };
}

export async function createGrant(
  app: INestApplicationContext,
  client: TestClient,
  who: TestIdentity,
  scope = 'mcp:read mcp:write',
): Promise<string> {
  const rows: Array<{ id: string }> = await app.get(DataSource).query(
    `INSERT INTO oauth_grants (user_id, organization_id, client_id, scope)
     VALUES ($1, $2, $3, $4) RETURNING id`,
    [who.userId, who.organizationId, client.id, scope],
  );
  return rows[0].id;
}

export interface TestCode {
  code: string;
  verifier: string;
  grantId: string;
  redirectUri: string;
  resource: string;
  scope: string;
}

/**
 * An authorization code as the authorize endpoint stores it: SHA-256 of the code, S256 challenge,
 * bound to client, redirect URI, resource, scope, user and organization; 60 s unless told otherwise.
 */
export async function createCode(
  app: INestApplicationContext,
  client: TestClient,
  who: TestIdentity,
  options: {
    grantId?: string;
    scope?: string;
    redirectUri?: string;
    resource?: string;
    expiresInSeconds?: number;
  } = {},
): Promise<TestCode> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const scope = options.scope ?? 'mcp:read mcp:write';
  const grantId = options.grantId ?? (await createGrant(app, client, who, scope));
  const code = randomToken();
  const verifier = randomToken(48);
  const redirectUri = options.redirectUri ?? client.redirectUris[0];
  const resource = options.resource ?? config.mcpResource;
  await app.get(DataSource).query(
    `INSERT INTO oauth_authorization_codes (code_hash, grant_id, client_id, user_id, organization_id,
        redirect_uri, code_challenge, resource, scope, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      sha256Hex(code),
      grantId,
      client.id,
      who.userId,
      who.organizationId,
      redirectUri,
      sha256Base64Url(verifier),
      resource,
      scope,
      new Date(Date.now() + (options.expiresInSeconds ?? 60) * 1000),
    ],
  );
  return { code, verifier, grantId, redirectUri, resource, scope };
}
