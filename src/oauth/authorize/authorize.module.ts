import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthorizationCodeService } from 'src/oauth/authorize/authorization-code.service';
import { AuthorizeFlowService } from 'src/oauth/authorize/authorize-flow.service';
import { AuthorizePageFilter } from 'src/oauth/authorize/authorize-page.filter';
import { AuthorizePages } from 'src/oauth/authorize/authorize-pages';
import { AuthorizeController } from 'src/oauth/authorize/authorize.controller';
import { ConsentService } from 'src/oauth/authorize/consent.service';
import { InteractionService } from 'src/oauth/authorize/interaction.service';
import { LoginThrottle } from 'src/oauth/authorize/login-throttle';
import { PasswordSignInService } from 'src/oauth/authorize/password-sign-in.service';
import { SessionService } from 'src/oauth/authorize/session.service';
import { SignInService } from 'src/oauth/authorize/sign-in.service';
import { ClientsModule } from 'src/oauth/clients/clients.module';
import { AuthSession, OAuthInteraction } from 'src/oauth/entities';
import { GrantsModule } from 'src/oauth/grants/grants.module';
import { UsersModule } from 'src/users/users.module';

/** The authorization endpoint: browser sessions, sign-in, organization choice, consent, codes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AuthSession, OAuthInteraction]),
    UsersModule,
    GrantsModule,
    ClientsModule,
  ],
  controllers: [AuthorizeController],
  providers: [
    SessionService,
    InteractionService,
    AuthorizationCodeService,
    AuthorizeFlowService,
    SignInService,
    PasswordSignInService,
    ConsentService,
    LoginThrottle,
    AuthorizePages,
    AuthorizePageFilter,
  ],
  exports: [SessionService, AuthorizationCodeService, PasswordSignInService],
})
export class AuthorizeModule {}
