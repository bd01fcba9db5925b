import type { CallToolResult } from '@modelcontextprotocol/server';
import type { UserPrincipal } from 'src/auth/principal';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import type { ToolRegistry } from 'src/mcp/tool-registry.service';
import { toolFailure, toolSuccess } from 'src/mcp/tool-results';
import { MCP_TOOL, ToolDefinition } from 'src/mcp/tool.decorator';
import { TOOL_PROVIDERS } from 'src/mcp/tools';
import {
  expectAcceptedFailure,
  expectAcceptedSuccess,
} from 'test/factories/tool-output-assertions';

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

type Structured = Record<string, any>;

/**
 * Calls tools as the MCP server does: the input parsed by the tool's input schema, the result made by
 * toolSuccess or toolFailure, and asserts every client accepts it. Records which tools succeeded.
 * `registry` is read at each call, so the caller can be made before the application starts.
 */
export function toolCaller(registry: () => ToolRegistry) {
  const succeeded = new Set<string>();

  function toolNamed(name: string) {
    const tool = registry().get(name);
    if (!tool) throw new Error(`no MCP tool ${name}`);
    return tool;
  }

  /** Runs a tool that must succeed; returns the structured content clients receive. */
  async function succeed(
    principal: UserPrincipal,
    name: string,
    input: Record<string, unknown> = {},
  ): Promise<Structured> {
    const tool = toolNamed(name);
    const produced = await tool.run(principal, tool.definition.input.parse(input));
    const result = toolSuccess(tool.definition, produced);
    expectAcceptedSuccess(tool.definition, result, produced.structured);
    succeeded.add(name);
    return result.structuredContent as Structured;
  }

  /** Runs a tool that must fail with a domain error of `code`; returns the error result. */
  async function fail(
    principal: UserPrincipal,
    name: string,
    input: Record<string, unknown>,
    code: ErrorCode,
  ): Promise<CallToolResult> {
    const tool = toolNamed(name);
    const err: unknown = await Promise.resolve()
      .then(() => tool.run(principal, tool.definition.input.parse(input)))
      .then(
        () => new Error(`${name} succeeded, expected ${code}`),
        (e: unknown) => e,
      );
    if (!(err instanceof DomainError)) throw err;
    expect({ name, code: err.code, message: err.message }).toEqual({
      name,
      code,
      message: expect.any(String),
    });
    const result = toolFailure(tool.definition, err);
    expectAcceptedFailure(tool.definition, result, code, err.details);
    return result;
  }

  /** Follows nextCursor from the first page to the last (two items a page); returns every item. */
  async function allPages(
    principal: UserPrincipal,
    name: string,
    input: Record<string, unknown>,
    key: string,
  ): Promise<Structured[]> {
    const items: Structured[] = [];
    let cursor: string | undefined;
    do {
      const page = await succeed(principal, name, { ...input, limit: 2, cursor });
      items.push(...(page[key] as Structured[]));
      cursor = page.nextCursor as string | undefined;
    } while (cursor);
    return items;
  }

  return { succeed, fail, allPages, succeeded };
}
