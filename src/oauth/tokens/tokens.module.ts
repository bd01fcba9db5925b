import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from 'src/oauth/clients/clients.module';
import { OAuthAuthorizationCode, OAuthRefreshToken, OAuthSigningKey } from 'src/oauth/entities';
import { GrantsModule } from 'src/oauth/grants/grants.module';
import { AccessTokenService } from 'src/oauth/tokens/access-token.service';
import { AuthorizationCodeGrant } from 'src/oauth/tokens/authorization-code.grant';
import { ClientAuthenticator } from 'src/oauth/tokens/client-auth';
import { JwksController } from 'src/oauth/tokens/jwks.controller';
import { RefreshTokenGrant } from 'src/oauth/tokens/refresh-token.grant';
import { RevokeController } from 'src/oauth/tokens/revoke.controller';
import { SigningKeyService } from 'src/oauth/tokens/signing-key.service';
import { TokenController } from 'src/oauth/tokens/token.controller';
import { TokenEndpointHook } from 'src/oauth/tokens/token-endpoint.hook';
import { TokenEndpointService } from 'src/oauth/tokens/token-endpoint.service';
import { TokenIssuer } from 'src/oauth/tokens/token-issuer';
import { TokenRevocationService } from 'src/oauth/tokens/token-revocation.service';

/** Token and revocation endpoints, access tokens (JWT), refresh tokens, signing keys and JWKS. */
@Module({
  imports: [
    TypeOrmModule.forFeature([OAuthAuthorizationCode, OAuthRefreshToken, OAuthSigningKey]),
    GrantsModule,
    ClientsModule,
  ],
  controllers: [TokenController, RevokeController, JwksController],
  providers: [
    SigningKeyService,
    AccessTokenService,
    ClientAuthenticator,
    TokenIssuer,
    AuthorizationCodeGrant,
    RefreshTokenGrant,
    TokenRevocationService,
    TokenEndpointService,
    TokenEndpointHook,
  ],
  exports: [SigningKeyService, AccessTokenService, ClientAuthenticator, TokenRevocationService],
})
export class TokensModule {}
