import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  isInitializeRequest,
  isJSONRPCNotification,
  isJSONRPCRequest,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthError } from 'src/auth/auth.errors';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import type { AuthenticatedRequest } from 'src/auth/guards/authentication.guard';
import type { UserPrincipal } from 'src/auth/principal';
import { hasScope } from 'src/auth/scopes';
import { RETRY_AFTER_SECONDS } from 'src/common/filters/http-exception.filter';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import { ToolRegistry } from 'src/mcp/tool-registry.service';
import { isJsonRpcMessage, isObject, MessageKind, plainMessageKind } from 'src/mcp/json-rpc';

type JsonRpcId = string | number | null;

function rpcError(
  reply: FastifyReply,
  status: number,
  code: number,
  message: string,
  id: JsonRpcId = null,
): void {
  void reply
    .status(status)
    .header('content-type', 'application/json')
    .header('cache-control', 'no-store')
    .send({ jsonrpc: '2.0', error: { code, message }, id });
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'cookie']);

/** Request headers for tools' `requestInfo`, without credentials. */
function withoutCredentials(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!CREDENTIAL_HEADERS.has(k)) out[k] = v;
  return out;
}

const rpcId = (body: Record<string, unknown>): JsonRpcId =>
  typeof body.id === 'string' || typeof body.id === 'number' ? body.id : null;

/**
 * Streamable HTTP, stateless: every POST is authenticated (global guard), gets a fresh McpServer
 * with the tools the caller may call and a fresh transport, and is answered with JSON.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpHttpController {
  constructor(
    private readonly servers: McpServerFactory,
    private readonly registry: ToolRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Authenticated({ userOnly: true, allowBearer: true })
  async post(@Req() req: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const principal = req.user as UserPrincipal;
    const body: unknown = req.body;
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json(\s*;|$)/i.test(contentType)) {
      return rpcError(
        reply,
        415,
        -32000,
        'Unsupported Media Type: Content-Type must be application/json',
      );
    }
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return rpcError(
        reply,
        406,
        -32000,
        'Not Acceptable: Client must accept both application/json and text/event-stream',
      );
    }
    if (Array.isArray(body)) {
      return rpcError(reply, 400, -32600, 'Invalid Request: batch requests are not supported');
    }
    if (!isObject(body) || !isJsonRpcMessage(body)) {
      return rpcError(
        reply,
        400,
        -32600,
        'Invalid Request: the body must be one JSON-RPC 2.0 message',
      );
    }
    let kind: MessageKind | undefined = plainMessageKind(body);
    let message = body as JSONRPCMessage;
    if (kind === undefined) {
      // Anything unusual (`_meta`, responses, odd ids) gets the SDK's own schema.
      const parsed = JSONRPCMessageSchema.safeParse(body);
      if (!parsed.success) {
        return rpcError(reply, 400, -32700, 'Parse error: Invalid JSON-RPC message');
      }
      message = parsed.data;
      kind = isJSONRPCRequest(message)
        ? 'request'
        : isJSONRPCNotification(message)
          ? 'notification'
          : 'response';
    }
    if (!(body.method === 'initialize' && isInitializeRequest(message))) {
      const version = req.headers['mcp-protocol-version'];
      if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(String(version))) {
        return rpcError(
          reply,
          400,
          -32000,
          `Bad Request: Unsupported protocol version (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
        );
      }
    }
    const unknownTool = this.unknownTool(body);
    if (unknownTool !== null) {
      return rpcError(
        reply,
        200,
        -32602,
        `Unknown tool: ${unknownTool}. Call tools/list for the available tools.`,
        rpcId(body),
      );
    }
    this.checkToolScope(principal, body);

    const authInfo = this.authInfo(principal);
    const extra = { authInfo, requestInfo: { headers: withoutCredentials(req.headers) } };
    const key = this.servers.poolKey(principal.scopes);
    const entry = await this.servers.pool.acquire(key);
    if (kind !== 'request') {
      // Notifications and responses: delivered, answered 202 without a body.
      if (kind === 'notification') entry.transport.notify(message as JSONRPCNotification, extra);
      this.servers.pool.release(key, entry);
      await reply.status(202).header('cache-control', 'no-store').send();
      return;
    }
    let response;
    try {
      response = await entry.transport.request(message as JSONRPCRequest, extra);
    } catch (err) {
      this.servers.pool.discard(entry);
      throw err;
    }
    this.servers.pool.release(key, entry);
    if (authInfo.extra?.databaseUnavailable) {
      await reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .header('cache-control', 'no-store')
        .send({
          jsonrpc: '2.0',
          error: { code: -32603, message: 'Temporarily unavailable, retry shortly' },
          id: (message as JSONRPCRequest).id,
        });
      return;
    }
    await reply.status(200).header('content-type', 'application/json').send(response);
  }

  @Get()
  @Authenticated({ userOnly: true, allowBearer: true })
  get(@Res() reply: FastifyReply): void {
    this.methodNotAllowed(reply);
  }

  @Delete()
  @Authenticated({ userOnly: true, allowBearer: true })
  delete(@Res() reply: FastifyReply): void {
    this.methodNotAllowed(reply);
  }

  /** The name of a tools/call target that does not exist (JSON-RPC -32602, HTTP 200), else null. */
  private unknownTool(body: Record<string, unknown>): string | null {
    if (body.method !== 'tools/call' || !isObject(body.params)) return null;
    const name = body.params.name;
    if (typeof name !== 'string') return null;
    return this.registry.get(name) ? null : name.slice(0, 100);
  }

  /** Step-up: a write tool called without write scope gets 403 insufficient_scope, before any tool code. */
  private checkToolScope(principal: UserPrincipal, body: Record<string, unknown>): void {
    if (body.method !== 'tools/call' || !isObject(body.params)) return;
    const name = body.params.name;
    if (typeof name !== 'string') return;
    const tool = this.registry.get(name);
    if (!tool || hasScope(principal.scopes, tool.definition.scope)) return;
    throw new AuthError(
      'insufficient_scope',
      `${name} requires ${tool.definition.scope}`,
      rpcId(body),
    );
  }

  private authInfo(principal: UserPrincipal): AuthInfo {
    const expires = principal.credentialExpiresAt;
    return {
      // The raw credential is deliberately not passed on: tools never need it.
      token: principal.apiKeyId ?? principal.grantId ?? '',
      clientId: principal.clientId ?? principal.apiKeyId ?? '',
      scopes: [...principal.scopes],
      ...(expires ? { expiresAt: Math.floor(expires.getTime() / 1000) } : {}),
      resource: new URL(this.config.mcpResource),
      extra: {
        principal,
        userId: principal.userId,
        organizationId: principal.organizationId,
        authMethod: principal.authMethod,
        ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
        ...(principal.grantId ? { grantId: principal.grantId } : {}),
      },
    };
  }

  private methodNotAllowed(reply: FastifyReply): void {
    void reply
      .status(405)
      .header('allow', 'POST')
      .header('content-type', 'application/json')
      .send({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed: this server is stateless, use POST' },
        id: null,
      });
  }
}
