import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Client } from 'pg';
import { Cleanup } from '../../bench/cleanup';
import { createPostgresDatabase } from '../../bench/database';

/**
 * `npm run bench` moves the PostgreSQL backends of its database off the measured server's core. That
 * takes PostgreSQL (`DATABASE_URL`), two cores, `taskset`, and root (the backends are the postgres
 * user's processes); elsewhere this file says why it skips.
 */
function unavailable(): string | undefined {
  if (!process.env.E2E_PG_SERVER_URL) return 'needs PostgreSQL (DATABASE_URL)';
  if (availableParallelism() < 2) return 'needs two cores';
  if (process.getuid?.() !== 0) return 'needs root (taskset -p on the postgres user’s backends)';
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'needs taskset';
  }
  return undefined;
}

const allowedCores = (pid: number): string =>
  /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';

const why = unavailable();
if (why) console.warn(`bench database pinning e2e skipped: ${why}`);

(why ? describe.skip : describe)('bench database (e2e)', () => {
  const cleanup = new Cleanup(() => undefined);
  afterAll(() => cleanup.run());

  it('should move every backend of the bench database, and only those, to the given core', async () => {
    const server = new URL(process.env.E2E_PG_SERVER_URL!);
    server.pathname = '/postgres';
    const db = await createPostgresDatabase(cleanup, server.toString());
    const client = new Client({ connectionString: db.env.DATABASE_URL });
    const other = new Client({ connectionString: server.toString() });
    await client.connect();
    await other.connect();
    try {
      const pidOf = async (c: Client): Promise<number> =>
        (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const [backend, outsider] = [await pidOf(client), await pidOf(other)];
      const outsiderCores = allowedCores(outsider);

      await expect(db.pinBackends(1)).resolves.toEqual({ pinned: 1, failed: 0 });
      expect(allowedCores(backend)).toBe('1');
      await expect(db.pinBackends(0)).resolves.toEqual({ pinned: 1, failed: 0 });
      expect(allowedCores(backend)).toBe('0');
      // A backend of another database is left where it was.
      expect(allowedCores(outsider)).toBe(outsiderCores);
    } finally {
      await client.end();
      await other.end();
    }
  });
});
