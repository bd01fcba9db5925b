import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { RateLimit } from 'src/rate-limit/rate-limit.decorator';
import { AuthorizeFlowService } from 'src/oauth/authorize/authorize-flow.service';
import { AuthorizePageFilter } from 'src/oauth/authorize/authorize-page.filter';
import { AuthorizePages } from 'src/oauth/authorize/authorize-pages';
import { parseQueryString } from 'src/oauth/authorize/authorize-request';
import { ConsentService } from 'src/oauth/authorize/consent.service';
import { formField } from 'src/oauth/authorize/form-fields';
import { SessionService } from 'src/oauth/authorize/session.service';
import { SignInService } from 'src/oauth/authorize/sign-in.service';
import { STYLESHEET_PATH } from 'src/oauth/authorize/views/layout';
import { STYLESHEET } from 'src/oauth/authorize/views/stylesheet';

/**
 * The authorization endpoint (OAuth 2.1 §4.1.1) and its pages. Public (the browser session is the
 * credential), HTML only, no CORS; errors are HTML pages (AuthorizePageFilter), never redirects.
 */
@ApiExcludeController()
@Public()
@UseFilters(AuthorizePageFilter)
@Controller()
export class AuthorizeController {
  constructor(
    private readonly flow: AuthorizeFlowService,
    private readonly signIn: SignInService,
    private readonly consent: ConsentService,
    private readonly sessions: SessionService,
    private readonly pages: AuthorizePages,
  ) {}

  /** `/authorize` is the path pre-2025-06-18 clients assume without metadata. */
  @RateLimit('authorize')
  @Get(['oauth2/authorize', 'authorize'])
  async authorize(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const valid = await this.flow.validate(parseQueryString(req.url));
    const session = await this.sessions.findOrCreate(req, reply);
    this.pages.send(reply, await this.flow.begin(session, valid));
  }

  @Post('oauth2/authorize/login')
  async login(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const session = await this.sessions.find(req);
    const context = { ip: req.ip, reply, basePath: this.pages.basePath };
    this.pages.send(reply, await this.signIn.submit(session, body, context));
  }

  /** After sign-in: remembered consent, or the organization and consent page. Never approves. */
  @Get('oauth2/authorize/consent')
  async showConsent(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.sessions.find(req);
    const interactionId = formField(parseQueryString(req.url), 'interaction');
    this.pages.send(reply, await this.flow.resume(session, interactionId));
  }

  @Post('oauth2/authorize/consent')
  async decide(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const session = await this.sessions.find(req);
    this.pages.send(reply, await this.consent.decide(session, body));
  }

  @Get(STYLESHEET_PATH.slice(1))
  stylesheet(@Res() reply: FastifyReply): void {
    void reply
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .type('text/css; charset=utf-8')
      .send(STYLESHEET);
  }
}
