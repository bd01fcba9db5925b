import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import type { OrganizationRole } from 'src/users/membership.entity';
import {
  addMember,
  createOrganization,
  createUser,
  createUserKey,
  TestUser,
} from 'test/factories/identity.factory';

export interface Person extends TestUser {
  key: string;
  keyId: string;
}

/** A user who is `role` in the organization, with a personal key for it. */
export async function personIn(
  app: INestApplicationContext,
  org: { id: string; slug: string },
  role: OrganizationRole,
  options: { readOnly?: boolean } = {},
): Promise<Person> {
  const user = await createUser(app, role);
  await addMember(app, org.slug, user.email, role);
  const key = await createUserKey(app, org.id, user.id, options);
  return { ...user, key: key.key, keyId: key.id };
}

/** A fresh organization with one owner, one admin and one member, each with a key. */
export async function adminTeam(app: INestApplicationContext) {
  const org = await createOrganization(app);
  const owner = await personIn(app, org, 'owner');
  const admin = await personIn(app, org, 'admin');
  const member = await personIn(app, org, 'member');
  return { org, owner, admin, member };
}

/** Rows the OAuth endpoints would write, inserted directly (those endpoints are built elsewhere). */
export async function insertClient(
  ds: DataSource,
  options: { name?: string; redirectUris?: string[]; kind?: 'dynamic' | 'metadata_document' } = {},
): Promise<{ id: string; clientId: string }> {
  const clientId = `client-${randomUUID()}`;
  const [row] = await ds.query<Array<{ id: string }>>(
    `INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris, token_endpoint_auth_method,
                                grant_types, response_types)
     VALUES ($1, $2, $3, $4::jsonb, 'none', '["authorization_code","refresh_token"]'::jsonb, '["code"]'::jsonb)
     RETURNING id`,
    [
      clientId,
      options.kind ?? 'dynamic',
      options.name ?? 'Test Client',
      JSON.stringify(options.redirectUris ?? ['http://127.0.0.1:53682/callback']),
    ],
  );
  return { id: row.id, clientId };
}

export async function insertGrant(
  ds: DataSource,
  g: {
    userId: string;
    organizationId: string;
    clientRowId: string;
    scope?: string;
    lastUsedAt?: Date;
  },
): Promise<string> {
  const [row] = await ds.query<Array<{ id: string }>>(
    `INSERT INTO oauth_grants (user_id, organization_id, client_id, scope, last_used_at)
     VALUES ($1, $2, $3, $4, $5::timestamptz) RETURNING id`,
    [
      g.userId,
      g.organizationId,
      g.clientRowId,
      g.scope ?? 'mcp:read mcp:write',
      g.lastUsedAt?.toISOString() ?? null,
    ],
  );
  return row.id;
}

export async function insertRefreshToken(
  ds: DataSource,
  grantId: string,
  clientRowId: string,
): Promise<string> {
  const [row] = await ds.query<Array<{ id: string }>>(
    `INSERT INTO oauth_refresh_tokens (token_hash, grant_id, client_id, scope, resource, expires_at,
                                       absolute_expires_at)
     VALUES ($1, $2, $3, 'mcp:read', 'http://localhost/mcp', now() + interval '30 days',
             now() + interval '365 days')
     RETURNING id`,
    [randomBytes(32).toString('hex'), grantId, clientRowId],
  );
  return row.id;
}

/** A grant with one live refresh token. */
export async function connectApp(
  ds: DataSource,
  userId: string,
  organizationId: string,
  clientRowId: string,
): Promise<{ grantId: string; refreshTokenId: string }> {
  const grantId = await insertGrant(ds, { userId, organizationId, clientRowId });
  return { grantId, refreshTokenId: await insertRefreshToken(ds, grantId, clientRowId) };
}

export async function grantState(ds: DataSource, grantId: string) {
  const [g] = await ds.query<Array<{ revoked_at: Date | null; revoked_reason: string | null }>>(
    `SELECT revoked_at, revoked_reason FROM oauth_grants WHERE id = $1`,
    [grantId],
  );
  const tokens = await ds.query<Array<{ revoked_at: Date | null }>>(
    `SELECT revoked_at FROM oauth_refresh_tokens WHERE grant_id = $1`,
    [grantId],
  );
  return {
    revoked: g.revoked_at !== null,
    reason: g.revoked_reason,
    refreshTokensRevoked: tokens.length > 0 && tokens.every((t) => t.revoked_at !== null),
  };
}

/** Writes buffered audit events, then returns the organization's events of `type`, oldest first. */
export async function auditEvents(
  app: INestApplicationContext,
  ds: DataSource,
  organizationId: string | null,
  type: string,
): Promise<Array<Record<string, any>>> {
  await app.get(AuditService).flush();
  return ds.query(
    `SELECT * FROM audit_events
      WHERE organization_id IS NOT DISTINCT FROM $1 AND type = $2
      ORDER BY created_at, id`,
    [organizationId, type],
  );
}
