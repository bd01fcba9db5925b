import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AreaErrorFilters } from 'src/common/filters/area-error-filters';
import { CatalogResources } from 'src/mcp/catalog.resources';
import { McpExceptionFilter } from 'src/mcp/mcp-exception.filter';
import { McpHttpController } from 'src/mcp/mcp-http.controller';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import { ToolRegistry } from 'src/mcp/tool-registry.service';
import { TOOL_PROVIDERS } from 'src/mcp/tools';
import { CatalogModule } from 'src/catalog/catalog.module';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [DiscoveryModule, UsersModule, CatalogModule],
  controllers: [McpHttpController],
  providers: [
    ToolRegistry,
    McpServerFactory,
    CatalogResources,
    McpExceptionFilter,
    ...TOOL_PROVIDERS,
  ],
  exports: [ToolRegistry],
})
export class McpModule {
  /** Errors at /mcp raised before routing (body parsing, size limits) are JSON-RPC errors too. */
  constructor(areas: AreaErrorFilters, filter: McpExceptionFilter) {
    areas.register(filter);
  }
}
