import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Cleanup } from './cleanup';
import { cpuSeconds } from './processes';

/** The fresh database of one bench run, and the environment that points the server and CLI at it. */
export interface BenchDatabase {
  kind: 'postgres' | 'embedded';
  /** Printable, without credentials. */
  description: string;
  env: Record<string, string>;
  /** CPU seconds used so far by each PostgreSQL backend serving the bench database (null: embedded). */
  backendCpu(): Promise<Map<number, number> | null>;
  /**
   * Moves the PostgreSQL backends now serving the bench database to `core` (`taskset -p`), so they
   * never run on the measured server's core; how many moved and how many could not (none: embedded).
   */
  pinBackends(core: number): Promise<{ pinned: number; failed: number }>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function describe(url: string): string {
  const u = new URL(url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/**
 * CREATE DATABASE bench_<pid>_<time> on the given server (what `createdb` does, through the `pg`
 * client so a password in the URL works too); dropped WITH (FORCE) by `cleanup`.
 */
export async function createPostgresDatabase(
  cleanup: Cleanup,
  serverUrl: string,
): Promise<BenchDatabase & { version: string }> {
  const name = `bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `Cannot connect to ${describe(serverUrl)} (${(err as Error).message}): start PostgreSQL, pass --pg-url, or use --embedded`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  cleanup.add(`drop database ${name}`, async () => {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });
  const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
  const url = withDatabase(serverUrl, name);
  /** The PostgreSQL backends now serving the bench database. */
  const backendPids = async (): Promise<number[]> =>
    (
      await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
        name,
      ])
    ).rows.map((b) => b.pid);
  return {
    kind: 'postgres',
    description: describe(url),
    version: rows[0]?.server_version ?? 'unknown',
    env: { DATABASE_URL: url, DATA_DIR: '' },
    backendCpu: async () => {
      const pids = await backendPids();
      return new Map(pids.map((pid) => [pid, cpuSeconds(pid) ?? 0]));
    },
    pinBackends: async (core) => {
      const pids = await backendPids();
      let pinned = 0;
      for (const pid of pids) {
        try {
          execFileSync('taskset', ['-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
          pinned += 1;
        } catch {
          // Not ours to move (another user's process without root), or it has just exited.
        }
      }
      return { pinned, failed: pids.length - pinned };
    },
  };
}

/** A fresh temporary DATA_DIR for the embedded database (PGlite), removed by `cleanup`. */
export function createEmbeddedDatabase(cleanup: Cleanup): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bench-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  cleanup.add(`remove ${dir}`, async () => remove(), remove);
  return {
    kind: 'embedded',
    description: `embedded PGlite in ${dir}`,
    env: { DATABASE_URL: '', DATA_DIR: dir },
    backendCpu: async () => null,
    pinBackends: async () => ({ pinned: 0, failed: 0 }),
  };
}
