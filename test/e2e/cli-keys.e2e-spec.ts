import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfigModule } from 'src/config/app-config.module';
import { IN_MEMORY } from 'src/config/app.config';
import { DatabaseModule } from 'src/database/database.module';
import { runMigrations } from 'src/database/migrate';
import { UsersModule } from 'src/users/users.module';
import { addMember, createOrganization, createUser } from 'test/factories/identity.factory';
import {
  CliRun,
  databases,
  embeddedEnv,
  expectFailure,
  oneJsonObject,
  pgServer,
  runCli,
  TIMEOUT,
  UUID,
} from 'test/support/cli';
import { createDatabase, dropDatabase } from 'test/support/postgres';

/**
 * The API-key commands of the admin CLI, run as an operator runs them: a child process on a real
 * database (embedded PGlite in a data folder; PostgreSQL when the run has DATABASE_URL). No server is
 * started: what a command stored is checked through the next command. Every CLI start costs seconds,
 * so users and organizations are seeded in-process and the runs are few (7 per database, 5 once).
 */

const DAY_MS = 86_400_000;
const KEY = /^ed_[0-9A-Za-z]{36}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** What key lists show instead of the key: `ed_` + 4 characters … the last 4. */
const hintOf = (key: string): string => `${key.slice(0, 7)}…${key.slice(-4)}`;

/** An organization with one member and one user who is not a member, stored by the services. */
async function seedIdentities(env: Record<string, string>) {
  const app = await NestFactory.createApplicationContext(
    {
      module: class KeysSeedModule {},
      imports: [AppConfigModule.forRoot(env), DatabaseModule, UsersModule],
    },
    { logger: false },
  );
  try {
    await runMigrations(app.get(DataSource), !env.DATABASE_URL);
    const org = await createOrganization(app, 'keys');
    const member = await createUser(app, 'member');
    const outsider = await createUser(app, 'outsider');
    await addMember(app, org.slug, member.email, 'member');
    return { org, member, outsider };
  } finally {
    await app.close(); // flushes the embedded database to its folder before the CLI opens it
  }
}

const pgTemplate = process.env.E2E_PG_TEMPLATE;

