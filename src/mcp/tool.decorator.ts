import { SetMetadata } from '@nestjs/common';
import type { ZodRawShape } from 'zod';
import type { Scope } from 'src/auth/scopes';

export const MCP_TOOL = 'mcp:tool';

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * Declares an MCP tool on a provider method `(principal, input) => ToolResult`. `scope` is required:
 * `mcp:read` tools are read tools (readOnlyHint), `mcp:write` tools are write tools.
 */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  scope: Scope.Read | Scope.Write;
  input: ZodRawShape;
  output?: ZodRawShape;
  annotations?: Omit<ToolAnnotations, 'readOnlyHint'>;
}

export const McpTool = (definition: ToolDefinition): MethodDecorator =>
  SetMetadata(MCP_TOOL, definition);

/** What a tool method returns: structured content plus a short readable rendering. */
export interface ToolResult {
  structured: Record<string, unknown>;
  text: string;
}
