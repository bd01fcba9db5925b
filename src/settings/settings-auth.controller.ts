import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, SessionForm, SignedIn } from 'src/auth/decorators/authenticated.decorator';
import { FAVICON_ICO_PATH, FAVICON_PATH, FAVICON_SVG } from 'src/oauth/authorize/views/favicon';
import { SettingsPageFilter } from 'src/settings/settings-page.filter';
import { SettingsPages } from 'src/settings/settings-pages';
import { DEFAULT_PAGE, formField, queryOf, safeReturnPath } from 'src/settings/settings-request';
import { SettingsSessionService } from 'src/settings/settings-session.service';
import { COPY_SCRIPT, SETTINGS_STYLESHEET } from 'src/settings/views/settings-assets';
import { SETTINGS_SCRIPT_PATH, SETTINGS_STYLESHEET_PATH } from 'src/settings/views/settings-layout';
import { signInPage } from 'src/settings/views/sign-in.view';
import { UsersService } from 'src/users/users.service';

/**
 * Entry, sign-in, sign-out and the organization switcher of the settings pages, plus their assets
 * and the pages' icon.
 * Every POST is CSRF- and origin-checked by the authentication guard and answered with a 303 (PRG).
 */
@ApiExcludeController()
@Public()
@UseFilters(SettingsPageFilter)
@Controller()
export class SettingsAuthController {
  constructor(
    private readonly sessions: SettingsSessionService,
    private readonly pages: SettingsPages,
    private readonly users: UsersService,
  ) {}

  @Get('settings')
  async entry(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const context = await this.sessions.load(req);
    if (context) return this.pages.seeOther(reply, DEFAULT_PAGE);
    this.pages.seeOther(reply, '/settings/sign-in');
  }

  @Get('settings/sign-in')
  async showSignIn(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const canonical = this.pages.canonicalLocation(req);
    if (canonical) return void reply.header('cache-control', 'no-store').redirect(canonical, 303);
    const returnTo = safeReturnPath(queryOf(req.url).return_to);
    if (await this.sessions.load(req)) return this.pages.seeOther(reply, returnTo);
    const session = await this.sessions.findOrCreate(req, reply);
    const view = {
      csrfToken: session.csrfToken,
      returnTo,
      noUsers: !(await this.users.hasUsers()),
    };
    this.pages.html(reply, 200, signInPage(view, this.pages.basePath));
  }

  @Post('settings/sign-in')
  @SessionForm()
  async signIn(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const outcome = await this.sessions.signIn(req, reply, body);
    if (outcome.kind === 'redirect') return this.pages.seeOther(reply, outcome.location);
    const view = { ...outcome.view, noUsers: !(await this.users.hasUsers()) };
    this.pages.html(reply, outcome.status, signInPage(view, this.pages.basePath), {
      retryAfterSeconds: outcome.retryAfterSeconds,
    });
  }

  @Post('settings/sign-out')
  @SessionForm()
  async signOut(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.signOut(req, reply);
    this.pages.seeOther(reply, '/settings/sign-in');
  }

  /** The organization switcher: only the person's memberships (a tampered id → 403). */
  @Post('settings/organization')
  @SignedIn()
  async switchOrganization(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const context = this.sessions.context(req);
    await this.sessions.selectOrganization(context, formField(body, 'organization'));
    this.pages.seeOther(reply, safeReturnPath(formField(body, 'return_to')));
  }

  @Get(SETTINGS_STYLESHEET_PATH.slice(1))
  stylesheet(@Res() reply: FastifyReply): void {
    void reply
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .type('text/css; charset=utf-8')
      .send(SETTINGS_STYLESHEET);
  }

  @Get(SETTINGS_SCRIPT_PATH.slice(1))
  script(@Res() reply: FastifyReply): void {
    void reply
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .type('text/javascript; charset=utf-8')
      .send(COPY_SCRIPT);
  }

  /** The icon of the settings and sign-in pages (and what browsers ask for unprompted). */
  @Get([FAVICON_PATH.slice(1), FAVICON_ICO_PATH.slice(1)])
  favicon(@Res() reply: FastifyReply): void {
    void reply
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .type('image/svg+xml')
      .send(FAVICON_SVG);
  }
}
