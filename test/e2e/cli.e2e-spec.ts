import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { freePort } from 'test/support/test-app';

/**
 * The admin CLI as an operator runs it: a child process (`node -r ts-node/register … admin.ts`) on a
 * fresh database it migrates itself. Every start costs a few seconds, so the cases share databases
 * and keep the number of runs small.
 */

const PASSWORD = 'Tr0ub4dor-and-3';

describe.each(databases)('admin CLI on the %s database (e2e)', (database) => {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let dbName: string | undefined;
  /** Runs the CLI on this database; whatever it prints must never contain the password. */
  const cli = async (...args: string[]): Promise<CliRun> => {
    const run = await runCli(args, env);
    expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
    return run;
  };
  let user: Record<string, unknown>;

  beforeAll(async () => {
    if (database === 'embedded') {
      dataDir = await mkdtemp(join(tmpdir(), 'cli-e2e-'));
      env = embeddedEnv(dataDir);
    } else {
      // An empty database, not the migrated template: the CLI must migrate it itself.
      dbName = `e2e_cli_${process.pid}_${Date.now().toString(36)}`;
      env = { DATABASE_URL: await createDatabase(pgServer!, dbName) };
    }
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (dbName) await dropDatabase(pgServer!, dbName);
  });

  it(
    'should create a user, an organization and a membership that later runs see',
    async () => {
      const created = await cli(
        'user:create',
        '--email',
        'Ada@Example.com',
        '--password',
        PASSWORD,
        '--name',
        'Ada Lovelace',
        '--json',
      );
      expect(created).toMatchObject({ code: 0, stderr: '' });
      user = oneJsonObject(created.stdout);
      expect(user).toEqual({
        id: expect.stringMatching(UUID),
        email: 'ada@example.com',
        name: 'Ada Lovelace',
      });

      const orgRun = await cli('--json', 'org:create', '--name', 'Acme Corp');
      expect(orgRun).toMatchObject({ code: 0, stderr: '' });
      const org = oneJsonObject(orgRun.stdout);
      expect(org).toEqual({
        id: expect.stringMatching(UUID),
        name: 'Acme Corp',
        slug: 'acme-corp',
      });

      const added = await cli(
        'member:add',
        '--org',
        'acme-corp',
        '--email',
        'ada@example.com',
        '--role',
        'admin',
        '--json',
      );
      expect(added).toMatchObject({ code: 0, stderr: '' });
      const membership = {
        organizationId: org.id,
        organization: 'acme-corp',
        userId: user.id,
        email: 'ada@example.com',
        role: 'admin',
      };
      expect(oneJsonObject(added.stdout)).toEqual(membership);

      // A new process finds the membership the previous one stored, with its role.
      const removed = await cli(
        'member:remove',
        '--org=acme-corp',
        '--email=ada@example.com',
        '--json',
      );
      expect(removed).toMatchObject({ code: 0, stderr: '' });
      expect(oneJsonObject(removed.stdout)).toEqual(membership);
      if (dataDir) expect(existsSync(join(dataDir, 'db.lock'))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'should refuse a second user with the same email in one line on stderr',
    async () => {
      const run = await cli(
        'user:create',
        '--email',
        'ada@EXAMPLE.com',
        '--password',
        PASSWORD,
        '--json',
      );
      expectFailure(run, 1, /^error: A user with email ada@example\.com already exists\n$/);
    },
    TIMEOUT,
  );

  it(
    'should disable a user and say so in one human-readable line',
    async () => {
      const run = await cli('user:disable', '--email', 'ada@example.com');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(`Disabled user ada@example.com, id ${String(user.id)}\n`);
    },
    TIMEOUT,
  );
});

describe('admin CLI command line and start-up (e2e)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cli-e2e-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'should print the usage for help (exit 0) and without a command (exit 2)',
    async () => {
      const env = embeddedEnv(dataDir);
      const [help, none] = await Promise.all([runCli(['--help'], env), runCli([], env)]);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      for (const command of [
        'user:create',
        'user:disable',
        'org:create',
        'member:add',
        'demo:seed',
      ]) {
        expect(help.stdout).toContain(command);
      }
      expect(none).toMatchObject({ code: 2, stderr: '', stdout: help.stdout });
    },
    TIMEOUT,
  );

  it(
    'should answer an unknown command or a missing option with exit 2 and one line',
    async () => {
      const env = embeddedEnv(dataDir);
      const [unknown, missing] = await Promise.all([
        runCli(['user:delete', '--email', 'a@example.com', '--json'], env),
        runCli(['member:add', '--org', 'acme', '--email', 'a@example.com'], env),
      ]);
      expectFailure(unknown, 2, /unknown command "user:delete"/);
      expectFailure(missing, 2, /^error: member:add: missing --role\n$/);
    },
    TIMEOUT,
  );

  it(
    'should reject a role that does not exist',
    async () => {
      const run = await runCli(
        ['member:add', '--org', 'acme', '--email', 'a@example.com', '--role', 'boss', '--json'],
        embeddedEnv(dataDir),
      );
      expectFailure(run, 1, /Unknown role "boss": use one of owner, admin, member/);
    },
    TIMEOUT,
  );

  it(
    'should seed the demo data, printing the password only when it generated one',
    async () => {
      const demoPassword = 'demo-password-from-env';
      const [generatedDir, chosenDir] = await Promise.all([
        mkdtemp(join(tmpdir(), 'cli-e2e-demo-')),
        mkdtemp(join(tmpdir(), 'cli-e2e-demo-')),
      ]);
      try {
        const [generated, chosen] = await Promise.all([
          runCli(['demo:seed', '--json'], { ...embeddedEnv(generatedDir), DEMO_PASSWORD: '' }),
          runCli(['demo:seed', '--json'], {
            ...embeddedEnv(chosenDir),
            DEMO_PASSWORD: demoPassword,
          }),
        ]);
        const seeded = {
          created: true,
          organizations: expect.arrayContaining([expect.any(String)]),
          users: expect.arrayContaining([expect.stringContaining('@')]),
        };
        expect(generated).toMatchObject({ code: 0, stderr: '' });
        expect(oneJsonObject(generated.stdout)).toEqual({
          ...seeded,
          password: expect.stringMatching(/^\S{8,}$/),
        });
        expect(chosen).toMatchObject({ code: 0, stderr: '' });
        expect(oneJsonObject(chosen.stdout)).toEqual(seeded);
        expect(chosen.stdout).not.toContain(demoPassword);
      } finally {
        await rm(generatedDir, { recursive: true, force: true });
        await rm(chosenDir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );

  it(
    'should refuse the embedded database while a server holds it, and leave its lock alone',
    async () => {
      const busyDir = await mkdtemp(join(tmpdir(), 'cli-e2e-busy-'));
      const server: ChildProcess = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        const lock = JSON.stringify({ pid: server.pid, holder: 'server' });
        await writeFile(join(busyDir, 'db.lock'), lock);
        const run = await runCli(
          ['user:create', '--email', 'b@example.com', '--password', PASSWORD],
          embeddedEnv(busyDir),
        );
        expectFailure(run, 1, /is in use by another process \(server, pid \d+\)/);
        expect(run.stderr).toMatch(/stop the server/);
        expect(run.stderr).not.toContain(PASSWORD);
        expect(await readFile(join(busyDir, 'db.lock'), 'utf8')).toBe(lock);
      } finally {
        server.kill();
        await rm(busyDir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );

  it(
    'should say in one line that PostgreSQL cannot be reached',
    async () => {
      const port = await freePort();
      const run = await runCli(['org:create', '--name', 'Acme'], {
        DATABASE_URL: `postgres://operator:pw-not-shown@127.0.0.1:${port}/catalog`,
      });
      expectFailure(
        run,
        1,
        new RegExp(`^error: Cannot connect to PostgreSQL 127\\.0\\.0\\.1:${port}/catalog`),
      );
      expect(run.stderr).not.toContain('pw-not-shown');
    },
    TIMEOUT,
  );
});
