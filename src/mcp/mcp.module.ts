import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { McpHttpController } from 'src/mcp/mcp-http.controller';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import { ProtectedResourceController } from 'src/mcp/protected-resource.controller';
import { ToolRegistry } from 'src/mcp/tool-registry.service';
import { WhoamiTool } from 'src/mcp/tools/whoami.tool';
import { SearchTool } from 'src/mcp/tools/search.tool';
import { FetchTool } from 'src/mcp/tools/fetch.tool';
import { TeamsListTool } from 'src/mcp/tools/teams-list.tool';
import { DataContractTools } from 'src/mcp/tools/datacontract.tools';
import { AccessTools } from 'src/mcp/tools/access.tools';
import { ExecuteQueryTool } from 'src/mcp/tools/execute-query.tool';
import { CatalogModule } from 'src/catalog/catalog.module';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [DiscoveryModule, UsersModule, CatalogModule],
  controllers: [McpHttpController, ProtectedResourceController],
  providers: [
    ToolRegistry,
    McpServerFactory,
    WhoamiTool,
    SearchTool,
    FetchTool,
    TeamsListTool,
    DataContractTools,
    AccessTools,
    ExecuteQueryTool,
  ],
  exports: [ToolRegistry],
})
export class McpModule {}
