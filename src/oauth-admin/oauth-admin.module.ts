import { Module } from '@nestjs/common';
import { OAuthAdminService } from 'src/oauth-admin/oauth-admin.service';
import { OAuthClientsController } from 'src/oauth-admin/oauth-clients.controller';
import { OAuthGrantsController } from 'src/oauth-admin/oauth-grants.controller';
import { GrantsModule } from 'src/oauth/grants/grants.module';

/** Connected apps in the admin API: `/api/v1/oauth/clients` and `/api/v1/oauth/grants`. */
@Module({
  imports: [GrantsModule],
  controllers: [OAuthClientsController, OAuthGrantsController],
  providers: [OAuthAdminService],
  exports: [OAuthAdminService],
})
export class OAuthAdminModule {}
