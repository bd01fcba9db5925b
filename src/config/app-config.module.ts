import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_CONFIG, AppConfig, buildAppConfig } from 'src/config/app.config';
import { validateEnv } from 'src/config/env.validation';

export type EnvOverrides = Record<string, string | undefined>;

/**
 * Validates the environment once (through @nestjs/config's `validate` hook, with class-validator) and
 * provides the typed {@link AppConfig}. `overrides` lets tests and the CLI set variables without
 * touching `process.env`.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: EnvOverrides = {}): DynamicModule {
    let config: AppConfig | undefined;
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          validate: () => {
            config = buildAppConfig(validateEnv({ ...process.env, ...overrides }));
            return {};
          },
        }),
      ],
      providers: [
        {
          provide: APP_CONFIG,
          useFactory: (): AppConfig =>
            config ?? buildAppConfig(validateEnv({ ...process.env, ...overrides })),
        },
      ],
      exports: [APP_CONFIG],
    };
  }
}
