import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AuditModule } from 'src/audit/audit.module';
import { AppConfigModule } from 'src/config/app-config.module';
import { DatabaseModule } from 'src/database/database.module';
import { runMigrations } from 'src/database/migrate';
import { UsersModule } from 'src/users/users.module';
import { auditEvents, connectApp, grantState, insertClient } from 'test/factories/admin.factory';
import { addMember, createOrganization, createUser } from 'test/factories/identity.factory';
import {
  CliRun,
  databases,
  embeddedEnv,
  oneJsonObject,
  pgServer,
  runCli,
  TIMEOUT,
} from 'test/support/cli';
import { createDatabase, dropDatabase } from 'test/support/postgres';

/**
 * The member commands of the admin CLI, run as an operator runs them (a child process on a real
 * database), go through the same service as the members API: every change is audited, and a removal
 * revokes the member's OAuth grants in that organization. Data is seeded and read back in-process,
 * between CLI runs (the embedded database has one holder at a time).
 */

/** Runs `fn` in a Nest context on the CLI's database, then closes it (flushing the embedded one). */
async function onDatabase<T>(
  env: Record<string, string>,
  fn: (app: INestApplicationContext, ds: DataSource) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(
    {
      module: class MembersCliTestModule {},
      imports: [AppConfigModule.forRoot(env), DatabaseModule, UsersModule, AuditModule],
    },
    { logger: false },
  );
  try {
    const ds = app.get(DataSource);
    await runMigrations(ds, !env.DATABASE_URL);
    return await fn(app, ds);
  } finally {
    await app.close();
  }
}

/** Alice: a member here with a connected app, and one in another organization; Bob: no member. */
async function seed(env: Record<string, string>) {
  return onDatabase(env, async (app, ds) => {
    const org = await createOrganization(app, 'cli-members');
    const elsewhere = await createOrganization(app, 'cli-elsewhere');
    const alice = await createUser(app, 'alice');
    const bob = await createUser(app, 'bob');
    await addMember(app, org.slug, alice.email, 'member');
    await addMember(app, elsewhere.slug, alice.email, 'member');
    const client = await insertClient(ds, { name: 'Claude' });
    const here = await connectApp(ds, alice.id, org.id, client.id);
    const there = await connectApp(ds, alice.id, elsewhere.id, client.id);
    return { org, alice, bob, here, there };
  });
}

const pgTemplate = process.env.E2E_PG_TEMPLATE;

describe.each(databases)('admin CLI member commands on the %s database (e2e)', (database) => {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let dbName: string | undefined;
  let seeded: Awaited<ReturnType<typeof seed>>;

  const cli = (...args: string[]): Promise<CliRun> => runCli(args, env);

  beforeAll(async () => {
    if (database === 'embedded') {
      dataDir = await mkdtemp(join(tmpdir(), 'cli-members-e2e-'));
      env = embeddedEnv(dataDir);
    } else {
      dbName = `e2e_cli_members_${process.pid}_${Date.now().toString(36)}`;
      env = { DATABASE_URL: await createDatabase(pgServer!, dbName, pgTemplate) };
    }
    seeded = await seed(env);
  }, TIMEOUT);

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (dbName) await dropDatabase(pgServer!, dbName);
  });

  it(
    'should audit an addition and a role change, and revoke the grants of a removed member here only',
    async () => {
      const { org, alice, bob, here, there } = seeded;
      // member:add adds a user who is not a member, and changes the role of one who is.
      const add = (email: string, role: string) =>
        cli('member:add', `--org=${org.slug}`, `--email=${email}`, `--role=${role}`);
      expect(await add(bob.email, 'member')).toEqual({
        code: 0,
        stderr: '',
        stdout: `${bob.email} is now member of ${org.slug}\n`,
      });
      expect((await add(alice.email, 'admin')).stdout).toBe(
        `${alice.email} is now admin of ${org.slug}\n`,
      );

      const removed = await cli(
        'member:remove',
        `--org=${org.slug}`,
        `--email=${alice.email}`,
        '--json',
      );
      expect(removed).toMatchObject({ code: 0, stderr: '' });
      expect(oneJsonObject(removed.stdout)).toEqual({
        organizationId: org.id,
        organization: org.slug,
        userId: alice.id,
        email: alice.email,
        role: 'admin',
      });

      await onDatabase(env, async (app, ds) => {
        expect(await grantState(ds, here.grantId)).toEqual({
          revoked: true,
          reason: 'membership_removed',
          refreshTokensRevoked: true,
        });
        expect((await grantState(ds, there.grantId)).revoked).toBe(false);

        const events = async (type: string) =>
          (await auditEvents(app, ds, org.id, type)).map((e) => ({
            actor: e.actor_user_id,
            target: e.target_id,
            details: e.details,
          }));
        expect(await events('membership.added')).toEqual([
          { actor: null, target: bob.id, details: { role: 'member' } },
        ]);
        expect(await events('membership.role_changed')).toEqual([
          { actor: null, target: alice.id, details: { from: 'member', to: 'admin' } },
        ]);
        expect(await events('membership.removed')).toEqual([
          { actor: null, target: alice.id, details: { role: 'admin', revokedGrants: 1 } },
        ]);
        expect(await events('oauth.grant.revoked')).toEqual([
          {
            actor: null,
            target: here.grantId,
            details: { reason: 'membership_removed', userId: alice.id },
          },
        ]);
      });
    },
    TIMEOUT,
  );
});
