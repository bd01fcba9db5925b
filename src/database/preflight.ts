import { Client } from 'pg';
import { DatabaseConfig, describeDatabase } from 'src/config/app.config';
import { lockDataDir } from 'src/database/embedded/data-dir-lock';

export class DatabaseStartupError extends Error {}

/**
 * Before Nest starts: on PostgreSQL, one connection attempt with a 5 s deadline, so an unreachable
 * database ends the process with one clear line instead of a retry loop of stack traces; on the
 * embedded database, the data-folder lock. Returns a function that releases what it took.
 */
export async function preflightDatabase(db: DatabaseConfig, holder: string): Promise<() => void> {
  if (db.kind === 'embedded') {
    return db.dataDir ? lockDataDir(db.dataDir, holder) : () => undefined;
  }
  const client = new Client({ connectionString: db.url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const reason = (err as Error).message || String(err);
    throw new DatabaseStartupError(
      `Cannot connect to ${describeDatabase(db)}: ${reason}. Check DATABASE_URL and that PostgreSQL is running (or unset DATABASE_URL to use the embedded database).`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  return () => undefined;
}
