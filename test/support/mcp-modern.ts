import { mcpPost } from 'test/support/mcp-client';

/** The per-request `_meta` envelope of MCP 2026-07-28. */
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'e2e-test', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A 2026-07-28 JSON-RPC request: params carry the envelope. */
export const modernRequest = (method: string, params: Record<string, unknown> = {}, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method,
  params: { ...params, _meta: MODERN_META },
});

export const modernToolCall = (name: string, args: Record<string, unknown> = {}, id = 1) =>
  modernRequest('tools/call', { name, arguments: args }, id);

/** A raw 2026-07-28 POST to /mcp with the standard headers such a client sends. */
export function modernPost(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const { method, params } = body as { method: string; params?: Record<string, unknown> };
  const name = params?.name ?? params?.uri;
  return mcpPost(url, body, {
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
    ...headers,
  });
}
