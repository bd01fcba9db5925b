import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiExtension,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Scope } from 'src/auth/scopes';

/** Where a route's credential may come from. */
export type CredentialKind =
  /** `x-api-key: ed_…`. */
  | 'api_key'
  /** `Authorization: Bearer <access token>`: only the MCP endpoint (the tokens' audience). */
  | 'bearer'
  /** The settings pages' browser session, with its CSRF token in `x-csrf-token` on writes. */
  | 'session';

/** Who may call a route that takes a credential. */
export interface AuthenticatedOptions {
  /** Scope the credential must carry (implied scopes count). */
  scope?: Scope;
  /**
   * Refuse organization-level keys (they have no user): `true`, or the refusal's message when the
   * route has a more helpful one.
   */
  userOnly?: true | string;
  /** The credentials the route accepts; an API key or a browser session when not given. */
  credentials?: readonly CredentialKind[];
}

/** How the guard treats a route; every route has exactly one of these (or is refused). */
export type RouteAuth =
  | { mode: 'public' }
  | { mode: 'credential'; options: AuthenticatedOptions }
  /** A settings page: the browser session, signed in (or not, for sign-in and sign-out forms). */
  | { mode: 'browser'; signedIn: boolean };

export const ROUTE_AUTH = 'auth:route';

const route = (auth: RouteAuth): MethodDecorator & ClassDecorator => SetMetadata(ROUTE_AUTH, auth);

/** Opts a route out of authentication. */
export const Public = (): MethodDecorator & ClassDecorator => route({ mode: 'public' });

/**
 * Auth, scope and Swagger security for an API route, in one decorator. A route's scope shows in
 * Swagger as `x-required-scope` (OpenAPI 3.0 lets an API-key requirement list no scopes) and in its
 * 403 answer.
 */
export function Authenticated(
  options: AuthenticatedOptions = {},
): MethodDecorator & ClassDecorator {
  const scoped = options.scope
    ? [
        ApiExtension('x-required-scope', options.scope),
        ApiForbiddenResponse({
          description: `The credential lacks the ${options.scope} scope (a read-only key), or the role this needs`,
        }),
      ]
    : [];
  return applyDecorators(
    route({ mode: 'credential', options }),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credential' }),
    ...scoped,
  );
}

/**
 * A settings page for a signed-in person (browser session cookie). A page request without one is sent
 * to sign in; a form post must come from our own origin with the session's CSRF token.
 */
export const SignedIn = (): MethodDecorator & ClassDecorator =>
  route({ mode: 'browser', signedIn: true });

/**
 * A settings form posted before or after signing in (sign-in, sign-out): the browser session may be
 * anonymous, but the post must still come from our own origin with the session's CSRF token.
 */
export const SessionForm = (): MethodDecorator & ClassDecorator =>
  route({ mode: 'browser', signedIn: false });
