import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  CliRun,
  databases,
  embeddedEnv,
  expectFailure,
  oneJsonObject,
  pgServer,
  runCli,
  TIMEOUT,
} from 'test/support/cli';
import { ROOT } from 'test/support/processes';
import { createDatabase, dropDatabase } from 'test/support/postgres';
import { DatabaseConfig } from 'src/config/app.config';
import { buildDataSourceOptions } from 'src/database/data-source';
import { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';

/**
 * `user:set-password`, the way back from a lost (demo) password, as an operator runs it: a child
 * process on a real database; the new password is then checked by the same `authenticate` the
 * sign-in form calls.
 */

const OLD = 'the-old-password';
const NEW = 'Corr3ct-horse-battery';
const PIPED = 'piped-on-stdin-9';

/**
 * The CLI with `input` on its stdin (a pipe, not a terminal), as a script passes a password. Blocks
 * until it exits: nothing else runs meanwhile in this file.
 */
function runCliWithStdin(args: string[], env: Record<string, string>, input: string): CliRun {
  const node = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
  const run = spawnSync(process.execPath, [...node, 'src/cli/admin.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.each(databases)('admin CLI user:set-password on the %s database (e2e)', (database) => {
  let env: Record<string, string>;
  let db: DatabaseConfig;
  let dataDir: string | undefined;
  let dbName: string | undefined;
  /** Runs the CLI; nothing it prints may contain a password. */
  const cli = async (args: string[], stdin?: string): Promise<CliRun> => {
    const run = stdin === undefined ? await runCli(args, env) : runCliWithStdin(args, env, stdin);
    for (const secret of [OLD, NEW, PIPED])
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    return run;
  };
  /** Signs in the way the sign-in form does, on the database the CLI wrote (the CLI has exited). */
  async function signIn(email: string, password: string): Promise<boolean> {
    const ds = new DataSource({ ...buildDataSourceOptions(db), entities: [User] });
    await ds.initialize();
    try {
      return (
        (await new UsersService(ds.getRepository(User)).authenticate(email, password)) !== null
      );
    } finally {
      await ds.destroy();
    }
  }

  beforeAll(async () => {
    if (database === 'embedded') {
      dataDir = await mkdtemp(join(tmpdir(), 'cli-password-e2e-'));
      env = embeddedEnv(dataDir);
      db = { kind: 'embedded', dataDir };
    } else {
      dbName = `e2e_cli_pw_${process.pid}_${Date.now().toString(36)}`;
      const url = await createDatabase(pgServer!, dbName);
      env = { DATABASE_URL: url };
      db = { kind: 'postgres', url };
    }
    const created = await cli(['user:create', '--email', 'ada@example.com', '--password', OLD]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
  }, TIMEOUT);

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (dbName) await dropDatabase(pgServer!, dbName);
  });

  it(
    'should set the password given with --password: the new one signs in, the old one no longer',
    async () => {
      const run = await cli([
        'user:set-password',
        '--email',
        'Ada@Example.com',
        '--password',
        NEW,
        '--json',
      ]);

      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(oneJsonObject(run.stdout)).toEqual({
        id: expect.any(String),
        email: 'ada@example.com',
        disabled: false,
      });
      expect(await signIn('ada@example.com', NEW)).toBe(true);
      expect(await signIn('ada@example.com', OLD)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'should read the password from stdin when it is not a terminal',
    async () => {
      const run = await cli(['user:set-password', '--email', 'ada@example.com'], `${PIPED}\n`);

      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Set the password of ada@example\.com, id [0-9a-f-]{36}\n$/);
      expect(await signIn('ada@example.com', PIPED)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'should refuse a password shorter than user:create accepts, and keep the current one',
    async () => {
      const run = await cli([
        'user:set-password',
        '--email',
        'ada@example.com',
        '--password',
        'short',
      ]);

      expectFailure(run, 1, /The password must be 8 to 256 characters long/);
      expect(await signIn('ada@example.com', PIPED)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'should answer an unknown email with one clear line and exit 1',
    async () => {
      const run = await cli([
        'user:set-password',
        '--email',
        'nobody@example.com',
        '--password',
        NEW,
      ]);

      expectFailure(run, 1, /^error: User nobody@example\.com not found\n$/);
    },
    TIMEOUT,
  );

  it(
    'should list the command and its options in the help',
    async () => {
      const help = await cli(['help', 'user:set-password']);

      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toMatch(/user:set-password --email EMAIL \[--password PASSWORD\]/);
      expect(help.stdout).toMatch(/asked twice on a terminal/);
      const missing = await cli(['user:set-password', '--password', NEW]);
      expectFailure(missing, 2, /user:set-password: missing --email/);
    },
    TIMEOUT,
  );
});
