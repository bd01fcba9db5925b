import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { ApiKeyAuthService } from 'src/api-keys/api-key-auth.service';
import type { RequestLike } from 'src/audit/audit-context';
import { OrganizationPrincipal, UserPrincipal } from 'src/auth/principal';

export const API_KEY_STRATEGY = 'api-key';

/**
 * The request being authenticated, handed from `authenticate` to `validate`. passport-headerapikey
 * calls the verify callback synchronously from `authenticate`, and Nest's strategy mixin calls
 * `validate` synchronously from it, so this never holds another request's value. (Its own
 * `passReqToCallback` puts the request after the callback, where Nest's mixin expects the callback.)
 */
let authenticating: RequestLike | undefined;

/** `x-api-key: ed_…` (header only; a query-string key is never read). */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, API_KEY_STRATEGY) {
  constructor(private readonly keys: ApiKeyAuthService) {
    super({ header: 'x-api-key', prefix: '' }, false);
  }

  // Typed by passport-headerapikey as an Express request; Nest on Fastify passes the Fastify one.
  override authenticate(
    req: Parameters<HeaderAPIKeyStrategy['authenticate']>[0],
    options?: object,
  ): void {
    authenticating = req as unknown as RequestLike;
    try {
      super.authenticate(req, options);
    } finally {
      authenticating = undefined;
    }
  }

  /** A refused key is audited with this request's IP and user agent (no ambient context needed). */
  validate(
    apiKey: string,
  ): UserPrincipal | OrganizationPrincipal | Promise<UserPrincipal | OrganizationPrincipal> {
    return this.keys.authenticate(apiKey, authenticating);
  }
}
