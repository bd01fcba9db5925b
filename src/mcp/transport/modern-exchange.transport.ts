import {
  PerRequestHTTPServerTransport,
  ProtocolErrorCode,
  type AuthInfo,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type JSONRPCResponse,
  type MessageClassification,
} from '@modelcontextprotocol/server';
import { isResponseTo } from 'src/mcp/transport/single-request.transport';

/** MCP 2026-07-28 basic/transports/streamable-http › Server Validation: HeaderMismatch. */
export const HEADER_MISMATCH = -32020;

/**
 * HTTP statuses of the errors the protocol layer produces before any handler runs (MCP 2026-07-28
 * basic/transports/streamable-http: an unimplemented method is 404 with -32601; an unsupported version
 * or a header mismatch is 400). Errors produced by handlers stay in-band on HTTP 200.
 */
const PRE_DISPATCH_STATUS: Readonly<Record<number, number>> = {
  [ProtocolErrorCode.ParseError]: 400,
  [ProtocolErrorCode.InvalidRequest]: 400,
  [ProtocolErrorCode.MethodNotFound]: 404,
  [ProtocolErrorCode.UnsupportedProtocolVersion]: 400,
  [ProtocolErrorCode.MissingRequiredClientCapability]: 400,
  [HEADER_MISMATCH]: 400,
};

export interface ExchangeResult {
  response: JSONRPCResponse;
  status: number;
}

/**
 * 2026-07-28 exchanges with the server connected to this transport, one at a time. Connecting a
 * server to a `PerRequestHTTPServerTransport` is what binds it to the classified modern revision
 * (SDK v2). This subclass stays connected to its pooled server for many exchanges (connecting and
 * closing per request costs more than a tool call: the SDK builds an error with a stack trace on
 * every close), hands the JSON-RPC response straight back instead of building a web `Response`, and
 * answers JSON only: our tools emit nothing before their result. Each message carries its own
 * classification, which the SDK checks against the bound revision.
 */
export class ModernExchangeTransport extends PerRequestHTTPServerTransport {
  private pending:
    | { request: JSONRPCRequest; resolve: (r: ExchangeResult) => void; inDispatch: boolean }
    | undefined;

  constructor(classification: MessageClassification) {
    super({ classification, responseMode: 'json' });
  }

  exchange(
    request: JSONRPCRequest,
    classification: MessageClassification,
    authInfo: AuthInfo,
  ): Promise<ExchangeResult> {
    const onmessage = this.onmessage;
    if (!onmessage) throw new Error('Connect a server to the transport first');
    if (this.pending) throw new Error('One exchange at a time per transport');
    return new Promise((resolve) => {
      const pending = { request, resolve, inDispatch: true };
      this.pending = pending;
      // The protocol layer answers its own pre-handler checks (method not found, version) inside
      // this synchronous call; handlers always run later.
      onmessage(request, { classification, authInfo });
      pending.inDispatch = false;
    });
  }

  override async send(message: JSONRPCMessage): Promise<void> {
    const p = this.pending;
    if (!p || !isResponseTo(message, p.request.id)) return; // nothing else has anywhere to go
    this.pending = undefined;
    const code: number | undefined = 'error' in message ? message.error.code : undefined;
    const status =
      code !== undefined &&
      (p.inDispatch || code === Number(ProtocolErrorCode.MissingRequiredClientCapability))
        ? (PRE_DISPATCH_STATUS[code] ?? 200)
        : 200;
    p.resolve({ response: message, status });
  }
}
