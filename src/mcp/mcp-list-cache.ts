import type { JSONRPCRequest, JSONRPCResponse } from '@modelcontextprotocol/server';
import { isObject, responseIdTail, resultResponseHead } from 'src/mcp/json-rpc';

/**
 * Methods whose answer depends only on the pooled server that gives it (the tool set and the protocol
 * era), never on the caller, its arguments or the database.
 */
const STATIC_LISTS = new Set(['tools/list', 'prompts/list', 'resources/templates/list']);

/**
 * The serialized results of those lists, once per pool key: every later request gets the same bytes
 * without asking a server and serializing ~50 kB of schemas again. Only first pages are cached (a
 * request with a cursor or other parameters goes to the server). The bytes are kept UTF-8 encoded,
 * up to the request id: each answer is one copy of them, not a new 50 kB string to encode.
 */
export class McpListCache {
  /** `{"result":…,"jsonrpc":"2.0","id":` per key: the server's own field order, id last. */
  private readonly heads = new Map<string, Buffer>();

  /** The cache key of a request whose answer can be reused, else undefined. */
  keyOf(poolKey: string, request: JSONRPCRequest): string | undefined {
    if (!STATIC_LISTS.has(request.method)) return undefined;
    const params = request.params;
    if (params !== undefined) {
      if (!isObject(params)) return undefined;
      for (const k in params) if (k !== '_meta') return undefined;
    }
    return `${poolKey} ${request.method}`;
  }

  /** The JSON-RPC response body for this request id, when the result is known. */
  answer(key: string, id: JSONRPCRequest['id']): Buffer | undefined {
    const head = this.heads.get(key);
    return head === undefined ? undefined : Buffer.concat([head, Buffer.from(responseIdTail(id))]);
  }

  /** Keeps a successful result. */
  remember(key: string, response: JSONRPCResponse): void {
    if ('result' in response) {
      this.heads.set(key, Buffer.from(resultResponseHead(JSON.stringify(response.result))));
    }
  }
}