describe.each(databases)('admin CLI key commands on the %s database (e2e)', (database) => {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let dbName: string | undefined;
  let seeded: Awaited<ReturnType<typeof seedIdentities>>;
  /** Every key the CLI printed: no later output (list, revoke, errors) may contain one. */
  const printedKeys: string[] = [];

  const cli = async (...args: string[]): Promise<CliRun> => {
    const run = await runCli(args, env);
    for (const key of printedKeys) expect(`${run.stdout}${run.stderr}`).not.toContain(key);
    return run;
  };

  beforeAll(async () => {
    if (database === 'embedded') {
      dataDir = await mkdtemp(join(tmpdir(), 'cli-keys-e2e-'));
      env = embeddedEnv(dataDir);
    } else {
      dbName = `e2e_cli_keys_${process.pid}_${Date.now().toString(36)}`;
      env = { DATABASE_URL: await createDatabase(pgServer!, dbName, pgTemplate) };
    }
    seeded = await seedIdentities(env);
  }, TIMEOUT);

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (dbName) await dropDatabase(pgServer!, dbName);
  });

  it(
    'should create user and organization keys that key:list shows by hint and key:revoke ends',
    async () => {
      const { org, member } = seeded;
      const before = Date.now();
      const userRun = await cli(
        'key:create',
        '--org',
        org.slug,
        '--email',
        member.email.toUpperCase(),
        '--read-only',
        '--expires-in-days',
        '30',
        '--json',
      );
      const after = Date.now();
      expect(userRun).toMatchObject({ code: 0, stderr: '' });
      const userKey = oneJsonObject(userRun.stdout);
      expect(userKey).toEqual({ id: expect.stringMatching(UUID), key: expect.stringMatching(KEY) });
      const userSecret = String(userKey.key);

      const orgRun = await cli('key:create', '--org', org.slug, '--name', 'Deploy bot');
      expect(orgRun).toMatchObject({ code: 0, stderr: '' });
      const [orgSecret, warning, ...rest] = orgRun.stdout.split('\n');
      expect(orgSecret).toMatch(KEY);
      expect(warning).toMatch(/shown only once/);
      expect(warning).toContain(`organization key for ${org.slug}`);
      expect(rest).toEqual(['']);
      expect(orgSecret).not.toBe(userSecret);
      printedKeys.push(userSecret, orgSecret);

      const listRun = await cli('key:list', '--org', org.slug, '--json');
      expect(listRun).toMatchObject({ code: 0, stderr: '' });
      const listed = oneJsonObject(listRun.stdout);
      expect(listed).toEqual({ organization: org.slug, keys: expect.any(Array) });
      const keys = listed.keys as Array<Record<string, unknown>>;
      expect(keys).toHaveLength(2);
      const byHint = (key: string) => keys.find((k) => k.displayHint === hintOf(key));
      expect(byHint(userSecret)).toEqual({
        id: userKey.id,
        name: 'CLI key',
        kind: 'user',
        displayHint: hintOf(userSecret),
        owner: member.email,
        readOnly: true,
        createdAt: expect.stringMatching(ISO),
        lastUsedAt: null,
        expiresAt: expect.stringMatching(ISO),
      });
      const expiresAt = Date.parse(String(byHint(userSecret)?.expiresAt));
      expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
      expect(expiresAt).toBeLessThanOrEqual(after + 30 * DAY_MS);
      expect(byHint(orgSecret)).toMatchObject({
        id: expect.stringMatching(UUID),
        name: 'Deploy bot',
        kind: 'organization',
        owner: 'organization',
        readOnly: false,
        expiresAt: null,
      });
      expect(listRun.stdout).not.toMatch(/hash|"key"/i);

      const revokeRun = await cli('key:revoke', '--id', String(userKey.id));
      expect(revokeRun).toMatchObject({ code: 0, stderr: '' });
      expect(revokeRun.stdout).toMatch(/^Revoked the user key /);
      expect(revokeRun.stdout).toContain(hintOf(userSecret));

      const afterRevoke = await cli('key:list', '--org', org.slug);
      expect(afterRevoke).toMatchObject({ code: 0, stderr: '' });
      expect(afterRevoke.stdout).toContain(String(byHint(orgSecret)?.id));
      expect(afterRevoke.stdout).toContain(hintOf(orgSecret));
      expect(afterRevoke.stdout).not.toContain(String(userKey.id));
      expect(afterRevoke.stdout).not.toContain(hintOf(userSecret));
    },
    TIMEOUT,
  );

  it(
    'should refuse a key for a user outside the organization and a key id that does not exist',
    async () => {
      const outsider = await cli(
        'key:create',
        '--org',
        seeded.org.slug,
        '--email',
        seeded.outsider.email,
        '--json',
      );
      expectFailure(
        outsider,
        1,
        new RegExp(`^error: ${seeded.outsider.email} is not a member of ${seeded.org.slug}`),
      );

      const id = randomUUID();
      expectFailure(await cli('key:revoke', '--id', id), 1, new RegExp(`API key ${id} not found`));
    },
    TIMEOUT,
  );
});

describe('admin CLI key commands: bad input (e2e)', () => {
  it(
    'should answer an unknown organization, a bad expiry or key id with exit 1, usage with exit 2',
    async () => {
      // In-memory databases: these runs share nothing, so they can run side by side.
      const env = embeddedEnv(IN_MEMORY);
      const [unknownOrg, badExpiry, badId, flagValue, missingId] = await Promise.all([
        runCli(['key:create', '--org', 'no-such-org', '--json'], env),
        runCli(['key:create', '--org', 'acme', '--expires-in-days', '0'], env),
        runCli(['key:revoke', '--id', 'not-a-uuid'], env),
        runCli(['key:create', '--org', 'acme', '--read-only=yes'], env),
        runCli(['key:revoke', '--json'], env),
      ]);
      expectFailure(unknownOrg, 1, /^error: Organization no-such-org not found\n$/);
      expectFailure(badExpiry, 1, /--expires-in-days must be a whole number from 1 to 3650/);
      expectFailure(badId, 1, /--id must be a key id/);
      expect(badId.stderr).not.toContain('not-a-uuid');
      expectFailure(flagValue, 2, /^error: key:create: --read-only takes no value\n$/);
      expectFailure(missingId, 2, /^error: key:revoke: missing --id\n$/);
    },
    TIMEOUT,
  );
});
