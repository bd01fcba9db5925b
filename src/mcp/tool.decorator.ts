import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
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
 *
 * `input` and `output` are zod object schemas. The advertised `inputSchema`/`outputSchema` are derived
 * from them (see tool-json-schema.ts), and a successful result's `structuredContent` is the tool's
 * `structured` value parsed through `output`, so what is advertised and what is sent cannot drift.
 */
export interface ToolDefinition<
  I extends z.ZodObject = z.ZodObject,
  O extends z.ZodObject = z.ZodObject,
> {
  name: string;
  title: string;
  description: string;
  scope: Scope.Read | Scope.Write;
  input: I;
  output: O;
  annotations?: Omit<ToolAnnotations, 'readOnlyHint'>;
}

/** What a tool method returns: structured content plus a short readable rendering. */
export interface ToolResult<T extends Record<string, unknown> = Record<string, unknown>> {
  structured: T;
  text: string;
}

/**
 * A tool method: takes the parsed input, returns what the output schema describes (directly when it
 * has it at hand, without a promise).
 */
export type ToolMethod<I extends z.ZodObject, O extends z.ZodObject> = (
  principal: UserPrincipal,
  input: z.output<I>,
) => ToolResult<z.input<O>> | Promise<ToolResult<z.input<O>>>;

/**
 * Marks a method as a tool. The method's type is checked against the definition: it must accept the
 * input schema's output and return `structured` values of the output schema's input type.
 */
export const McpTool =
  <I extends z.ZodObject, O extends z.ZodObject>(definition: ToolDefinition<I, O>) =>
  <M extends ToolMethod<I, O>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    SetMetadata(MCP_TOOL, definition)(target, key, descriptor);
  };
