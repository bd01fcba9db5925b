import { MCP_TOOL, ToolDefinition } from 'src/mcp/tool.decorator';
import { TOOL_PROVIDERS } from 'src/mcp/tools';

/** Every `@McpTool` definition of the tool providers, read from their metadata. */
export function toolDefinitions(): ToolDefinition[] {
  return TOOL_PROVIDERS.flatMap((cls) => {
    const proto = cls.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((key) => {
      const fn = proto[key];
      const d =
        typeof fn === 'function'
          ? (Reflect.getMetadata(MCP_TOOL, fn) as ToolDefinition | undefined)
          : undefined;
      return d ? [d] : [];
    });
  });
}

/** One tool's definition by name. */
export function toolDefinition(name: string): ToolDefinition {
  const found = toolDefinitions().find((d) => d.name === name);
  if (!found) throw new Error(`no MCP tool ${name}`);
  return found;
}
