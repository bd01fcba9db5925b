import {
  classifyInboundRequest,
  ProtocolErrorCode,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type MessageClassification,
} from '@modelcontextprotocol/server';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/core';
import type { IncomingHttpHeaders } from 'node:http';
import {
  isJsonRpcMessage,
  isObject,
  MessageKind,
  plainMessageKind,
  plainShape,
} from 'src/mcp/json-rpc';
import { HEADER_MISMATCH } from 'src/mcp/transport/modern-exchange.transport';

/** The stateless revision this server serves besides the 2025 ones (MCP 2026-07-28). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION];
/** The revisions served through `initialize` (2025-11-25 first: what `initialize` falls back to). */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;

export type JsonRpcId = string | number | null;

export interface McpRejection {
  kind: 'reject';
  status: number;
  code: number;
  message: string;
  data?: unknown;
  id: JsonRpcId;
}

/** A request or notification of the 2025 revisions (`initialize` handshake era). */
export interface LegacyRoute {
  kind: 'legacy';
  messageKind: MessageKind;
  message: JSONRPCMessage;
}

/** A request or notification of 2026-07-28, with its `_meta` envelope. */
export type ModernRoute =
  | {
      kind: 'modern';
      messageKind: 'request';
      message: JSONRPCRequest;
      classification: MessageClassification;
    }
  | {
      kind: 'modern';
      messageKind: 'notification';
      message: JSONRPCNotification;
      classification: MessageClassification;
    };

export type McpRoute = McpRejection | LegacyRoute | ModernRoute;

export const rpcIdOf = (body: unknown): JsonRpcId =>
  isObject(body) && (typeof body.id === 'string' || typeof body.id === 'number') ? body.id : null;

const reject = (
  status: number,
  code: number,
  message: string,
  body: unknown,
  data?: unknown,
): McpRejection => ({ kind: 'reject', status, code, message, id: rpcIdOf(body), data });

/** One header value (a repeated header arrives joined or as an array: either is taken as sent). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** RFC 9110 §5.5: a field value without the optional whitespace around it. */
export const trimOws = (v: string): string => v.replace(/^[ \t]+|[ \t]+$/g, '');

const isModernVersion = (v: string): boolean => v >= MODERN_PROTOCOL_VERSION;

/**
 * Decides which protocol era a POSTed body belongs to and validates what that era requires before
 * any server sees it. The era is decided by the body (MCP 2026-07-28 basic/index: every request
 * carries `io.modelcontextprotocol/protocolVersion` in `_meta`); the SDK's `classifyInboundRequest`
 * is the authority. A plain 2025-era body (no `_meta`, no 2026 version header) — what most clients send
 * on every call — is recognised without it; `mcp-route.spec.ts` checks the two never disagree.
 */
export function routeMcpBody(body: unknown, headers: IncomingHttpHeaders): McpRoute {
  if (Array.isArray(body)) {
    return reject(400, -32600, 'Invalid Request: batch requests are not supported', null);
  }
  if (!isObject(body) || !isJsonRpcMessage(body)) {
    return reject(400, -32600, 'Invalid Request: the body must be one JSON-RPC 2.0 message', body);
  }
  const versionHeader = header(headers, 'mcp-protocol-version');
  const plain = plainMessageKind(body);
  if (
    plain !== undefined &&
    (versionHeader === undefined || !isModernVersion(trimOws(versionHeader)))
  ) {
    return legacy(body as unknown as JSONRPCMessage, plain, body, versionHeader);
  }
  const methodHeader = header(headers, 'mcp-method');
  const envelope = envelopeOf(body);
  const claimed = envelope === undefined ? undefined : acceptedEnvelopes.get(envelope);
  if (
    claimed !== undefined &&
    (versionHeader === undefined || versionHeader === claimed) &&
    (methodHeader === undefined || methodHeader === body.method)
  ) {
    const message = body as unknown as JSONRPCRequest;
    const classification = { era: 'modern', revision: claimed } as const;
    return modern(
      { kind: 'modern', messageKind: 'request', message, classification },
      headers,
      body,
    );
  }
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    protocolVersionHeader: versionHeader,
    mcpMethodHeader: methodHeader,
    mcpNameHeader: header(headers, 'mcp-name'),
    body,
  });
  if (envelope !== undefined && outcome.kind === 'modern') {
    rememberEnvelope(envelope, outcome.classification);
  }
  switch (outcome.kind) {
    case 'reject':
      return reject(outcome.httpStatus, outcome.code, outcome.message, body, outcome.data);
    case 'legacy': {
      // Anything unusual (responses, `_meta` without a 2026 claim, odd ids) gets the SDK's schema.
      const parsed = JSONRPCMessageSchema.safeParse(body);
      if (!parsed.success) {
        return reject(400, -32700, 'Parse error: Invalid JSON-RPC message', body);
      }
      const message = parsed.data;
      const kind: MessageKind =
        'method' in message ? ('id' in message ? 'request' : 'notification') : 'response';
      return legacy(message, kind, body, versionHeader);
    }
    case 'modern':
      return modern(outcome, headers, body);
  }
}

