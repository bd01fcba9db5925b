import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import { systemPrincipal } from 'src/auth/principal';
import { Membership, type OrganizationRole } from 'src/users/membership.entity';
import { OrganizationsService } from 'src/users/organizations.service';
import { UsersService } from 'src/users/users.service';

export const PASSWORD = 'correct-horse-battery';

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

const sys = systemPrincipal('test');

export async function createUser(app: INestApplicationContext, prefix = 'user'): Promise<TestUser> {
  const email = `${prefix}-${randomUUID().slice(0, 8)}@test.example`;
  const u = await app.get(UsersService).create(sys, { email, password: PASSWORD, name: prefix });
  return { id: u.id, email: u.email, password: PASSWORD };
}

export async function createOrganization(app: INestApplicationContext, prefix = 'org') {
  const slug = `${prefix}-${randomUUID().slice(0, 8)}`;
  return app.get(OrganizationsService).create(sys, { name: `Org ${slug}`, slug });
}

/**
 * Makes an existing user a member of an organization: a plain insert, as test setup (no audit
 * event, no permission check; the members API and CLI go through MembersService).
 */
export async function addMember(
  app: INestApplicationContext,
  orgSlug: string,
  email: string,
  role: OrganizationRole = 'member',
): Promise<void> {
  const membership = await membershipOf(app, orgSlug, email);
  await app
    .get(DataSource)
    .getRepository(Membership)
    .insert({ ...membership, role });
}

/** Removes `email` from the organization directly (no grant revocation, no audit event). */
export async function removeMember(
  app: INestApplicationContext,
  orgSlug: string,
  email: string,
): Promise<void> {
  const membership = await membershipOf(app, orgSlug, email);
  await app.get(DataSource).getRepository(Membership).delete(membership);
}

async function membershipOf(app: INestApplicationContext, orgSlug: string, email: string) {
  const organization = await app.get(OrganizationsService).getBySlug(orgSlug);
  const user = await app.get(UsersService).findByEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  return { organizationId: organization.id, userId: user.id };
}

export async function createUserKey(
  app: INestApplicationContext,
  organizationId: string,
  userId: string,
  options: { readOnly?: boolean; expiresAt?: Date; name?: string } = {},
) {
  return app.get(ApiKeyService).create(sys, {
    name: options.name ?? 'test key',
    organizationId,
    userId,
    readOnly: options.readOnly,
    expiresAt: options.expiresAt,
  });
}

export async function createOrganizationKey(app: INestApplicationContext, organizationId: string) {
  return app
    .get(ApiKeyService)
    .create(sys, { name: 'org key', kind: 'organization', organizationId });
}

/** A user who belongs to a fresh organization with the given role, plus a key for it. */
export async function memberWithKey(
  app: INestApplicationContext,
  role: OrganizationRole = 'member',
  options: { readOnly?: boolean } = {},
) {
  const org = await createOrganization(app);
  const user = await createUser(app);
  await addMember(app, org.slug, user.email, role);
  const key = await createUserKey(app, org.id, user.id, options);
  return { org, user, key: key.key, keyId: key.id };
}
