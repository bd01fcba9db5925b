import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignedIn } from 'src/auth/decorators/authenticated.decorator';
import { SettingsAppsService } from 'src/settings/settings-apps.service';
import { SettingsPageFilter } from 'src/settings/settings-page.filter';
import { SettingsPages } from 'src/settings/settings-pages';
import { formField, noticeOf } from 'src/settings/settings-request';
import { SettingsSessionService } from 'src/settings/settings-session.service';
import { connectedAppsPage } from 'src/settings/views/connected-apps.view';

/** `/settings/connected-apps`: the person's OAuth grants, each revocable. */
@ApiExcludeController()
@SignedIn()
@UseFilters(SettingsPageFilter)
@Controller('settings/connected-apps')
export class SettingsConnectedAppsController {
  constructor(
    private readonly sessions: SettingsSessionService,
    private readonly apps: SettingsAppsService,
    private readonly pages: SettingsPages,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const context = this.sessions.context(req);
    const rows = await this.apps.list(context);
    const html = connectedAppsPage(rows, context, this.pages.basePath, noticeOf(req.url));
    this.pages.html(reply, 200, html);
  }

  @Post(':id/revoke')
  async revoke(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<void> {
    const context = this.sessions.context(req);
    await this.apps.revoke(context, id, formField(body, 'organization'));
    this.pages.seeOther(reply, '/settings/connected-apps?notice=app-revoked');
  }
}