/**
 * The `_meta` envelopes (as JSON) of requests the SDK's classifier routed to 2026-07-28, with the
 * revision they claim. A client sends the same envelope on every request, and classifying one costs
 * more than the rest of a tool call's routing (zod parses of the body as a response, a request and an
 * envelope). Whether the classifier accepts a request of the plain shape ({@link envelopeOf}) depends
 * only on its envelope, its method (not `initialize`) and the version and method headers; a request
 * whose headers do not repeat what the remembered envelope and its body say exactly goes to the
 * classifier again. `mcp-route.spec.ts` checks the two never disagree.
 */
const acceptedEnvelopes = new Map<string, string>();
const MAX_ENVELOPES = 256;
const MAX_ENVELOPE_LENGTH = 4096;

function rememberEnvelope(envelope: string, classification: MessageClassification): void {
  if (classification.era !== 'modern' || classification.revision === undefined) return;
  if (envelope.length > MAX_ENVELOPE_LENGTH) return;
  if (acceptedEnvelopes.size >= MAX_ENVELOPES) acceptedEnvelopes.clear();
  acceptedEnvelopes.set(envelope, classification.revision);
}

/**
 * The `_meta` of a request of the plain shape (the keys `jsonrpc`, `id`, `method` and `params` only,
 * version 2.0, a string or safe-integer id, a method other than `initialize`, `params` an object with
 * an object `_meta`), as JSON; undefined for anything else.
 */
function envelopeOf(body: Record<string, unknown>): string | undefined {
  if (body.method === 'initialize' || plainShape(body) !== 'request') return undefined;
  const params = body.params;
  const meta = isObject(params) ? params._meta : undefined;
  return isObject(meta) ? JSON.stringify(meta) : undefined;
}

function legacy(
  message: JSONRPCMessage,
  messageKind: MessageKind,
  body: Record<string, unknown>,
  versionHeader: string | undefined,
): McpRoute {
  // MCP 2025-11-25 basic/transports: an unsupported MCP-Protocol-Version header is 400; `initialize`
  // negotiates its version in the body.
  if (
    versionHeader !== undefined &&
    body.method !== 'initialize' &&
    !LEGACY_PROTOCOL_VERSIONS.includes(trimOws(versionHeader))
  ) {
    return reject(
      400,
      -32000,
      `Bad Request: Unsupported protocol version (supported versions: ${[...LEGACY_PROTOCOL_VERSIONS, ...MODERN_PROTOCOL_VERSIONS].join(', ')})`,
      body,
    );
  }
  return { kind: 'legacy', messageKind, message };
}

