import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import { ApiKeysModule } from 'src/api-keys/api-keys.module';
import { systemPrincipal } from 'src/auth/principal';
import { CliModule } from 'src/cli/cli.module';
import { loadAppConfig } from 'src/config/app.config';
import { preflightDatabase } from 'src/database/preflight';
import { OrganizationsService } from 'src/users/organizations.service';
import { User } from 'src/users/user.entity';
import { normalizeEmail } from 'src/users/users.service';
import { UsersModule } from 'src/users/users.module';

/**
 * Stop-gap until the admin CLI has `key:create`: creates a user API key through the app's
 * ApiKeyService, in the same Nest context the CLI uses, and prints `{ "id", "key" }`. The bench
 * uses it only when `admin help key:create` fails; delete it once that command has landed.
 * Usage: create-key.ts --org SLUG --email EMAIL (the database must already be migrated).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { org: { type: 'string' }, email: { type: 'string' } },
    strict: true,
  });
  if (!values.org || !values.email)
    throw new Error('usage: create-key.ts --org SLUG --email EMAIL');
  const config = loadAppConfig(process.env);
  const release = await preflightDatabase(config.database, 'bench');
  try {
    const app = await NestFactory.createApplicationContext(
      CliModule.forCommands([{ modules: [UsersModule, ApiKeysModule], commands: [] }]),
      { logger: false, abortOnError: false },
    );
    try {
      const org = await app.get(OrganizationsService).getBySlug(values.org);
      const user = await app
        .get(DataSource)
        .getRepository(User)
        .findOneBy({ email: normalizeEmail(values.email) });
      if (!user) throw new Error(`no user ${values.email}`);
      const created = await app.get(ApiKeyService).create(systemPrincipal('bench'), {
        name: 'bench',
        kind: 'user',
        organizationId: org.id,
        userId: user.id,
      });
      process.stdout.write(`${JSON.stringify({ id: created.id, key: created.key })}\n`);
    } finally {
      await app.close();
    }
  } finally {
    release();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
