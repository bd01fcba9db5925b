import 'reflect-metadata';
import { Logger, PinoLogger } from 'nestjs-pino';
import { createApp } from 'src/app.factory';
import { printAfterLogs } from 'src/common/logging/print-after-logs';
import { FIRST_USER_COMMANDS, startupBanner } from 'src/common/logging/startup-banner';
import { describeDatabase } from 'src/config/app.config';
import { ConfigValidationError } from 'src/config/env.validation';
import { EmbeddedDatabaseBusyError } from 'src/database/embedded/data-dir-lock';
import { DatabaseStartupError } from 'src/database/preflight';
import { UsersService } from 'src/users/users.service';

/** In-flight requests get this long after SIGTERM (drain bound: ≤ 10 s). */
const DRAIN_DEADLINE_MS = 9000;

async function bootstrap(): Promise<void> {
  const { app, config, seed } = await createApp();
  const logger = app.get(Logger);
  if (seed?.created) {
    // The password itself goes only into the banner below, never into a structured log line.
    logger.log(
      `Demo data created. Demo users (${seed.users.join(', ')}) sign in with ${seed.generatedPassword ? 'the generated password in the start-up banner (shown once)' : 'DEMO_PASSWORD'}`,
      'DemoSeed',
    );
  }
  const noUsers = !(await app.get(UsersService).hasUsers());
  if (noUsers) {
    logger.warn(
      `No user exists yet, so nobody can sign in. Create one: ${FIRST_USER_COMMANDS}`,
      'Bootstrap',
    );
  }
  // Graceful shutdown: stop accepting, let in-flight requests finish (queries end by their 5 s
  // deadline, so a stuck one answers 503), close idle keep-alive connections as they go idle, close
  // the pool, exit 0. A backstop cuts whatever is left after DRAIN_DEADLINE_MS.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: shutting down`, 'Bootstrap');
      const server = app.getHttpServer();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => {
        logger.warn(
          `drain took longer than ${DRAIN_DEADLINE_MS} ms: closing remaining connections`,
          'Bootstrap',
        );
        server.closeAllConnections();
        process.exit(0);
      }, DRAIN_DEADLINE_MS);
      idle.unref();
      deadline.unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen({ port: config.port, host: '0.0.0.0' });
  logger.log(
    {
      url: config.publicUrl,
      mcpUrl: config.mcpResource,
      database: describeDatabase(config.database),
    },
    `Data Product Catalog ready at ${config.publicUrl} — MCP endpoint ${config.mcpResource} — database: ${describeDatabase(config.database)}`,
    'Bootstrap',
  );
  if (config.logLevel !== 'silent') {
    printAfterLogs(
      await app.resolve(PinoLogger),
      startupBanner({
        url: config.publicUrl,
        mcpUrl: config.mcpResource,
        settingsUrl: `${config.publicUrl}/settings`,
        database: describeDatabase(config.database),
        demo: seed?.created ? seed : undefined,
        noUsers,
      }),
    );
  }
}

bootstrap().catch((err: unknown) => {
  const known =
    err instanceof ConfigValidationError ||
    err instanceof DatabaseStartupError ||
    err instanceof EmbeddedDatabaseBusyError;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`Start-up failed: ${message}\n`);
  if (!known && err instanceof Error && process.env.LOG_LEVEL === 'debug') {
    process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
});
