import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { UserPrincipal } from 'src/auth/principal';
import { hasScope, Scope } from 'src/auth/scopes';
import { MCP_TOOL, ToolDefinition, ToolResult } from 'src/mcp/tool.decorator';

export interface RegisteredTool {
  definition: ToolDefinition;
  readOnly: boolean;
  run(principal: UserPrincipal, input: Record<string, unknown>): ToolResult | Promise<ToolResult>;
}

/**
 * The order of tools/list, the order of the tool catalogue: read tools in the order of the usual flow,
 * then write tools (MCP 2026-07-28 server/tools: servers SHOULD list tools in a deterministic order).
 * A tool missing here fails start-up, so a new tool cannot land without its place.
 */
export const TOOL_ORDER = [
  'whoami',
  'search',
  'fetch',
  'datacontract_get',
  'teams_list',
  'access_list',
  'execute_query',
  'request_access',
  'access_approve',
  'access_reject',
  'access_cancel',
  'datacontract_save',
] as const;

const rank = (name: string): number => {
  const i = (TOOL_ORDER as readonly string[]).indexOf(name);
  if (i < 0) throw new Error(`MCP tool ${name} has no place in TOOL_ORDER`);
  return i;
};

/** Collects every `@McpTool` method of every provider once, at start-up, in {@link TOOL_ORDER}. */
@Injectable()
export class ToolRegistry implements OnModuleInit {
  private tools = new Map<string, RegisteredTool>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const found = new Map<string, RegisteredTool>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const definition = Reflect.getMetadata(MCP_TOOL, fn) as ToolDefinition | undefined;
        if (!definition) continue;
        if (found.has(definition.name)) throw new Error(`Duplicate MCP tool ${definition.name}`);
        found.set(definition.name, {
          definition,
          readOnly: definition.scope === Scope.Read,
          run: (principal, input) =>
            (
              fn as (
                p: UserPrincipal,
                i: Record<string, unknown>,
              ) => ToolResult | Promise<ToolResult>
            ).call(instance, principal, input),
        });
      }
    }
    const ordered = [...found.values()]
      .map((tool) => ({ tool, at: rank(tool.definition.name) }))
      .sort((a, b) => a.at - b.at)
      .map(({ tool }) => tool);
    this.tools = new Map(ordered.map((t) => [t.definition.name, t]));
  }

  /** Every tool, in {@link TOOL_ORDER}. */
  all(): RegisteredTool[] {
    return [...this.tools.values()];
  }

  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  /** The tools a credential with these scopes may see and call, in {@link TOOL_ORDER}. */
  allowed(scopes: readonly string[]): RegisteredTool[] {
    return this.all().filter((t) => hasScope(scopes, t.definition.scope));
  }
}
