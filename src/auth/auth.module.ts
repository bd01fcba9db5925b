import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiKeysModule } from 'src/api-keys/api-keys.module';
import { AuthenticationGuard } from 'src/auth/guards/authentication.guard';
import { ApiKeyStrategy } from 'src/auth/strategies/api-key.strategy';

@Global()
@Module({
  imports: [PassportModule.register({ session: false }), ApiKeysModule],
  providers: [ApiKeyStrategy, { provide: APP_GUARD, useClass: AuthenticationGuard }],
})
export class AuthModule {}
