import type { CallToolResult } from '@modelcontextprotocol/server';
import { deepFreeze } from 'src/common/deep-freeze';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import type { ToolDefinition, ToolResult } from 'src/mcp/tool.decorator';

/**
 * The `_meta` key of a failed call's machine-readable error, `{ code, message, ...details }`: a
 * prefix and a name as MCP 2026-07-28 basic (`_meta`) defines them.
 */
export const ERROR_META_KEY = 'data-product-catalog/error';

/** The code of {@link toolCrash} results; not a domain error code. */
export const INTERNAL_ERROR = 'internal_error';

/**
 * What to do next after each kind of error, for messages that do not already say it. A `Record`
 * over the enum, so a new error code does not compile without its advice.
 */
const NEXT_STEP: Readonly<Record<ErrorCode, (tool: string) => string>> = {
  [ErrorCode.NotFound]: () =>
    'Call search (query "*" lists every data product), teams_list or access_list to find valid ids.',
  [ErrorCode.Forbidden]: () =>
    'Call whoami to see your organization role and teams, or ask an owner of the team.',
  [ErrorCode.InvalidArgument]: (tool) => `Correct the arguments and call ${tool} again.`,
  [ErrorCode.Conflict]: () =>
    'Call fetch or access_list to see the current state before you call it again.',
  [ErrorCode.Unauthenticated]: () => 'Sign in again or use a valid API key, then try again.',
  [ErrorCode.AccessRequired]: () =>
    'Call access_list to follow your requests, or request_access to ask for access.',
  [ErrorCode.TermsOfUseViolation]: () =>
    'Call datacontract_get to read the terms of use, then change the purpose or the query.',
  [ErrorCode.QueryTimeout]: (tool) => `Then call ${tool} again.`,
  [ErrorCode.Unavailable]: () => 'Try again in a few seconds.',
  [ErrorCode.RateLimited]: () => 'Wait a minute, then try again.',
  [ErrorCode.PreconditionFailed]: () =>
    'Call datacontract_get or fetch to read the current version, then try again.',
};

/** The message, followed by the next step unless it already names a tool to call or to try again. */
function withNextStep(err: DomainError, tool: string): string {
  const { message } = err;
  if (/\b(call|try again)\b/i.test(message)) return message;
  return `${message}${/[.!?]$/.test(message) ? '' : '.'} ${NEXT_STEP[err.code](tool)}`;
}

/** The serialized `structuredContent` of each answer of {@link toolSuccess} (its second text block). */
const structuredJson = new WeakMap<CallToolResult, string>();

/**
 * The JSON of a {@link toolSuccess} answer's `structuredContent`, as its second text block holds it;
 * undefined for any other result. Whoever serializes the answer can reuse it instead of serializing
 * the structured content a second time.
 */
export const structuredJsonOf = (answer: CallToolResult): string | undefined =>
  structuredJson.get(answer);

/** The answers of results a tool handed back again (whoami, per credential state). */
const answered = new WeakMap<ToolResult, { definition: ToolDefinition; answer: CallToolResult }>();

/**
 * A successful tool call. `structuredContent` is the tool's result parsed through its output schema,
 * so it never carries a key the advertised `outputSchema` forbids. The readable text comes first;
 * the second text block is the serialized structured content (MCP 2026-07-28 server/tools,
 * Structured Content: such a tool SHOULD also return it as JSON in a TextContent block).
 *
 * A tool may hand back the same (frozen) `ToolResult` object for as long as it stays true, e.g. one
 * per credential state: its answer is then built once and shared, frozen. A result that is not
 * frozen is answered anew every time.
 */
export function toolSuccess(definition: ToolDefinition, result: ToolResult): CallToolResult {
  const known = answered.get(result);
  if (known?.definition === definition) return known.answer;
  const structuredContent = definition.output.parse(result.structured);
  const json = JSON.stringify(structuredContent);
  const answer: CallToolResult = {
    content: [
      { type: 'text', text: result.text },
      { type: 'text', text: json },
    ],
    structuredContent,
  };
  structuredJson.set(answer, json);
  if (!Object.isFrozen(result)) return answer;
  answered.set(result, { definition, answer: deepFreeze(answer) });
  return answer;
}

/**
 * A domain error as a tool result: `isError`, a text that says what went wrong and what to do next,
 * and no `structuredContent` (no output schema admits an error, and clients validate whatever they
 * receive). The code and details stay machine-readable in `_meta` under {@link ERROR_META_KEY}.
 */
export function toolFailure(definition: ToolDefinition, err: DomainError): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${err.code}: ${withNextStep(err, definition.name)}` }],
    _meta: { [ERROR_META_KEY]: { ...err.details, code: err.code, message: err.message } },
  };
}

/** An unexpected failure: a generic message and code only (the cause is logged by the caller). */
export function toolCrash(definition: ToolDefinition): CallToolResult {
  const message = `The ${definition.name} tool failed unexpectedly. Try again later.`;
  return {
    isError: true,
    content: [{ type: 'text', text: `${INTERNAL_ERROR}: ${message}` }],
    _meta: { [ERROR_META_KEY]: { code: INTERNAL_ERROR, message } },
  };
}
