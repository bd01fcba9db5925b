import { DynamicModule, Module } from '@nestjs/common';
import { CliCommandGroup } from 'src/cli/cli-command';
import { AppConfigModule } from 'src/config/app-config.module';
import { DatabaseModule } from 'src/database/database.module';

/**
 * The Nest context of the admin CLI: configuration, the database and the feature modules the
 * commands call; no HTTP server and no request logger.
 */
@Module({})
export class CliModule {
  static forCommands(groups: readonly CliCommandGroup[]): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(),
        DatabaseModule,
        ...new Set(groups.flatMap((g) => g.modules)),
      ],
    };
  }
}
