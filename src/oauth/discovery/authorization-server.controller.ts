import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import {
  AuthorizationServerMetadata,
  DISCOVERY_CACHE_CONTROL,
  DiscoveryDocuments,
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
}
