import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { ApiKeyAuthService } from 'src/api-keys/api-key-auth.service';
import { OrganizationPrincipal, UserPrincipal } from 'src/auth/principal';

export const API_KEY_STRATEGY = 'api-key';

/** `x-api-key: ed_…` (header only; a query-string key is never read). */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, API_KEY_STRATEGY) {
  constructor(private readonly keys: ApiKeyAuthService) {
    super({ header: 'x-api-key', prefix: '' }, false);
  }

  validate(
    apiKey: string,
  ): UserPrincipal | OrganizationPrincipal | Promise<UserPrincipal | OrganizationPrincipal> {
    return this.keys.authenticate(apiKey);
  }
}
