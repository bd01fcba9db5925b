import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { CatalogModule } from 'src/catalog/catalog.module';
import { CatalogImportModule } from 'src/catalog/import/catalog-import.module';
import { HttpExceptionFilter } from 'src/common/filters/http-exception.filter';
import { loggerParams } from 'src/common/logging/logging';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { AppConfigModule, EnvOverrides } from 'src/config/app-config.module';
import { DatabaseModule } from 'src/database/database.module';
import { HealthModule } from 'src/health/health.module';
import { UsersModule } from 'src/users/users.module';
import { AuthenticationModule } from 'src/authentication/authentication.module';
import { AreaErrorFiltersModule } from 'src/common/filters/area-error-filters';
import { ApiKeysModule } from 'src/api-keys/api-keys.module';
import { McpModule } from 'src/mcp/mcp.module';
import { OAuthModule } from 'src/oauth/oauth.module';
import { RateLimitModule } from 'src/rate-limit/rate-limit.module';
import { MetricsModule } from 'src/metrics/metrics.module';
import { MaintenanceModule } from 'src/maintenance/maintenance.module';
import { AuditModule } from 'src/audit/audit.module';
import { MembersModule } from 'src/members/members.module';
import { OAuthAdminModule } from 'src/oauth-admin/oauth-admin.module';
import { SettingsModule } from 'src/settings/settings.module';

@Module({})
export class AppModule {
  static forRoot(overrides: EnvOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => loggerParams(config),
        }),
        DatabaseModule,
        UsersModule,
        CatalogModule,
        CatalogImportModule,
        HealthModule,
        MetricsModule,
        RateLimitModule,
        AreaErrorFiltersModule,
        AuthenticationModule,
        ApiKeysModule,
        McpModule,
        OAuthModule,
        MaintenanceModule,
        AuditModule,
        MembersModule,
        OAuthAdminModule,
        SettingsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
