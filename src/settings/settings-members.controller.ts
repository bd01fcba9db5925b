import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SignedIn } from 'src/auth/decorators/authenticated.decorator';
import { markup } from 'src/oauth/authorize/views/html';
import { formRefusal } from 'src/settings/settings.errors';
import { readMemberForm, SettingsMembersService } from 'src/settings/settings-members.service';
import { SettingsPageFilter } from 'src/settings/settings-page.filter';
import { SettingsPages } from 'src/settings/settings-pages';
import { formField, noticeOf } from 'src/settings/settings-request';
import { SettingsContext, SettingsSessionService } from 'src/settings/settings-session.service';
import { confirmPage } from 'src/settings/views/confirm.view';
import { MemberForm, membersPage } from 'src/settings/views/members.view';

/**
 * `/settings/members` of the selected organization (owners and admins; others get a 403 page):
 * list, add an existing user, change a role, remove with a confirmation step. Refusals (last
 * owner, owner-only changes, unknown email) come back on the page with the service's message.
 */
@ApiExcludeController()
@SignedIn()
@UseFilters(SettingsPageFilter)
@Controller('settings/members')
export class SettingsMembersController {
  constructor(
    private readonly sessions: SettingsSessionService,
    private readonly members: SettingsMembersService,
    private readonly pages: SettingsPages,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const context = this.sessions.context(req);
    const html = membersPage(await this.members.view(context), context, this.pages.basePath, {
      notice: noticeOf(req.url),
    });
    this.pages.html(reply, 200, html);
  }

  @Post()
  async add(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const context = this.sessions.context(req);
    const form = readMemberForm(body);
    await this.attempt(reply, context, form, () => this.members.add(context, form), 'member-added');
  }

  @Post(':userId/role')
  async changeRole(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('userId') userId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const context = this.sessions.context(req);
    const role = formField(body, 'role') ?? '';
    const change = () => this.members.changeRole(context, userId, role);
    await this.attempt(reply, context, {}, change, 'role-changed');
  }

  @Get(':userId/remove')
  async confirmRemove(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('userId') userId: string,
  ): Promise<void> {
    const context = this.sessions.context(req);
    const member = await this.members.find(context, userId);
    const organization = context.current?.name ?? '';
    const details = markup`<p><strong>${member.name}</strong> (${member.email}, ${member.role}) loses access to <strong>${organization}</strong>. Their API keys and connected apps in this organization stop working within 5 seconds.</p>`;
    const view = {
      title: 'Remove member?',
      details,
      action: `/settings/members/${member.userId}/remove`,
      fields: {},
      button: 'Remove member',
      cancel: '/settings/members',
      active: 'members' as const,
    };
    this.pages.html(reply, 200, confirmPage(view, this.pages.basePath, context));
  }

  @Post(':userId/remove')
  async remove(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('userId') userId: string,
  ): Promise<void> {
    const context = this.sessions.context(req);
    const remove = () => this.members.remove(context, userId);
    await this.attempt(reply, context, {}, remove, 'member-removed');
  }

  /** Runs a change: 303 back with a notice, or the page again with the refusal and its status. */
  private async attempt(
    reply: FastifyReply,
    context: SettingsContext,
    form: MemberForm,
    change: () => Promise<void>,
    notice: string,
  ): Promise<void> {
    try {
      await change();
    } catch (err) {
      const refusal = formRefusal(err);
      if (!refusal) throw err;
      const view = await this.members.view(context, form);
      const html = membersPage(view, context, this.pages.basePath, { error: refusal.message });
      return this.pages.html(reply, refusal.status, html);
    }
    this.pages.seeOther(reply, `/settings/members?notice=${notice}`);
  }
}
