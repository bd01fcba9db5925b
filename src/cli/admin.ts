import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { systemPrincipal } from 'src/auth/principal';
import { parseCommandLine, ParsedValues } from 'src/cli/args';
import { CliCommand, CommandOutput } from 'src/cli/cli-command';
import { describeFailure } from 'src/cli/cli-errors';
import { CliModule } from 'src/cli/cli.module';
import { COMMAND_GROUPS, COMMANDS } from 'src/cli/command-registry';
import { formatCommandHelp, formatUsage } from 'src/cli/usage';
import { AppConfig, loadAppConfig } from 'src/config/app.config';
import { runMigrations } from 'src/database/migrate';
import { preflightDatabase } from 'src/database/preflight';

/**
 * The admin CLI: `npm run --silent admin -- <command> [options] [--json]`. Stdout carries only the
 * result (a few readable lines, or one JSON object on one line with `--json`); a failure is one
 * `error: …` line on stderr.
 */
async function main(argv: readonly string[]): Promise<number> {
  let config: AppConfig | undefined;
  try {
    const line = parseCommandLine(argv, COMMANDS);
    if (line.kind === 'usage') {
      await print(
        process.stdout,
        line.command ? formatCommandHelp(line.command) : formatUsage(COMMANDS),
      );
      return line.exitCode;
    }
    config = loadAppConfig(process.env);
    const output = await execute(line.command, line.options, config);
    await print(process.stdout, line.json ? JSON.stringify(output.json) : output.text);
    return output.exitCode ?? 0;
  } catch (err) {
    const failure = describeFailure(err, config?.database);
    await print(process.stderr, `error: ${failure.message}`);
    return failure.exitCode;
  }
}

/**
 * Takes the database (the data-folder lock on the embedded database), starts a Nest context without
 * HTTP or logs, migrates, runs the command, and closes everything again so PGlite flushes to disk.
 */
async function execute(
  command: CliCommand,
  options: ParsedValues,
  config: AppConfig,
): Promise<CommandOutput> {
  const release = await preflightDatabase(config.database, 'cli');
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(CliModule.forCommands(COMMAND_GROUPS), {
      logger: false,
      abortOnError: false,
    });
    await runMigrations(app.get(DataSource), config.database.kind === 'embedded');
    const output = await command.run({ app, config, principal: systemPrincipal('cli') }, options);
    const opened = app;
    app = undefined;
    await opened.close(); // a failed close (data not flushed) is a failed command
    return output;
  } finally {
    await app?.close().catch(() => undefined);
    release();
  }
}

function print(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(`${text}\n`, () => resolve()));
}

void main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  () => process.exit(1),
);
