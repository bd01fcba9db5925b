import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignedIn } from 'src/auth/decorators/authenticated.decorator';
import { markup } from 'src/oauth/authorize/views/html';
import { formRefusal } from 'src/settings/settings.errors';
import { readKeyForm, SettingsKeysService } from 'src/settings/settings-keys.service';
import { SettingsPageFilter } from 'src/settings/settings-page.filter';
import { SettingsPages } from 'src/settings/settings-pages';
import { formField, noticeOf, queryOf } from 'src/settings/settings-request';
import { SettingsSessionService } from 'src/settings/settings-session.service';
import { apiKeyCreatedPage } from 'src/settings/views/api-key-created.view';
import { apiKeysPage } from 'src/settings/views/api-keys.view';
import { confirmPage } from 'src/settings/views/confirm.view';

/** `/settings/api-keys`: list, create (the secret shown once), revoke with a confirmation step. */
@ApiExcludeController()
@SignedIn()
@UseFilters(SettingsPageFilter)
@Controller('settings/api-keys')
export class SettingsApiKeysController {
  constructor(
    private readonly sessions: SettingsSessionService,
    private readonly keys: SettingsKeysService,
    private readonly pages: SettingsPages,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const context = this.sessions.context(req);
    const html = apiKeysPage(await this.keys.view(context), context, this.pages.basePath, {
      notice: noticeOf(req.url),
    });
    this.pages.html(reply, 200, html);
  }

  /**
   * Answers with the key itself (201, no-store) instead of a redirect: the secret is never stored,
   * so no later GET could show it. A refused key re-renders the form with the reason.
   */
  @Post()
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const context = this.sessions.context(req);
    const form = readKeyForm(body);
    try {
      const created = await this.keys.create(context, form);
      this.pages.html(reply, 201, apiKeyCreatedPage(created, context, this.pages.basePath), {
        script: true,
      });
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      const view = await this.keys.view(context, form);
      const html = apiKeysPage(view, context, this.pages.basePath, { error: refusal.message });
      this.pages.html(reply, refusal.status, html);
    }
  }

  @Get(':id/revoke')
  async confirmRevoke(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    const context = this.sessions.context(req);
    const key = await this.keys.find(context, id, queryOf(req.url).organization);
    const details = markup`<p>The key <strong>${key.name}</strong> (<code>${key.hint}</code>) in <strong>${key.organization.name}</strong> stops working within 5 seconds. Clients using it will be refused. This cannot be undone.</p>`;
    const view = {
      title: 'Revoke API key?',
      details,
      action: `/settings/api-keys/${key.id}/revoke`,
      fields: { organization: key.organization.id },
      button: 'Revoke key',
      cancel: '/settings/api-keys',
      active: 'api-keys' as const,
    };
    this.pages.html(reply, 200, confirmPage(view, this.pages.basePath, context));
  }

  @Post(':id/revoke')
  async revoke(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<void> {
    const context = this.sessions.context(req);
    await this.keys.revoke(context, id, formField(body, 'organization'));
    this.pages.seeOther(reply, '/settings/api-keys?notice=key-revoked');
  }
}
