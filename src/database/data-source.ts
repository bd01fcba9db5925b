import { DataSourceOptions } from 'typeorm';
import { join } from 'node:path';
import { DatabaseConfig } from 'src/config/app.config';
import { createEmbeddedDriver } from 'src/database/embedded/embedded-pool';
import { CreateFoundation1764172800000 } from 'src/database/migrations/1764172800000-CreateFoundation';
import { CreateApiKeys1764259200000 } from 'src/database/migrations/1764259200000-CreateApiKeys';
import { CreateOAuth1764345600000 } from 'src/database/migrations/1764345600000-CreateOAuth';
import { CreateAuditEvents1764432000000 } from 'src/database/migrations/1764432000000-CreateAuditEvents';
import { RefreshRotationFunctions1764518400000 } from 'src/database/migrations/1764518400000-RefreshRotationFunctions';
import { AddClientIssuer1764604800000 } from 'src/database/migrations/1764604800000-AddClientIssuer';
import { AddCatalogDocuments1764691200000 } from 'src/database/migrations/1764691200000-AddCatalogDocuments';

/** Listed explicitly (not globbed) so ts-node, jest and the compiled app load the same set. */
export const MIGRATIONS = [
  CreateFoundation1764172800000,
  CreateApiKeys1764259200000,
  CreateOAuth1764345600000,
  CreateAuditEvents1764432000000,
  RefreshRotationFunctions1764518400000,
  AddClientIssuer1764604800000,
  AddCatalogDocuments1764691200000,
];

/** Where PGlite keeps its files inside DATA_DIR. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, 'pglite');
}

/**
 * The one data-source definition shared by the app, the CLI, `ormconfig.ts` and the tests.
 * Migrations only: the schema is never synchronised from entities. It lists no entities: each
 * feature module registers its own (`TypeOrmModule.forFeature`) and the Nest data source collects
 * them (`autoLoadEntities` in DatabaseModule); the data sources built outside Nest (TypeORM CLI,
 * test template, specs) run migrations and plain SQL only.
 */
export function buildDataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if (db.kind === 'postgres') {
    return {
      ...common,
      url: db.url,
      poolSize: 10,
      connectTimeoutMS: 5000,
      // Every statement has a deadline: a stuck or slow database answers 503 instead of hanging.
      extra: { idleTimeoutMillis: 30_000, statement_timeout: 5_000, query_timeout: 6_000 },
    };
  }
  return {
    ...common,
    driver: createEmbeddedDriver(db.dataDir ? embeddedDatabaseDir(db.dataDir) : undefined),
  };
}
