import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrganizationRole, UserPrincipal } from 'src/auth/principal';
import {
  BrowserSessionCredential,
  CheckedSession,
  checkedSessionOf,
} from 'src/authentication/browser-session.credential';
import { PasswordSignInService } from 'src/oauth/authorize/password-sign-in.service';
import { BrowserSession, SessionService } from 'src/oauth/authorize/session.service';
import {
  notYourOrganization,
  SettingsError,
  SettingsErrorKind,
} from 'src/settings/settings.errors';
import { formField, safeReturnPath, uuidOrUndefined } from 'src/settings/settings-request';
import type { SignInView } from 'src/settings/views/sign-in.view';
import { MembershipsService } from 'src/users/memberships.service';

export interface SettingsOrganization {
  id: string;
  slug: string;
  name: string;
  role: OrganizationRole;
}

/** Who is looking at a settings page, in which organization. Rebuilt on every request. */
export interface SettingsContext {
  session: BrowserSession;
  user: { id: string; email: string; name: string };
  /** The person's memberships, by organization name. */
  organizations: SettingsOrganization[];
  /** The session's organization if still a membership, else the first; null with none. */
  current: SettingsOrganization | null;
}

export type SignInOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'page'; status: 400 | 401 | 429; retryAfterSeconds?: number; view: SignInView };

/** Error pages render inside the signed-in layout when the request got that far. */
const contexts = new WeakMap<FastifyRequest, SettingsContext>();
export const contextOf = (req: FastifyRequest): SettingsContext | undefined => contexts.get(req);

/**
 * The settings pages' view of the browser session: who is signed in, their
 * organizations and the selected one, the session principal for the services, sign-in (same
 * throttle and message as the OAuth sign-in) and sign-out. The origin and CSRF checks of posts are
 * the authentication guard's (routes marked `@SignedIn()` or `@SessionForm()`).
 */
@Injectable()
export class SettingsSessionService {
  constructor(
    private readonly sessions: SessionService,
    private readonly browser: BrowserSessionCredential,
    private readonly memberships: MembershipsService,
    private readonly credentials: PasswordSignInService,
  ) {}

  /** The context of a `@SignedIn()` route: the session the authentication guard checked. */
  context(req: FastifyRequest): SettingsContext {
    return this.contextFor(req, checkedSessionOf(req))!;
  }

  /** On a public page (entry, sign-in form): the signed-in context if there is one, else null. */
  async load(req: FastifyRequest): Promise<SettingsContext | null> {
    const checked = await this.browser.check(req, { signedIn: true, csrf: 'form' });
    return checked && this.contextFor(req, checked);
  }

  /** The session for the sign-in page (an anonymous one is created so its form has a CSRF token). */
  findOrCreate(req: FastifyRequest, reply: FastifyReply): Promise<BrowserSession> {
    return this.sessions.findOrCreate(req, reply);
  }

  /** A membership of the person by its posted id; anything else (tampered, foreign) → 403. */
  organization(context: SettingsContext, id: unknown): SettingsOrganization {
    const wanted = uuidOrUndefined(id);
    const found = wanted && context.organizations.find((o) => o.id === wanted);
    if (!found) throw notYourOrganization();
    return found;
  }

  /** The selected organization; a person without any cannot use the organization pages. */
  currentOrganization(context: SettingsContext): SettingsOrganization {
    if (!context.current) {
      throw new SettingsError(
        SettingsErrorKind.Forbidden,
        'You are not a member of any organization yet. Ask an organization owner to add you.',
      );
    }
    return context.current;
  }

  /** The services' principal for the person in one of their organizations (role as of now). */
  principal(context: SettingsContext, organization: SettingsOrganization): UserPrincipal {
    return {
      kind: 'user',
      userId: context.user.id,
      organizationId: organization.id,
      organizationRole: organization.role,
      scopes: ['mcp'],
      authMethod: 'session',
    };
  }

  async selectOrganization(context: SettingsContext, id: unknown): Promise<void> {
    const organization = this.organization(context, id);
    await this.sessions.selectOrganization(context.session, organization.id);
  }

  async signIn(req: FastifyRequest, reply: FastifyReply, body: unknown): Promise<SignInOutcome> {
    const { session } = checkedSessionOf(req);
    const returnTo = safeReturnPath(formField(body, 'return_to'));
    const email = (formField(body, 'email') ?? '').trim();
    const password = formField(body, 'password') ?? '';
    const checked = await this.credentials.check(email, password, req.ip, 'settings');
    if (!checked.ok) {
      const view = { csrfToken: session.csrfToken, returnTo, email, error: checked.error };
      return {
        kind: 'page',
        status: checked.status,
        retryAfterSeconds: checked.retryAfterSeconds,
        view,
      };
    }
    const signedIn = await this.sessions.signIn(session, checked.user, reply);
    const memberships = await this.memberships.listForUser(checked.user.id);
    const kept = memberships.some((m) => m.organization.id === signedIn.organizationId);
    if (!kept && memberships.length > 0) {
      await this.sessions.selectOrganization(signedIn, memberships[0].organization.id);
    }
    return { kind: 'redirect', location: returnTo };
  }

  /** Signs the `@SessionForm()` post's session out. */
  async signOut(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.sessions.signOut(checkedSessionOf(req).session, reply);
  }

  private contextFor(req: FastifyRequest, checked: CheckedSession): SettingsContext | null {
    const { session, memberships } = checked;
    const user = session.user;
    if (!user) return null;
    const organizations = memberships.map((m) => ({
      id: m.organization.id,
      slug: m.organization.slug,
      name: m.organization.name,
      role: m.role,
    }));
    const current =
      organizations.find((o) => o.id === session.organizationId) ?? organizations[0] ?? null;
    const context: SettingsContext = { session, user, organizations, current };
    contexts.set(req, context);
    return context;
  }
}
