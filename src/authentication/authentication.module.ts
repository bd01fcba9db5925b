import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ACCESS_TOKEN_VERIFIER } from 'src/auth/access-token.claims';
import { ApiKeysModule } from 'src/api-keys/api-keys.module';
import { ApiKeyStrategy } from 'src/authentication/api-key.strategy';
import { AuthenticationGuard } from 'src/authentication/authentication.guard';
import { BearerAuthService } from 'src/authentication/bearer-auth.service';
import { BrowserSessionCredential } from 'src/authentication/browser-session.credential';
import { JwtStrategy } from 'src/authentication/jwt.strategy';
import { AuthorizeModule } from 'src/oauth/authorize/authorize.module';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';
import { TokensModule } from 'src/oauth/tokens/tokens.module';
import { UsersModule } from 'src/users/users.module';

/**
 * The credential edge: the global guard and what it resolves credentials with (the Passport
 * strategies for API keys and access tokens, the browser session). Sits above api-keys, oauth and
 * users; `src/auth` holds only the vocabulary they all share.
 */
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
    BrowserSessionCredential,
    { provide: ACCESS_TOKEN_VERIFIER, useExisting: AccessTokenService },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [BrowserSessionCredential],
})
export class AuthenticationModule {}
