import { Module } from '@nestjs/common';
import { ApiKeysModule } from 'src/api-keys/api-keys.module';
import { MembersModule } from 'src/members/members.module';
import { OAuthAdminModule } from 'src/oauth-admin/oauth-admin.module';
import { AuthorizeModule } from 'src/oauth/authorize/authorize.module';
import { SettingsApiKeysController } from 'src/settings/settings-api-keys.controller';
import { SettingsAppsService } from 'src/settings/settings-apps.service';
import { SettingsAuthController } from 'src/settings/settings-auth.controller';
import { SettingsConnectedAppsController } from 'src/settings/settings-connected-apps.controller';
import { SettingsKeysService } from 'src/settings/settings-keys.service';
import { SettingsMcpController } from 'src/settings/settings-mcp.controller';
import { SettingsMembersController } from 'src/settings/settings-members.controller';
import { SettingsMembersService } from 'src/settings/settings-members.service';
import { SettingsNotFoundController } from 'src/settings/settings-not-found.controller';
import { SettingsPageFilter } from 'src/settings/settings-page.filter';
import { SettingsPages } from 'src/settings/settings-pages';
import { SettingsSessionService } from 'src/settings/settings-session.service';
import { UsersModule } from 'src/users/users.module';

/**
 * The settings pages under `/settings`: server-rendered HTML for a signed-in browser session (API
 * keys, connected apps, MCP client set-up, members). They call the same services as the admin API
 * with the session's principal, so the pages and the API never disagree.
 */
@Module({
  imports: [AuthorizeModule, UsersModule, ApiKeysModule, OAuthAdminModule, MembersModule],
  controllers: [
    SettingsAuthController,
    SettingsApiKeysController,
    SettingsConnectedAppsController,
    SettingsMcpController,
    SettingsMembersController,
    SettingsNotFoundController,
  ],
  providers: [
    SettingsSessionService,
    SettingsKeysService,
    SettingsAppsService,
    SettingsMembersService,
    SettingsPages,
    SettingsPageFilter,
  ],
})
export class SettingsModule {}
