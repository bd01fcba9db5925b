import { Controller, Get, Inject, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignedIn } from 'src/auth/decorators/authenticated.decorator';
import { protectedResourceMetadataUrl } from 'src/auth/challenge';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { buildAuthorizationServerMetadata } from 'src/oauth/discovery/discovery.documents';
import { SettingsPageFilter } from 'src/settings/settings-page.filter';
import { SettingsPages } from 'src/settings/settings-pages';
import { SettingsSessionService } from 'src/settings/settings-session.service';
import { McpSetupView, mcpSetupPage } from 'src/settings/views/mcp-setup.view';

/** `/settings/mcp`: set-up steps per client, filled in with this server's real URLs. */
@ApiExcludeController()
@SignedIn()
@UseFilters(SettingsPageFilter)
@Controller('settings/mcp')
export class SettingsMcpController {
  private readonly view: McpSetupView;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SettingsSessionService,
    private readonly pages: SettingsPages,
  ) {
    const metadata = buildAuthorizationServerMetadata(config);
    this.view = {
      mcpUrl: config.mcpResource,
      authorizationEndpoint: metadata.authorization_endpoint,
      tokenEndpoint: metadata.token_endpoint,
      registrationEndpoint: metadata.registration_endpoint,
      revocationEndpoint: metadata.revocation_endpoint,
      resourceMetadata: protectedResourceMetadataUrl(config.publicUrl),
      scopes: metadata.scopes_supported.filter((s) => s.startsWith('mcp')),
      codeChallengeMethods: metadata.code_challenge_methods_supported,
    };
  }

  @Get()
  async show(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const context = this.sessions.context(req);
    this.pages.html(reply, 200, mcpSetupPage(this.view, context, this.pages.basePath));
  }
}
