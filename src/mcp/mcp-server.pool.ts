import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

/**
 * A transport for exactly one request at a time: the HTTP layer hands it a JSON-RPC message and gets
 * the server's response back. Server-initiated messages are dropped (stateless: there is no stream).
 */
export class SingleRequestTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private pending: { id: RequestId; resolve: (m: JSONRPCMessage) => void } | undefined;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.pending = undefined;
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const p = this.pending;
    if (
      p &&
      (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) &&
      message.id === p.id
    ) {
      this.pending = undefined;
      p.resolve(message);
    }
  }

  request(message: JSONRPCRequest, extra: MessageExtraInfo): Promise<JSONRPCMessage> {
    return new Promise((resolve) => {
      this.pending = { id: message.id, resolve };
      this.onmessage?.(message, extra);
    });
  }

  notify(message: JSONRPCNotification, extra: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }
}

export interface PooledServer {
  server: McpServer;
  transport: SingleRequestTransport;
}

/**
 * Reuses connected McpServer instances, one request at a time each. Every caller with the same tool
 * set (read-only or read-write scopes) gets an identical server; what one request leaves behind — the
 * client's initialize details, logging levels — is cleared before the server is lent again. A server
 * whose request was abandoned is closed, never reused (its late response cannot reach another caller).
 */
export class McpServerPool {
  private readonly idle = new Map<string, PooledServer[]>();

  constructor(
    private readonly create: (key: string) => McpServer,
    private readonly maxIdlePerKey = 64,
  ) {}

  async acquire(key: string): Promise<PooledServer> {
    const free = this.idle.get(key)?.pop();
    if (free) return free;
    const server = this.create(key);
    const transport = new SingleRequestTransport();
    await server.connect(transport);
    return { server, transport };
  }

  release(key: string, entry: PooledServer): void {
    const inner = entry.server.server as unknown as {
      _clientCapabilities?: unknown;
      _clientVersion?: unknown;
      _loggingLevels?: Map<unknown, unknown>;
    };
    inner._clientCapabilities = undefined;
    inner._clientVersion = undefined;
    inner._loggingLevels?.clear();
    const list = this.idle.get(key) ?? [];
    if (list.length >= this.maxIdlePerKey) {
      void entry.server.close();
      return;
    }
    list.push(entry);
    this.idle.set(key, list);
  }

  discard(entry: PooledServer): void {
    void entry.server.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((e) => e.server.close()));
  }
}
