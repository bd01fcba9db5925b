import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import {
  DISCOVERY_CACHE_CONTROL,
  DiscoveryDocuments,
  ProtectedResourceMetadata,
} from 'src/oauth/discovery/discovery.documents';

/** RFC 9728 protected-resource metadata, at the path-suffixed URL and the root fallback. */
@ApiTags('discovery')
@Controller('.well-known')
export class ProtectedResourceController {
  constructor(private readonly documents: DiscoveryDocuments) {}

  @Get('oauth-protected-resource/mcp')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', DISCOVERY_CACHE_CONTROL)
  @ApiOperation({ summary: 'Protected resource metadata for /mcp (RFC 9728)' })
  @ApiOkResponse({ description: 'The metadata document' })
  forMcp(): Readonly<ProtectedResourceMetadata> {
    return this.documents.protectedResource;
  }

  @Get('oauth-protected-resource')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', DISCOVERY_CACHE_CONTROL)
  @ApiOperation({ summary: 'Protected resource metadata, root fallback (same document)' })
  @ApiOkResponse({ description: 'The metadata document' })
  root(): Readonly<ProtectedResourceMetadata> {
    return this.documents.protectedResource;
  }
}
