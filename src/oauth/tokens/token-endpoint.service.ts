import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AuditEventType } from 'src/audit/audit-event.types';
import { MetricsService } from 'src/metrics/metrics.service';
import { OAuthError } from 'src/oauth/oauth.errors';
import type { OAuthClient } from 'src/oauth/entities';
import { AuthorizationCodeGrant } from 'src/oauth/tokens/authorization-code.grant';
import { ClientAuthenticator } from 'src/oauth/tokens/client-auth';
import { readOAuthForm, requireParam } from 'src/oauth/tokens/oauth-form';
import { RefreshTokenGrant } from 'src/oauth/tokens/refresh-token.grant';
import { TokenRevocationService } from 'src/oauth/tokens/token-revocation.service';
import { IssuedTokens, TokenResponse } from 'src/oauth/tokens/token-issuer';

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
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
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
    const issued =
      grantType === 'authorization_code'
        ? await this.codes.exchange(client, form)
        : await this.refreshTokens.exchange(client, form);
    this.recordIssued(client, grantType, issued);
    return issued.response;
  }

  /** Audit and metrics for an issued pair (from the access token's claims: no secret). */
  private recordIssued(client: OAuthClient, grantType: string, { claims }: IssuedTokens): void {
    this.metrics.tokensIssued.inc({ grant_type: grantType });
    this.audit.record({
      type:
        grantType === 'authorization_code'
          ? AuditEventType.TokenIssued
          : AuditEventType.TokenRefreshed,
      organizationId: claims.org,
      actorUserId: claims.sub,
      actorClientId: client.clientId,
      targetType: 'oauth_grant',
      targetId: claims.grant_id,
      details: { grantType, scope: claims.scope },
    });
  }

  async revoke(req: OAuthHttpRequest): Promise<void> {
    const form = readOAuthForm(req.contentType, req.body);
    const client = await this.clientAuth.authenticate(req.authorization, form);
    const token = requireParam(form, 'token');
    await this.revocation.revoke(client, token, form.token_type_hint);
  }
}
