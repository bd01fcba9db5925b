import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CatalogResources } from 'src/mcp/catalog.resources';
import { McpHttpController } from 'src/mcp/mcp-http.controller';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import { ToolRegistry } from 'src/mcp/tool-registry.service';
import { TOOL_PROVIDERS } from 'src/mcp/tools';
import { CatalogModule } from 'src/catalog/catalog.module';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [DiscoveryModule, UsersModule, CatalogModule],
  controllers: [McpHttpController],
  providers: [ToolRegistry, McpServerFactory, CatalogResources, ...TOOL_PROVIDERS],
  exports: [ToolRegistry],
})
export class McpModule {}
