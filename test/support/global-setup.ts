import 'tsconfig-paths/register';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from 'src/database/data-source';
import { runMigrations } from 'src/database/migrate';
import { createDatabase, dropDatabase } from 'test/support/postgres';

/**
 * On PostgreSQL (`DATABASE_URL` set): creates a template database for this run, migrated once; every
 * test file then gets its own copy (`CREATE DATABASE … TEMPLATE`). On the embedded database each test
 * file migrates its own in-memory PGlite instead.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const template = `e2e_tpl_${process.pid}_${Date.now().toString(36)}`;
  await dropDatabase(url, template);
  const templateUrl = await createDatabase(url, template);
  const ds = new DataSource(buildDataSourceOptions({ kind: 'postgres', url: templateUrl }));
  await ds.initialize();
  try {
    await runMigrations(ds, false);
  } finally {
    await ds.destroy();
  }
  process.env.E2E_PG_SERVER_URL = url;
  process.env.E2E_PG_TEMPLATE = template;
}
