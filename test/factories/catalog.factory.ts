import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import type { OrganizationRole } from 'src/users/membership.entity';

/** Demo people (README, Demo data) by short name: email and organization slug. */
export const DEMO = {
  alice: ['alice@acme.example', 'acme'],
  bob: ['bob@acme.example', 'acme'],
  carol: ['carol@acme.example', 'acme'],
  dave: ['dave@acme.example', 'acme'],
  erin: ['erin@globex.example', 'globex'],
  frank: ['frank@globex.example', 'globex'],
  carolGlobex: ['carol@acme.example', 'globex'],
} as const;
export type DemoPerson = keyof typeof DEMO;

/**
 * The principal a demo user has in one organization, as the auth layer would build it from a key
 * (role read from the membership).
 */
export async function demoPrincipal(
  app: INestApplicationContext,
  who: DemoPerson,
  overrides: Partial<UserPrincipal> = {},
): Promise<UserPrincipal> {
  const [email, slug] = DEMO[who];
  const rows: Array<{ user_id: string; organization_id: string; role: OrganizationRole }> =
    await app.get(DataSource).query(
      `SELECT m.user_id, m.organization_id, m.role FROM memberships m
         JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id
        WHERE u.email = $1 AND o.slug = $2`,
      [email, slug],
    );
  if (rows.length !== 1) throw new Error(`no demo membership for ${email} in ${slug}`);
  return {
    kind: 'user',
    userId: rows[0].user_id,
    organizationId: rows[0].organization_id,
    organizationRole: rows[0].role,
    scopes: ['mcp'],
    authMethod: 'api_key',
    ...overrides,
  };
}

/** The id of a seeded access agreement by its fixed external id. */
export async function demoAgreementId(
  app: INestApplicationContext,
  externalId: string,
): Promise<string> {
  const rows: Array<{ id: string }> = await app
    .get(DataSource)
    .query('SELECT id FROM access_agreements WHERE external_id = $1', [externalId]);
  if (rows.length !== 1) throw new Error(`no demo agreement ${externalId}`);
  return rows[0].id;
}

/** Awaits a promise that must fail with a DomainError of the given code; returns the error. */
export async function domainError(
  promise: Promise<unknown>,
  code: ErrorCode,
): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError && err.code === code) return err;
    throw new Error(
      `expected ${code}, got ${err instanceof DomainError ? `${err.code}: ${err.message}` : String(err)}`,
    );
  }
  throw new Error(`expected ${code}, but it succeeded`);
}
