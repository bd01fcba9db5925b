import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
  type CallToolResult,
  type Implementation,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
} from '@modelcontextprotocol/server';
import { isObject, responseIdTail, resultResponseHead } from 'src/mcp/json-rpc';
import { structuredJsonOf } from 'src/mcp/tool-results';

/**
 * The `_meta` keys of a 2026-07-28 request that the era classifier has already validated (the
 * SDK's RequestMetaEnvelopeSchema) and that change nothing in a tool's answer: no progress or log
 * notifications travel on a JSON answer.
 */
const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  PROTOCOL_VERSION_META_KEY,
  CLIENT_INFO_META_KEY,
  CLIENT_CAPABILITIES_META_KEY,
  LOG_LEVEL_META_KEY,
  'progressToken',
]);

const LEGACY_PARAMS: ReadonlySet<string> = new Set(['name', 'arguments']);
const MODERN_PARAMS: ReadonlySet<string> = new Set(['name', 'arguments', '_meta']);

const onlyKeys = (value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean => {
  for (const k in value) if (!allowed.has(k)) return false;
  return true;
};

export interface DirectCall {
  /** The `arguments` as sent: a JSON object, or undefined when the request has none. */
  args: Record<string, unknown> | undefined;
}

/**
 * Whether the HTTP layer may answer this `tools/call` itself, without a pooled server's protocol
 * layer: the call names a tool (already found and allowed), its `arguments` are absent or a JSON
 * object, and its params carry nothing else but, in 2026-07-28, the validated envelope. Everything
 * else (arguments of another type, `_meta` in a 2025-era call, extension keys, tasks) is left to the
 * SDK, which answers it as the protocol says. For these calls the SDK's own work is a pass-through
 * (our input and output schemas are applied by {@link McpServerFactory.callTool}), so the answers are
 * the same; `test/e2e/mcp-direct-calls` compares the two paths over generated requests.
 */
export function directCall(
  era: 'legacy' | 'modern',
  request: JSONRPCRequest,
): DirectCall | undefined {
  const params = request.params;
  if (request.method !== 'tools/call' || !isObject(params) || typeof params.name !== 'string') {
    return undefined;
  }
  if (era === 'legacy') {
    if (!onlyKeys(params, LEGACY_PARAMS)) return undefined;
  } else {
    if (!onlyKeys(params, MODERN_PARAMS)) return undefined;
    if (!isObject(params._meta) || !onlyKeys(params._meta, ENVELOPE_KEYS)) return undefined;
  }
  const args = params.arguments;
  if (args !== undefined && !isObject(args)) return undefined;
  return { args };
}

/**
 * The JSON-RPC response the SDK sends for a tool's result: as is in the 2025 revisions; in 2026-07-28
 * with `resultType: "complete"` and the server's identity in `_meta` (MCP 2026-07-28 basic: servers
 * SHOULD name themselves on every result).
 */
export function directResponse(
  era: 'legacy' | 'modern',
  id: JSONRPCRequest['id'],
  result: CallToolResult,
  info: Implementation,
): JSONRPCResultResponse {
  if (era === 'legacy') return { result, jsonrpc: '2.0', id };
  return {
    result: {
      ...result,
      resultType: 'complete',
      _meta: { ...result._meta, [SERVER_INFO_META_KEY]: info },
    },
    jsonrpc: '2.0',
    id,
  };
}

/** The serialized results of shared (frozen) answers, per era, with the identity they were built with. */
const serialized = new WeakMap<
  CallToolResult,
  { info: Implementation; legacy?: string; modern?: string }
>();

/**
 * {@link directResponse} as the JSON text sent. The result of a frozen answer (one shared by many
 * calls, as `toolSuccess` makes them) is serialized once per era; the envelope around it is the only
 * part written per call.
 */
export function directResponseJson(
  era: 'legacy' | 'modern',
  id: JSONRPCRequest['id'],
  result: CallToolResult,
  info: Implementation,
): string {
  const shared = Object.isFrozen(result);
  let known = shared ? serialized.get(result) : undefined;
  if (known?.info !== info) known = undefined;
  let json = known?.[era];
  if (json === undefined) {
    json =
      successJson(era, result, info) ??
      JSON.stringify(directResponse(era, id, result, info).result);
    if (shared) {
      if (!known) serialized.set(result, (known = { info }));
      known[era] = json;
    }
  }
  return resultResponseHead(json) + responseIdTail(id);
}

/**
 * The result of a `toolSuccess` answer serialized around the JSON of its structured content, which
 * the answer's second text block already holds (serializing it again is the largest part of sending
 * a search page); undefined for any other result. The same JSON as `JSON.stringify` of the result.
 */
function successJson(
  era: 'legacy' | 'modern',
  result: CallToolResult,
  info: Implementation,
): string | undefined {
  const structured = structuredJsonOf(result);
  const [text, data] = result.content;
  if (
    structured === undefined ||
    result.content.length !== 2 ||
    text.type !== 'text' ||
    data.type !== 'text' ||
    data.text !== structured ||
    Object.keys(result).length !== 2
  ) {
    return undefined;
  }
  const content = `[{"type":"text","text":${JSON.stringify(text.text)}},{"type":"text","text":${JSON.stringify(structured)}}]`;
  const modern =
    era === 'modern'
      ? `,"resultType":"complete","_meta":{${JSON.stringify(SERVER_INFO_META_KEY)}:${jsonOfInfo(info)}}`
      : '';
  return `{"content":${content},"structuredContent":${structured}${modern}}`;
}

const infoJson = new WeakMap<Implementation, string>();

function jsonOfInfo(info: Implementation): string {
  let json = infoJson.get(info);
  if (json === undefined) infoJson.set(info, (json = JSON.stringify(info)));
  return json;
}
