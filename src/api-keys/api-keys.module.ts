import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyAuthService } from 'src/api-keys/api-key-auth.service';
import { ApiKey } from 'src/api-keys/api-key.entity';
import { ApiKeyService } from 'src/api-keys/api-key.service';
import { ApiKeysController } from 'src/api-keys/api-keys.controller';
import { UsersModule } from 'src/users/users.module';

@Module({
  // UsersModule registers User and Membership, which ApiKeyService reads.
  imports: [TypeOrmModule.forFeature([ApiKey]), UsersModule],
  controllers: [ApiKeysController],
  providers: [ApiKeyService, ApiKeyAuthService],
  exports: [ApiKeyService, ApiKeyAuthService],
})
export class ApiKeysModule {}
