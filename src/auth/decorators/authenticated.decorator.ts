import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Scope } from 'src/auth/scopes';

export const IS_PUBLIC = 'auth:public';
export const AUTH_OPTIONS = 'auth:options';

/** Who may call a route. Routes without `@Public()` or `@Authenticated()` are refused. */
export interface AuthenticatedOptions {
  /** Scope the credential must carry (implied scopes count). */
  scope?: Scope;
  /** Refuse organization-level keys (they have no user). */
  userOnly?: boolean;
  /**
   * Accept OAuth access tokens (`Authorization: Bearer`). Only the MCP endpoint does: the tokens'
   * audience is the MCP resource, so the admin API refuses them.
   */
  allowBearer?: boolean;
}

/** Opts a route out of authentication. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Auth, scope and Swagger security for an admin API route, in one decorator. */
export function Authenticated(
  options: AuthenticatedOptions = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_OPTIONS, options),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credential' }),
  );
}
