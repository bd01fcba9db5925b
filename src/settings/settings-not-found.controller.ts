import { All, Controller, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { SettingsPageFilter } from 'src/settings/settings-page.filter';
import { SettingsPages } from 'src/settings/settings-pages';
import { SettingsSessionService } from 'src/settings/settings-session.service';
import { errorPage } from 'src/settings/views/error.view';

/**
 * Anything under `/settings/` no other route takes (the router prefers static and parametric
 * routes to this wildcard): an HTML page in the settings look instead of the API's JSON 404, and
 * 405 with `Allow` for a wrong method on a page that exists. Only reads the session (to show the
 * navigation); changes nothing, so needs no CSRF token.
 */
@ApiExcludeController()
@Public()
@UseFilters(SettingsPageFilter)
@Controller()
export class SettingsNotFoundController {
  constructor(
    private readonly sessions: SettingsSessionService,
    private readonly pages: SettingsPages,
  ) {}

  @All('settings/*')
  async notFound(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const context = (await this.sessions.load(req).catch(() => null)) ?? undefined;
    const path = req.url.split('?')[0];
    const exists = req.method !== 'GET' && req.server.hasRoute({ method: 'GET', url: path });
    if (exists) {
      void reply.header('allow', 'GET, HEAD');
      const view = { title: 'Method not allowed', message: `${req.method} is not allowed here.` };
      return this.pages.html(reply, 405, errorPage(view, this.pages.basePath, context));
    }
    const view = {
      title: 'Page not found',
      message:
        'There is no settings page at this address. Check the link, or start again from the settings.',
    };
    this.pages.html(reply, 404, errorPage(view, this.pages.basePath, context));
  }
}
