import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import {
  AuthorizationServerMetadata,
  DISCOVERY_CACHE_CONTROL,
  DiscoveryDocuments,
  servedOnlyAt,
} from 'src/oauth/discovery/discovery.documents';

/**
 * RFC 8414 authorization-server metadata. There is deliberately no `openid-configuration`: the SDK
 * rejects a partial OIDC document, and a 404 makes it use this one.
 */
@ApiTags('discovery')
@Controller('.well-known')
export class AuthorizationServerController {
  constructor(private readonly documents: DiscoveryDocuments) {}

  @Get('oauth-authorization-server')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', DISCOVERY_CACHE_CONTROL)
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  @ApiOkResponse({ description: 'The metadata document' })
  metadata(): Readonly<AuthorizationServerMetadata> {
    return this.documents.authorizationServer;
  }

  /** The same document for an issuer with a path, at `…/oauth-authorization-server/<path>` only. */
  @Get('oauth-authorization-server/*')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', DISCOVERY_CACHE_CONTROL)
  @ApiExcludeEndpoint()
  forIssuerPath(@Req() req: FastifyRequest): Readonly<AuthorizationServerMetadata> {
    const { pathInserted, authorizationServer } = this.documents;
    return servedOnlyAt(req.url, pathInserted?.authorizationServer, authorizationServer);
  }
}
