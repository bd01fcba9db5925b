import { Module } from '@nestjs/common';
import { GrantsModule } from 'src/oauth/grants/grants.module';
import { UsersModule } from 'src/users/users.module';
import { ClientsModule } from 'src/oauth/clients/clients.module';
import { TokensModule } from 'src/oauth/tokens/tokens.module';
import { AuthorizeModule } from 'src/oauth/authorize/authorize.module';
import { DiscoveryDocumentsModule } from 'src/oauth/discovery/discovery.module';

/**
 * The OAuth 2.1 authorization server. One controller per endpoint (well-known, register, authorize,
 * token, revoke); services for clients, sessions, codes, grants/tokens and signing keys. Each
 * sub-module registers the entities it owns.
 */
@Module({
  imports: [
    UsersModule,
    GrantsModule,
    ClientsModule,
    TokensModule,
    AuthorizeModule,
    DiscoveryDocumentsModule,
  ],
  controllers: [],
  exports: [GrantsModule, ClientsModule, TokensModule],
})
export class OAuthModule {}
