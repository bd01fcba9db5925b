import { Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { RateLimit } from 'src/rate-limit/rate-limit.decorator';
import { OAuthExceptionFilter } from 'src/oauth/oauth-exception.filter';
import { TokenEndpointService } from 'src/oauth/tokens/token-endpoint.service';

/** `POST /oauth2/revoke` (and `/revoke`), RFC 7009. */
@ApiTags('oauth')
@Controller()
@UseFilters(OAuthExceptionFilter)
export class RevokeController {
  constructor(private readonly endpoint: TokenEndpointService) {}

  @RateLimit('revoke', 'client_and_ip')
  @Post(['oauth2/revoke', 'revoke'])
  @Public()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiOperation({ summary: 'Revokes a refresh or access token, ending its grant (RFC 7009)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'Empty body, also for unknown or foreign tokens' })
  async revoke(@Req() req: FastifyRequest): Promise<void> {
    await this.endpoint.revoke({
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body: req.body,
    });
  }
}
