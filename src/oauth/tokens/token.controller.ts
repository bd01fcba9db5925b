import { Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { RateLimit } from 'src/rate-limit/rate-limit.decorator';
import { OAuthExceptionFilter } from 'src/oauth/oauth-exception.filter';
import { TokenEndpointService } from 'src/oauth/tokens/token-endpoint.service';
import { TokenResponse } from 'src/oauth/tokens/token-issuer';

/** `POST /oauth2/token` (and the root-relative `/token` older SDK routers build). */
@ApiTags('oauth')
@Controller()
@UseFilters(OAuthExceptionFilter)
export class TokenController {
  constructor(private readonly endpoint: TokenEndpointService) {}

  @RateLimit('token', 'client_and_ip')
  @Post(['oauth2/token', 'token'])
  @Public()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiOperation({ summary: 'Token endpoint: authorization_code and refresh_token grants' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'An access token (ES256 JWT) and a rotated refresh token' })
  token(@Req() req: FastifyRequest): Promise<TokenResponse> {
    return this.endpoint.token({
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body: req.body,
    });
  }
}
