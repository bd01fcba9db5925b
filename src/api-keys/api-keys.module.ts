import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyAuthService } from 'src/api-keys/api-key-auth.service';
import { ApiKey } from 'src/api-keys/api-key.entity';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import { ApiKeysController } from 'src/api-keys/api-keys.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey])],
  controllers: [ApiKeysController],
  providers: [ApiKeyService, ApiKeyAuthService],
  exports: [ApiKeyService, ApiKeyAuthService],
})
export class ApiKeysModule {}
