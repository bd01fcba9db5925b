import type {
  JSONRPCMessage,
  JSONRPCRequest,
  JSONRPCResponse,
  MessageExtraInfo,
  RequestId,
  Transport,
} from '@modelcontextprotocol/server';

/** The server's answer to the request with this id (the SDK only sends well-formed messages). */
export function isResponseTo(message: JSONRPCMessage, id: RequestId): message is JSONRPCResponse {
  return !('method' in message) && 'id' in message && message.id === id;
}

/**
 * A transport for exactly one request at a time, for the 2025-era protocol revisions: the HTTP layer
 * hands it a JSON-RPC request and gets the server's response back. Server-initiated messages are
 * dropped (stateless serving has no stream to carry them).
 */
export class SingleRequestTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private pending: { id: RequestId; resolve: (m: JSONRPCResponse) => void } | undefined;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.pending = undefined;
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const p = this.pending;
    if (p && isResponseTo(message, p.id)) {
      this.pending = undefined;
      p.resolve(message);
    }
  }

  request(message: JSONRPCRequest, extra: MessageExtraInfo): Promise<JSONRPCResponse> {
    return new Promise((resolve) => {
      this.pending = { id: message.id, resolve };
      this.onmessage?.(message, extra);
    });
  }
}
