import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from 'src/app.module';
import { registerBodyParsers } from 'src/common/body-parsers';
import { registerCatalogImportBody } from 'src/catalog/import/catalog-import-body';
import { helmetOptions, registerSecurityHeaders } from 'src/common/security-headers';
import { registerMcpOriginHook } from 'src/mcp/mcp-origin.hook';
import { requestIdFor } from 'src/common/logging/logging';
import { NestBootLogger } from 'src/common/logging/nest-boot-logger';
import { DemoSeedResult, DemoSeedService } from 'src/catalog/demo/demo-seed.service';
import { APP_CONFIG, AppConfig, loadAppConfig } from 'src/config/app.config';
import { EnvOverrides } from 'src/config/app-config.module';
import { runMigrations } from 'src/database/migrate';
import { preflightDatabase } from 'src/database/preflight';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface CreatedApp {
  app: NestFastifyApplication;
  config: AppConfig;
  seed: DemoSeedResult | null;
}

/**
 * Builds the whole application: validated configuration, database preflight, Nest on Fastify,
 * Swagger, migrations and (when configured) the demo data. Used by `main.ts` and by the e2e tests.
 */
export async function createApp(overrides: EnvOverrides = {}): Promise<CreatedApp> {
  const preliminary = loadAppConfig({ ...process.env, ...overrides });
  const release = await preflightDatabase(preliminary.database, 'server');
  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(overrides),
      // No `logger` option: Fastify's own logger stays off (request lines come from pino-http, see
      // logging.ts), so it writes no request lines and needs no `disableRequestLogging`, which
      // Fastify 5 deprecates (warning FSTDEP023 on every start).
      new FastifyAdapter({
        bodyLimit: MAX_BODY_BYTES,
        trustProxy: trustProxyOption(preliminary.trustProxy),
        genReqId: requestIdFor,
      }),
      { bufferLogs: true, abortOnError: false, bodyParser: false },
    );
    app.useLogger(new NestBootLogger(app.get(Logger)));
    const config = app.get<AppConfig>(APP_CONFIG);
    const fastify = app.getHttpAdapter().getInstance();
    registerMcpOriginHook(fastify, config);
    registerBodyParsers(fastify);
    registerCatalogImportBody(fastify);
    // Security headers and x-request-id on every response (pages set their own stricter CSP), in
    // one hook at the start of the request. No cookie plugin: the session code reads its own cookie.
    registerSecurityHeaders(fastify, helmetOptions(config.publicUrl.startsWith('https://')));
    app.useGlobalPipes(
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    setupSwagger(app, config);
    const dataSource = app.get(DataSource);
    await runMigrations(dataSource, config.database.kind === 'embedded');
    const seed = config.seedDemo
      ? await app.get(DemoSeedService).seed({ password: config.demoPassword })
      : null;
    await app.init();
    const close = app.close.bind(app);
    app.close = async () => {
      try {
        await close();
      } finally {
        release();
      }
    };
    return { app, config, seed };
  } catch (err) {
    await app?.close().catch(() => undefined);
    release();
    throw err;
  }
}

export function setupSwagger(app: NestFastifyApplication, config: AppConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Data Product Catalog')
      .setDescription(
        `Admin REST API of the data-product catalog MCP server. MCP endpoint: ${config.mcpResource}`,
      )
      .setVersion('1')
      .addServer(config.publicUrl)
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/**
 * Fastify's `trustProxy` for TRUST_PROXY. A hop count N trusts the N nearest hops, as proxy-addr
 * does for a number; Fastify 5.12 dropped bare counts from its option (they trust whatever peer
 * connects), so the count is passed as the equivalent function, which the operator asked for.
 */
export function trustProxyOption(
  value: boolean | number | string | string[],
): boolean | string | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value;
  return (_address, hop) => hop < value;
}
