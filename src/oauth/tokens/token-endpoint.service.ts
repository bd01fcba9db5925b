import { Injectable } from '@nestjs/common';
import { OAuthError } from 'src/oauth/oauth.errors';
import { AuthorizationCodeGrant } from 'src/oauth/tokens/authorization-code.grant';
import { ClientAuthenticator } from 'src/oauth/tokens/client-auth';
import { readOAuthForm, requireParam } from 'src/oauth/tokens/oauth-form';
import { RefreshTokenGrant } from 'src/oauth/tokens/refresh-token.grant';
import { TokenRevocationService } from 'src/oauth/tokens/token-revocation.service';
import { TokenResponse } from 'src/oauth/tokens/token-issuer';

/** What the token and revocation controllers receive from the HTTP request. */
export interface OAuthHttpRequest {
  contentType: unknown;
  authorization: unknown;
  body: unknown;
}

const GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
type GrantType = (typeof GRANT_TYPES)[number];
const isGrantType = (v: string): v is GrantType => (GRANT_TYPES as readonly string[]).includes(v);

/** The token (RFC 6749 §3.2) and revocation (RFC 7009) endpoints behind their controllers. */
@Injectable()
export class TokenEndpointService {
  constructor(
    private readonly clientAuth: ClientAuthenticator,
    private readonly codes: AuthorizationCodeGrant,
    private readonly refreshTokens: RefreshTokenGrant,
    private readonly revocation: TokenRevocationService,
  ) {}

  async token(req: OAuthHttpRequest): Promise<TokenResponse> {
    const form = readOAuthForm(req.contentType, req.body);
    const grantType = requireParam(form, 'grant_type');
    const client = await this.clientAuth.authenticate(req.authorization, form);
    if (!isGrantType(grantType)) {
      throw new OAuthError(
        'unsupported_grant_type',
        'Supported grant types: authorization_code, refresh_token',
      );
    }
    if (!client.grantTypes.includes(grantType)) {
      throw new OAuthError(
        'unauthorized_client',
        `This client is not registered for the ${grantType} grant`,
      );
    }
    switch (grantType) {
      case 'authorization_code':
        return this.codes.exchange(client, form);
      case 'refresh_token':
        return this.refreshTokens.exchange(client, form);
    }
  }

  async revoke(req: OAuthHttpRequest): Promise<void> {
    const form = readOAuthForm(req.contentType, req.body);
    const client = await this.clientAuth.authenticate(req.authorization, form);
    const token = requireParam(form, 'token');
    await this.revocation.revoke(client, token, form.token_type_hint);
  }
}
