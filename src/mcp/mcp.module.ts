import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { McpHttpController } from 'src/mcp/mcp-http.controller';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import { ProtectedResourceController } from 'src/mcp/protected-resource.controller';
import { ToolRegistry } from 'src/mcp/tool-registry.service';
import { WhoamiTool } from 'src/mcp/tools/whoami.tool';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [DiscoveryModule, UsersModule],
  controllers: [McpHttpController, ProtectedResourceController],
  providers: [ToolRegistry, McpServerFactory, WhoamiTool],
  exports: [ToolRegistry],
})
export class McpModule {}
