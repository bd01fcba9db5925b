import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthError } from 'src/auth/auth.errors';
import type { OrganizationRole, UserPrincipal } from 'src/auth/principal';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { BrowserSession, SessionService } from 'src/oauth/authorize/session.service';
import { MembershipsService } from 'src/users/memberships.service';
import type { Organization } from 'src/users/organization.entity';

/** Where a write carries the session's CSRF token: a header (API calls) or a form field (pages). */
export type CsrfSource = 'header' | 'form';

/** A browser session that passed the checks, with the person's memberships when signed in. */
export interface CheckedSession {
  session: BrowserSession;
  /** The signed-in person's organizations and roles, by organization name; empty when anonymous. */
  memberships: Array<{ organization: Organization; role: OrganizationRole }>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requests whose session the guard has checked: the settings pages read it from here. */
const checked = new WeakMap<FastifyRequest, CheckedSession>();

/** The session the guard checked for this request (routes marked `@SignedIn()` or `@SessionForm()`). */
export function checkedSessionOf(req: FastifyRequest): CheckedSession {
  const session = checked.get(req);
  if (!session) throw new Error('checkedSessionOf used on a route without a browser session');
  return session;
}

/**
 * A cookie-authenticated write must come from our own pages: `Origin` equal to ours, or (old browsers
 * without `Origin`) a `Referer` on our origin. `Origin: null` and neither header → refused.
 */
export function isSameOrigin(
  headers: { origin?: string | string[]; referer?: string | string[] },
  ownOrigin: string,
): boolean {
  const origin = headers.origin;
  if (origin !== undefined) return origin === ownOrigin;
  const referer = headers.referer;
  return (
    typeof referer === 'string' && (referer === ownOrigin || referer.startsWith(`${ownOrigin}/`))
  );
}

/**
 * The browser session as a credential, for the settings pages and the admin API they call: the
 * session cookie, and on every write (not GET/HEAD/OPTIONS) a same-origin request carrying the
 * session's CSRF token (OWASP ASVS V3.5, V50). The one place these checks live.
 */
@Injectable()
export class BrowserSessionCredential {
  private readonly ownOrigin: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionService,
    private readonly memberships: MembershipsService,
  ) {
    this.ownOrigin = new URL(config.publicUrl).origin;
  }

  /**
   * The request's session after the write checks, or null when there is none (or, with
   * `signedIn`, nobody is signed in to it). Throws AuthError `forbidden` for a cross-site write or a
   * wrong or missing CSRF token.
   */
  async check(
    req: FastifyRequest,
    options: { signedIn: boolean; csrf: CsrfSource },
  ): Promise<CheckedSession | null> {
    const session = await this.sessions.find(req);
    if (!session || (options.signedIn && !session.user)) return null;
    if (!SAFE_METHODS.has(req.method)) {
      const token =
        options.csrf === 'header' ? req.headers['x-csrf-token'] : formField(req.body, 'csrf_token');
      if (!isSameOrigin(req.headers, this.ownOrigin) || !this.sessions.verifyCsrf(session, token)) {
        throw new AuthError(
          'forbidden',
          'Cross-site request refused: send the x-csrf-token of your session.',
        );
      }
    }
    const memberships = session.user ? await this.memberships.listForUser(session.user.id) : [];
    const result = { session, memberships };
    checked.set(req, result);
    return result;
  }

  /** The principal of a signed-in session in its selected organization (or the first one). */
  principal(state: CheckedSession): UserPrincipal {
    const { session, memberships } = state;
    const current =
      memberships.find((m) => m.organization.id === session.organizationId) ?? memberships[0];
    if (!session.user) throw new AuthError('missing', 'Not signed in.');
    if (!current) throw new AuthError('forbidden', 'You are not a member of any organization.');
    return {
      kind: 'user',
      userId: session.user.id,
      organizationId: current.organization.id,
      organizationRole: current.role,
      scopes: ['mcp'],
      authMethod: 'session',
    };
  }
}

/** A posted form's field; a repeated one (urlencoded bodies may repeat a field) is a 400. */
function formField(body: unknown, name: string): unknown {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (Array.isArray(value)) {
    throw new AuthError('bad_request', `The form field "${name}" was sent more than once.`);
  }
  return value;
}
