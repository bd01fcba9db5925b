import { Injectable, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { Scope } from 'src/auth/scopes';
import { AccessService } from 'src/catalog/access.service';
import { DataContractsService } from 'src/catalog/data-contracts.service';
import { DataProductsService } from 'src/catalog/data-products.service';
import { QueryService } from 'src/catalog/query/query.service';
import { TeamsService } from 'src/catalog/teams.service';
import { TOOL_ORDER, ToolRegistry } from 'src/mcp/tool-registry.service';
import { McpTool } from 'src/mcp/tool.decorator';
import { TOOL_PROVIDERS } from 'src/mcp/tools';
import { IdentityService } from 'src/users/identity.service';

/** The services the tool providers call; the registry never calls them. */
const SERVICES = [
  AccessService,
  DataContractsService,
  DataProductsService,
  QueryService,
  TeamsService,
  IdentityService,
].map((provide) => ({ provide, useValue: {} }));

async function registryOf(providers: Array<Type<unknown>>): Promise<ToolRegistry> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [ToolRegistry, ...providers, ...SERVICES],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(ToolRegistry);
}

/** A provider with one more tool of this name. */
function extraTool(name: string): Type<unknown> {
  @Injectable()
  class ExtraTool {
    @McpTool({
      name,
      title: name,
      description: 'Not one of the catalogue’s tools.',
      scope: Scope.Read,
      input: z.object({}),
      output: z.object({}),
    })
    run(): Promise<{ structured: Record<string, never>; text: string }> {
      return Promise.resolve({ structured: {}, text: '' });
    }
  }
  return ExtraTool;
}

describe('ToolRegistry', () => {
  it('should list every tool in the catalogue order, whatever order the providers come in', async () => {
    for (const providers of [TOOL_PROVIDERS, [...TOOL_PROVIDERS].reverse()]) {
      const sut = await registryOf(providers);

      expect(sut.all().map((t) => t.definition.name)).toEqual([...TOOL_ORDER]);
    }
  });

  it('should keep the catalogue order among the tools a read-only credential may see', async () => {
    const sut = await registryOf([...TOOL_PROVIDERS].reverse());

    const read = sut.allowed([Scope.Read]).map((t) => t.definition.name);
    expect(read).toHaveLength(7);
    expect(read).toEqual(TOOL_ORDER.filter((name) => sut.get(name)?.readOnly));
    expect(sut.allowed([Scope.Write]).map((t) => t.definition.name)).toEqual([...TOOL_ORDER]);
  });

  it('should mark read tools read-only and write tools not', async () => {
    const sut = await registryOf(TOOL_PROVIDERS);

    for (const t of sut.all()) expect(t.readOnly).toBe(t.definition.scope === Scope.Read);
  });

  it('should refuse to start with a tool that has no place in the order', async () => {
    await expect(registryOf([...TOOL_PROVIDERS, extraTool('drop_everything')])).rejects.toThrow(
      'MCP tool drop_everything has no place in TOOL_ORDER',
    );
  });

  it('should refuse to start with two tools of one name', async () => {
    await expect(registryOf([...TOOL_PROVIDERS, extraTool('whoami')])).rejects.toThrow(
      'Duplicate MCP tool whoami',
    );
  });
});
