import { INestApplicationContext } from '@nestjs/common';
import { createUserKey } from 'test/factories/identity.factory';
import { OrganizationsService } from 'src/users/organizations.service';
import { UsersService } from 'src/users/users.service';

/** A user key for a demo user (README, Demo data) in one of the demo organizations. */
export async function demoKey(
  app: INestApplicationContext,
  email: string,
  orgSlug: 'acme' | 'globex',
  options: { readOnly?: boolean } = {},
): Promise<string> {
  const user = await app.get(UsersService).findByEmail(email);
  if (!user) throw new Error(`demo user ${email} missing`);
  const org = await app.get(OrganizationsService).getBySlug(orgSlug);
  return (await createUserKey(app, org.id, user.id, options)).key;
}
