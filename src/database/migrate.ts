import { DataSource } from 'typeorm';

const MIGRATION_LOCK = 0x6d6370; // arbitrary, constant advisory-lock key for migrations

/**
 * Runs pending migrations. On PostgreSQL an advisory lock makes instances that start together run
 * them one after the other; the embedded database is single-process and needs none.
 */
export async function runMigrations(ds: DataSource, embedded: boolean): Promise<string[]> {
  if (embedded) return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await qr.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await qr.release();
  }
}
