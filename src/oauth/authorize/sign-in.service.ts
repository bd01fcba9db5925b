import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AuditEventType } from 'src/audit/audit-event.types';
import { RateLimitedError, RateLimitService } from 'src/rate-limit/rate-limit.service';
import type { FastifyReply } from 'fastify';
import { AuthorizeFlowService } from 'src/oauth/authorize/authorize-flow.service';
import { AuthorizeOutcome, describeClient } from 'src/oauth/authorize/authorize-pages';
import { csrfRejected, interactionExpired } from 'src/oauth/authorize/authorize.errors';
import { formField } from 'src/oauth/authorize/form-fields';
import { Interaction, InteractionService } from 'src/oauth/authorize/interaction.service';
import { LoginThrottle } from 'src/oauth/authorize/login-throttle';
import { BrowserSession, SessionService } from 'src/oauth/authorize/session.service';
import { UsersService } from 'src/users/users.service';

/** One message for an unknown email, a wrong password and a disabled account (no enumeration). */
export const SIGN_IN_FAILED = 'The email address or password is incorrect.';
const MAX_FIELD = 512;

/**
 * POST /oauth2/authorize/login: checks the CSRF token and the interaction, throttles failures
 * (OWASP ASVS V2.2.1), verifies the password, then signs the session in (new cookie value, new CSRF
 * token) and sends the browser on to the consent step with a 303.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly sessions: SessionService,
    private readonly interactions: InteractionService,
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly flow: AuthorizeFlowService,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
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
    const email = (formField(body, 'email') ?? '').trim().slice(0, MAX_FIELD);
    const password = formField(body, 'password') ?? '';
    const retry = (status: 400 | 401 | 429, error: string, retryAfterSeconds?: number) =>
      this.signInAgain(session, interaction, { status, error, email, retryAfterSeconds });
    if (!email || !password) return retry(400, 'Enter your email address and password.');
    const wait = Math.max(
      this.throttle.retryAfterSeconds(email, context.ip),
      await this.sharedWait(email, context.ip),
    );
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      return retry(
        429,
        `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        wait,
      );
    }
    // An absurdly long password is a failed attempt without spending argon2 time on it.
    const user =
      password.length <= MAX_FIELD ? await this.users.authenticate(email, password) : null;
    if (!user) {
      this.throttle.recordFailure(email, context.ip);
      await this.recordSharedFailure(email, context.ip);
      this.audit.record({ type: AuditEventType.SignInFailed, details: { via: 'oauth' } });
      return retry(401, SIGN_IN_FAILED);
    }
    this.throttle.recordSuccess(email, context.ip);
    this.audit.record({
      type: AuditEventType.SignInSucceeded,
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      details: { via: 'oauth' },
    });
    await this.sessions.signIn(session, user, context.reply);
    return {
      kind: 'redirect',
      location: `${context.basePath}/oauth2/authorize/consent?interaction=${interaction.id}`,
    };
  }

  /**
   * The same limits in the shared store (Redis when REDIS_URL is set), so failures on one instance
   * count on all; LoginThrottle above keeps the per-process fallback.
   */
  private async sharedWait(email: string, ip: string): Promise<number> {
    const account = email.trim().toLowerCase();
    try {
      await this.limits.assertNotBlocked('login_account', `${account}|${ip}`);
      await this.limits.assertNotBlocked('login_ip', ip);
      await this.limits.assertNotBlocked('login_account_hour', account);
      return 0;
    } catch (err) {
      if (err instanceof RateLimitedError) return err.retryAfterSeconds;
      throw err;
    }
  }

  private async recordSharedFailure(email: string, ip: string): Promise<void> {
    const account = email.trim().toLowerCase();
    await this.limits.recordFailure('login_account', `${account}|${ip}`);
    await this.limits.recordFailure('login_ip', ip);
    await this.limits.recordFailure('login_account_hour', account);
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
