import 'reflect-metadata';
import { createServer } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from 'src/app.factory';
import { AppConfig, IN_MEMORY } from 'src/config/app.config';
import { createDatabase, dropDatabase } from 'test/support/postgres';

export const DEMO_PASSWORD = 'demo-password-for-tests';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port> — equal to PUBLIC_URL. */
  url: string;
  dataSource: DataSource;
  /** Which database this run uses. */
  database: 'postgres' | 'embedded';
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let counter = 0;

/**
 * Starts the real application on a free port with a fresh database: a copy of the migrated template
 * on PostgreSQL (when the run has `DATABASE_URL`), an in-memory PGlite otherwise. Demo data is seeded
 * with {@link DEMO_PASSWORD} unless `SEED_DEMO` is overridden.
 */
export async function startTestApp(
  overrides: Record<string, string | undefined> = {},
): Promise<TestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    PORT: String(port),
    PUBLIC_URL: url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'true',
    DEMO_PASSWORD,
    // Suites reuse one client or IP far more than a real client would; rate-limit tests set their own.
    RATE_LIMITS:
      'token=100000/1m,revoke=100000/1m,authorize=100000/1m,register=100000/1m,auth_failure=100000/1m',
  };
  const server = process.env.E2E_PG_SERVER_URL;
  const template = process.env.E2E_PG_TEMPLATE;
  let dbName: string | undefined;
  if (server && template) {
    dbName = `e2e_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    env.DATABASE_URL = await createDatabase(server, dbName, template);
  } else {
    env.DATABASE_URL = '';
    env.DATA_DIR = IN_MEMORY;
  }
  const { app, config } = await createApp({ ...env, ...overrides });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    config,
    url,
    dataSource: app.get(DataSource),
    database: config.database.kind,
    close: async () => {
      // Tests may leave keep-alive sockets with unread bodies; teardown need not wait for them.
      app.getHttpServer().closeAllConnections();
      await app.close();
      if (server && dbName) await dropDatabase(server, dbName);
    },
  };
}
