import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthorizeFlowService } from 'src/oauth/authorize/authorize-flow.service';
import { AuthorizeOutcome, describeClient } from 'src/oauth/authorize/authorize-pages';
import { csrfRejected, interactionExpired } from 'src/oauth/authorize/authorize.errors';
import { formField } from 'src/oauth/authorize/form-fields';
import { Interaction, InteractionService } from 'src/oauth/authorize/interaction.service';
import { PasswordSignInService } from 'src/oauth/authorize/password-sign-in.service';
import { BrowserSession, SessionService } from 'src/oauth/authorize/session.service';

/** Longer input is cut before it is echoed back in the form. */
const MAX_EMAIL = 512;

/**
 * POST /oauth2/authorize/login: checks the CSRF token and the interaction, has the password checked
 * (throttled, audited: PasswordSignInService), then signs the session in (new cookie value, new CSRF
 * token) and sends the browser on to the consent step with a 303.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly sessions: SessionService,
    private readonly interactions: InteractionService,
    private readonly passwords: PasswordSignInService,
    private readonly flow: AuthorizeFlowService,
  ) {}

  async submit(
    session: BrowserSession | null,
    body: unknown,
    context: { ip: string; reply: FastifyReply; basePath: string },
  ): Promise<AuthorizeOutcome> {
    const csrfToken = formField(body, 'csrf_token');
    if (!session || !this.sessions.verifyCsrf(session, csrfToken)) throw csrfRejected();
    const interaction = await this.interactions.findLive(
      formField(body, 'interaction'),
      session.id,
    );
    if (!interaction) throw interactionExpired();
    const email = (formField(body, 'email') ?? '').trim().slice(0, MAX_EMAIL);
    const checked = await this.passwords.check(
      email,
      formField(body, 'password') ?? '',
      context.ip,
      'oauth',
    );
    if (!checked.ok) return this.signInAgain(session, interaction, { ...checked, email });
    await this.sessions.signIn(session, checked.user, context.reply);
    return {
      kind: 'redirect',
      location: `${context.basePath}/oauth2/authorize/consent?interaction=${interaction.id}`,
    };
  }

  private async signInAgain(
    session: BrowserSession,
    interaction: Interaction,
    page: { status: 400 | 401 | 429; error: string; email: string; retryAfterSeconds?: number },
  ): Promise<AuthorizeOutcome> {
    const client = describeClient(await this.flow.clientOf(interaction));
    return {
      kind: 'sign_in',
      status: page.status,
      retryAfterSeconds: page.retryAfterSeconds,
      view: {
        csrfToken: session.csrfToken,
        interactionId: interaction.id,
        client,
        email: page.email,
        error: page.error,
      },
      redirectUri: interaction.redirectUri,
    };
  }
}
