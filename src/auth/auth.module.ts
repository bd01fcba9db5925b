import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiKeysModule } from 'src/api-keys/api-keys.module';
import { AuthenticationGuard } from 'src/auth/guards/authentication.guard';
import { ApiKeyStrategy } from 'src/auth/strategies/api-key.strategy';
import { JwtStrategy } from 'src/auth/strategies/jwt.strategy';
import { BearerAuthService } from 'src/auth/bearer-auth.service';
import { ACCESS_TOKEN_VERIFIER } from 'src/auth/access-token.claims';
import { TokensModule } from 'src/oauth/tokens/tokens.module';
import { AuthorizeModule } from 'src/oauth/authorize/authorize.module';
import { UsersModule } from 'src/users/users.module';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';

@Global()
@Module({
  imports: [
    PassportModule.register({ session: false }),
    ApiKeysModule,
    TokensModule,
    AuthorizeModule,
    UsersModule,
  ],
  providers: [
    ApiKeyStrategy,
    JwtStrategy,
    BearerAuthService,
    { provide: ACCESS_TOKEN_VERIFIER, useExisting: AccessTokenService },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
})
export class AuthModule {}