function modern(
  route: ModernRoute,
  headers: IncomingHttpHeaders,
  body: Record<string, unknown>,
): McpRoute {
  const requested = route.classification.revision;
  if (requested === undefined || !MODERN_PROTOCOL_VERSIONS.includes(requested)) {
    // MCP 2026-07-28 basic/versioning: UnsupportedProtocolVersionError names what is supported.
    return reject(
      400,
      ProtocolErrorCode.UnsupportedProtocolVersion,
      `Unsupported protocol version: ${requested ?? 'unknown'}`,
      body,
      { supported: [...MODERN_PROTOCOL_VERSIONS], requested: requested ?? 'unknown' },
    );
  }
  if (route.messageKind === 'request') {
    const mismatch = standardHeaderMismatch(route.message, headers);
    if (mismatch) return reject(400, HEADER_MISMATCH, mismatch.message, body, mismatch.data);
  }
  return route;
}

/** The body field the `Mcp-Name` header mirrors (MCP 2026-07-28 streamable-http › Standard Request Headers). */
const NAME_SOURCE: Readonly<Record<string, 'name' | 'uri'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
/** RFC 4648 §4 with the padding the spec's encoding examples use. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A header value as the client meant it: a `=?base64?…?=` sentinel decoded (UTF-8), anything else as
 * is; undefined when the sentinel does not hold valid Base64 of valid UTF-8 (MCP 2026-07-28
 * streamable-http › Value Encoding).
 */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX))) return value;
  const b64 = value.slice(SENTINEL_PREFIX.length, value.length - SENTINEL_SUFFIX.length);
  if (!BASE64.test(b64)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(b64, 'base64'));
  } catch {
    return undefined;
  }
}

export interface HeaderMismatch {
  message: string;
  data: { header: string; received: string | null; body: string | null };
}

/** A `HeaderMismatch` naming the header, what it carried (null: absent) and what the body says. */
export const headerMismatch = (
  header: string,
  received: string | null,
  body: string | null,
  message: string,
): HeaderMismatch => ({ message: `Header mismatch: ${message}`, data: { header, received, body } });

/**
 * MCP 2026-07-28 streamable-http › Server Validation: `MCP-Protocol-Version` and `Mcp-Method` are
 * required on every request, `Mcp-Name` on tools/call, prompts/get and resources/read; each must match
 * the body. (A version or method header that disagrees with the body is already refused by the
 * classifier.)
 */
export function standardHeaderMismatch(
  request: JSONRPCRequest,
  headers: IncomingHttpHeaders,
): HeaderMismatch | undefined {
  if (header(headers, 'mcp-protocol-version') === undefined) {
    return headerMismatch(
      'MCP-Protocol-Version',
      null,
      null,
      'the MCP-Protocol-Version header is required',
    );
  }
  if (header(headers, 'mcp-method') === undefined) {
    return headerMismatch('Mcp-Method', null, request.method, 'the Mcp-Method header is required');
  }
  const field = Object.hasOwn(NAME_SOURCE, request.method)
    ? NAME_SOURCE[request.method]
    : undefined;
  if (!field) return undefined;
  const raw = isObject(request.params) ? request.params[field] : undefined;
  const bodyValue = typeof raw === 'string' ? raw : undefined;
  const sent = header(headers, 'mcp-name');
  if (sent === undefined) {
    return bodyValue === undefined
      ? undefined
      : headerMismatch(
          'Mcp-Name',
          null,
          bodyValue,
          `the Mcp-Name header is required for ${request.method}`,
        );
  }
  const decoded = decodeHeaderValue(trimOws(sent));
  if (decoded === undefined) {
    return headerMismatch(
      'Mcp-Name',
      sent,
      bodyValue ?? null,
      'the Mcp-Name header is not valid Base64-encoded UTF-8',
    );
  }
  if (bodyValue !== undefined && decoded !== bodyValue) {
    return headerMismatch(
      'Mcp-Name',
      decoded,
      bodyValue,
      `Mcp-Name header value '${decoded.slice(0, 200)}' does not match body value '${bodyValue.slice(0, 200)}'`,
    );
  }
  return undefined;
}
