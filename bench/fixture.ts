import { randomBytes } from 'node:crypto';
import { Cleanup } from './cleanup';
import { runCommand } from './processes';

export const BENCH_ORG = 'bench';
const BENCH_EMAIL = 'bench@example.com';
/** A demo user (SEED_DEMO) whose organization has a catalog for `search` to read. */
export const DEMO_ORG = 'acme';
export const DEMO_EMAIL = 'alice@acme.example';

export interface BenchIdentity {
  email: string;
  /** The bench user's password, for the OAuth sign-in form (a secret: kept in memory only). */
  password: string;
  /** The user API key (a secret: never printed or written anywhere). */
  key: string;
  /** A user API key of DEMO_EMAIL in DEMO_ORG (needs the demo data). */
  demoKey?: string;
  /** How the key was made: the admin CLI, or the stop-gap script while `key:create` is missing. */
  keySource: 'admin key:create' | 'bench/create-key.ts';
}

/**
 * The admin CLI as `dist/cli/admin.js`: the same program as `npm run --silent admin`, compiled by
 * the build the bench has just run (no ts-node start-up on each call).
 */
async function admin(
  cleanup: Cleanup,
  env: Record<string, string>,
  args: string[],
): Promise<Record<string, unknown>> {
  const result = await runCommand(
    cleanup,
    process.execPath,
    ['dist/cli/admin.js', ...args, '--json'],
    env,
  );
  if (result.code !== 0) {
    // The arguments are not echoed: they hold a password.
    throw new Error(`admin ${args[0]} failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function hasCommand(
  cleanup: Cleanup,
  env: Record<string, string>,
  name: string,
): Promise<boolean> {
  const result = await runCommand(
    cleanup,
    process.execPath,
    ['dist/cli/admin.js', 'help', name],
    env,
  );
  return result.code === 0;
}

async function createKey(
  cleanup: Cleanup,
  env: Record<string, string>,
  org = BENCH_ORG,
  email = BENCH_EMAIL,
): Promise<Pick<BenchIdentity, 'key' | 'keySource'>> {
  if (await hasCommand(cleanup, env, 'key:create')) {
    const out = await admin(cleanup, env, ['key:create', '--org', org, '--email', email]);
    return { key: String(out.key), keySource: 'admin key:create' };
  }
  const result = await runCommand(
    cleanup,
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'bench/create-key.ts',
      '--org',
      org,
      '--email',
      email,
    ],
    env,
  );
  if (result.code !== 0) throw new Error(`bench/create-key.ts failed: ${result.stderr.trim()}`);
  const out = JSON.parse(result.stdout) as { key?: unknown };
  return { key: String(out.key), keySource: 'bench/create-key.ts' };
}

const isApiKey = (key: string): boolean => /^ed_[0-9A-Za-z]{36}$/.test(key);

/**
 * A member of a fresh organization and a user API key for them, through the admin CLI (run while
 * the server is stopped: the embedded database admits one process at a time); with `demo`, also a
 * key of the demo user DEMO_EMAIL (the demo data must be seeded already).
 */
export async function createBenchIdentity(
  cleanup: Cleanup,
  env: Record<string, string>,
  demo = false,
): Promise<BenchIdentity> {
  const password = randomBytes(18).toString('base64url');
  await admin(cleanup, env, ['org:create', '--name', 'Bench Org', '--slug', BENCH_ORG]);
  await admin(cleanup, env, [
    'user:create',
    '--email',
    BENCH_EMAIL,
    '--password',
    password,
    '--name',
    'Bench User',
  ]);
  await admin(cleanup, env, [
    'member:add',
    '--org',
    BENCH_ORG,
    '--email',
    BENCH_EMAIL,
    '--role',
    'member',
  ]);
  const { key, keySource } = await createKey(cleanup, env);
  if (!isApiKey(key)) throw new Error(`${keySource} did not return an ed_ key`);
  if (!demo) return { email: BENCH_EMAIL, password, key, keySource };
  const { key: demoKey } = await createKey(cleanup, env, DEMO_ORG, DEMO_EMAIL);
  if (!isApiKey(demoKey))
    throw new Error(`${keySource} did not return an ed_ key for ${DEMO_EMAIL}`);
  return { email: BENCH_EMAIL, password, key, demoKey, keySource };
}
