import { Client } from 'pg';
import { createDatabase, dropDatabase } from 'test/support/postgres';

/** The shared cluster (never stopped by these tests); FAULT_PG_URL overrides it. */
export const SHARED_PG_URL =
  process.env.FAULT_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let counter = 0;

export interface FreshDatabase {
  name: string;
  url: string;
  /** Drops the database (forcing out connections). Idempotent. */
  drop(): Promise<void>;
}

/** A new, empty database on the shared cluster for one test file; the server migrates it. */
export async function freshDatabase(prefix: string): Promise<FreshDatabase> {
  const name = `fault_${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const url = await createDatabase(SHARED_PG_URL, name);
  let dropped = false;
  return {
    name,
    url,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await dropDatabase(SHARED_PG_URL, name);
    },
  };
}

/**
 * Holds `LOCK TABLE … IN ACCESS EXCLUSIVE MODE` in its own session, so every query touching the
 * tables waits: a database that is up but does not answer. `release()` rolls back (idempotent).
 */
export async function holdTableLock(
  databaseUrl: string,
  tables: string[],
): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query(
    `LOCK TABLE ${tables.map((t) => `"${t.replace(/"/g, '')}"`).join(', ')} IN ACCESS EXCLUSIVE MODE`,
  );
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** How many sessions of `database` wait for a lock right now (pg_stat_activity). */
export async function sessionsWaitingOnLocks(database: string): Promise<number> {
  const client = new Client({ connectionString: SHARED_PG_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [database],
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}
