import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from 'src/auth/decorators/authenticated.decorator';
import { ALL_SCOPES } from 'src/auth/scopes';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';

/** RFC 9728 protected-resource metadata, at the path-suffixed URL and the root fallback. */
@ApiTags('discovery')
@Controller('.well-known')
export class ProtectedResourceController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.document = {
      resource: config.mcpResource,
      authorization_servers: [config.publicUrl],
      scopes_supported: [...ALL_SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: 'Data Product Catalog',
    };
  }

  @Get('oauth-protected-resource/mcp')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Protected resource metadata for /mcp (RFC 9728)' })
  @ApiOkResponse({ description: 'The metadata document' })
  forMcp(): Record<string, unknown> {
    return this.document;
  }

  @Get('oauth-protected-resource')
  @Public()
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Protected resource metadata, root fallback (same document)' })
  root(): Record<string, unknown> {
    return this.document;
  }
}
