import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { buildDataSourceOptions } from 'src/database/data-source';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        // Start-up checks connectivity first and exits with a clear message; no retry loop here.
        retryAttempts: 0,
        // Each feature module registers its own entities with TypeOrmModule.forFeature.
        autoLoadEntities: true,
      }),
    }),
  ],
})
export class DatabaseModule {}
