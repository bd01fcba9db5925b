import type { McpTestClient, ToolCallResult } from 'test/support/mcp-clients';

/** Where a failed call's machine-readable error travels: the result's `_meta`, never structuredContent. */
export const ERROR_META_KEY = 'data-product-catalog/error';

export const textOf = (r: ToolCallResult): string => r.content.map((c) => c.text ?? '').join('\n');

/**
 * Calls a tool that must succeed: no isError, a text, and a structuredContent (which the client has
 * validated against the listed outputSchema, or thrown). Returns the structuredContent.
 */
export async function expectToolSuccess(
  client: McpTestClient,
  tool: string,
  args: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const result = await client.callTool(tool, args);
  expect({ tool, isError: result.isError ?? false, text: textOf(result) }).toEqual({
    tool,
    isError: false,
    text: expect.stringMatching(/\S/),
  });
  expect(result.structuredContent).toEqual(expect.any(Object));
  return result.structuredContent as Record<string, any>;
}

/** A call that must come back as a tool error. */
export interface ToolErrorCase {
  tool: string;
  args: Record<string, unknown>;
  /** The `code` of the `_meta` error. */
  code: string;
  /** The tool the text must tell the caller to call next; by default any tool the client listed. */
  next?: string;
  /** Details beside code and message in the `_meta` error. */
  details?: Record<string, unknown>;
}

/**
 * Calls a tool that must fail the way clients can use: `isError`, no structuredContent (the client
 * would validate it against the outputSchema), `{ code, message, ...details }` in `_meta`, and a
 * text that names a tool to call next.
 */
export async function expectToolError(client: McpTestClient, c: ToolErrorCase): Promise<void> {
  const result = await client.callTool(c.tool, c.args);
  const named = [...textOf(result).matchAll(/\bcall (\w+)/gi)].map((m) => m[1]);
  expect({
    tool: c.tool,
    isError: result.isError,
    structuredContent: result.structuredContent,
    error: result._meta?.[ERROR_META_KEY],
    nextTools: named.filter((name) => client.listedTools().includes(name)),
  }).toEqual({
    tool: c.tool,
    isError: true,
    structuredContent: undefined,
    error: { code: c.code, message: expect.stringMatching(/\S/), ...c.details },
    nextTools: expect.arrayContaining([c.next ?? expect.any(String)]),
  });
}

/** A tool error case and who of the connected people makes the call. */
export type CallerErrorCase<P extends string> = ToolErrorCase & { as: P };

/** `as` calls `tool` with `args` and must get a tool error with `code`. */
export const fails = <P extends string>(
  as: P,
  tool: string,
  args: Record<string, unknown>,
  code: string,
  more: Pick<ToolErrorCase, 'next' | 'details'> = {},
): CallerErrorCase<P> => ({ as, tool, args, code, ...more });
