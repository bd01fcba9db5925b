import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import {
  DISCOVERY_CACHE_CONTROL,
  DiscoveryDocuments,
  servedOnlyAt,
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

  /** The same document when PUBLIC_URL has a path, at `…/oauth-protected-resource/<path>/mcp` only. */
  @Get('oauth-protected-resource/*')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', DISCOVERY_CACHE_CONTROL)
  @ApiExcludeEndpoint()
  forResourcePath(@Req() req: FastifyRequest): Readonly<ProtectedResourceMetadata> {
    const { pathInserted, protectedResource } = this.documents;
    return servedOnlyAt(req.url, pathInserted?.protectedResource, protectedResource);
  }
}
