import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from 'test/support/test-app';

const run = promisify(execFile);

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL instance the test owns: its own data folder, port and socket folder, so a test can stop
 * and start it without touching the shared cluster. Always `destroy()` it (an exit hook also does).
 */
export interface OwnPostgres {
  readonly port: number;
  /** Where data, socket and log live. */
  readonly dir: string;
  /** URL of `database` on this instance (user postgres, trust authentication). */
  url(database?: string): string;
  /** Starts the server again on the same port (after `stop()`); waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server: `fast` ends sessions cleanly, `immediate` aborts them (no shutdown checkpoint). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server if running and removes its folder. Idempotent. */
  destroy(): Promise<void>;
  /** Creates a database (idempotent) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs one statement on `database` with a short-lived connection. */
  query(sql: string, params?: unknown[], database?: string): Promise<unknown[]>;
}

const live = new Set<{ dataDir: string; dir: string }>();
let exitHookInstalled = false;

/** Last resort when a run ends without `destroy()`: stop every instance and remove its folder. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const inst of live) {
      try {
        execFileSync(
          ...asPostgres(join(PG_BIN, 'pg_ctl'), [
            '-D',
            inst.dataDir,
            'stop',
            '-m',
            'immediate',
            '-w',
          ]),
          {
            stdio: 'ignore',
            timeout: 10_000,
          },
        );
      } catch {
        /* already stopped */
      }
      rmSync(inst.dir, { recursive: true, force: true });
    }
  });
}

/** initdb and pg_ctl refuse root: run them as the `postgres` OS user when we are root. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]]
    : [cmd, args];
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

async function pgCtl(args: string[], timeoutMs = 30_000): Promise<void> {
  const [cmd, argv] = asPostgres(join(PG_BIN, 'pg_ctl'), args);
  await run(cmd, argv, { timeout: timeoutMs });
}

/** initdb into a fresh temporary folder and start the server on a free port. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'fault-pg-'));
  const dataDir = join(dir, 'data');
  const entry = { dataDir, dir };
  live.add(entry);
  installExitHook();
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

  const start = async () => {
    await pgCtl([
      '-D',
      dataDir,
      '-l',
      join(dir, 'server.log'),
      '-o',
      // Durability is irrelevant here; fsync off keeps start and stop fast.
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      '-w',
      '-t',
      '30',
      'start',
    ]);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await pgCtl(['-D', dataDir, 'stop', '-m', mode, '-w', '-t', '30']);
  };
  const query = async (sql: string, params: unknown[] = [], database = 'postgres') => {
    const client = new Client({ connectionString: url(database), connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as unknown[];
    } finally {
      await client.end();
    }
  };

  const instance: OwnPostgres = {
    port,
    dir,
    url,
    start,
    stop,
    query,
    destroy: async () => {
      if (!live.has(entry)) return;
      // Whatever state a failed test left it in (pg_ctl says so harmlessly when nothing runs).
      await stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      live.delete(entry);
    },
    createDatabase: async (name) => {
      if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`unsafe database name ${name}`);
      const rows = await query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rows.length === 0) await query(`CREATE DATABASE ${name}`);
      return url(name);
    },
  };
  try {
    const [cmd, argv] = asPostgres(join(PG_BIN, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await run(cmd, argv, { timeout: 60_000 });
    await start();
  } catch (err) {
    await instance.destroy();
    throw err;
  }
  return instance;
}
