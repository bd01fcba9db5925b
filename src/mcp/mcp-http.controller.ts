import { Controller, Delete, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { CallToolResult, JSONRPCRequest, JSONRPCResponse } from '@modelcontextprotocol/server';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { EXPLICIT_AUDIT_CONTEXT } from 'src/audit/audit-request.hook';
import { AuthError } from 'src/auth/auth.errors';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import type { AuthenticatedRequest } from 'src/auth/authenticated-request';
import type { UserPrincipal } from 'src/auth/principal';
import { hasScope } from 'src/auth/scopes';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { authInfoFor, McpCallContext } from 'src/mcp/mcp-call-context';
import { paramHeaderMismatch, paramHeadersOfTool } from 'src/mcp/mcp-param-headers';
import { LegacyRoute, McpRejection, ModernRoute, routeMcpBody } from 'src/mcp/mcp-route';
import { McpExceptionFilter, McpOutageError } from 'src/mcp/mcp-exception.filter';
import { McpListCache } from 'src/mcp/mcp-list-cache';
import { McpServerFactory } from 'src/mcp/mcp-server.factory';
import type { PoolKey } from 'src/mcp/mcp-server.pool';
import { isObject } from 'src/mcp/json-rpc';
import { DirectCall, directCall, directResponseJson } from 'src/mcp/direct-tool-call';
import { RegisteredTool, ToolRegistry } from 'src/mcp/tool-registry.service';
import { ExchangeResult, HEADER_MISMATCH } from 'src/mcp/transport/modern-exchange.transport';

function rpcError(reply: FastifyReply, r: McpRejection): void {
  void reply
    .status(r.status)
    .header('content-type', 'application/json')
    .header('cache-control', 'no-store')
    .send({
      jsonrpc: '2.0',
      error: {
        code: r.code,
        message: r.message,
        ...(r.data === undefined ? {} : { data: r.data }),
      },
      id: r.id,
    });
}

/** MCP streamable-http › Sending Messages: a JSON body, and an `Accept` of JSON and event streams. */
function httpRefusal(headers: IncomingHttpHeaders): McpRejection | undefined {
  const refuse = (status: number, message: string): McpRejection => ({
    kind: 'reject',
    status,
    code: -32000,
    message,
    id: null,
  });
  if (!/^application\/json(\s*;|$)/i.test(headers['content-type'] ?? '')) {
    return refuse(415, 'Unsupported Media Type: Content-Type must be application/json');
  }
  const accept = headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return refuse(
      406,
      'Not Acceptable: Client must accept both application/json and text/event-stream',
    );
  }
  return undefined;
}

/** What one request's tool handlers get from the HTTP layer, and report back to it. */
const callOf = (req: AuthenticatedRequest): McpCallContext => ({
  principal: req.user as UserPrincipal,
  request: req,
  databaseUnavailable: false,
});

/** Why a write tool was refused, and how to get write access with this kind of credential. */
function readOnlyAdvice(principal: UserPrincipal): string {
  return principal.authMethod === 'oauth'
    ? 'this connection is read-only. Reconnect the app and allow it to make changes.'
    : 'this API key is read-only. Use a key created without --read-only.';
}

const NO_SUBSCRIPTIONS =
  'This server offers no subscriptions: its tools, resources and prompts do not change while it runs.';

/** Methods of either revision that this server does not offer, with what to do instead. */
function notOffered(method: string): string | undefined {
  if (method === 'subscriptions/listen') return NO_SUBSCRIPTIONS;
  if (method === 'resources/subscribe' || method === 'resources/unsubscribe')
    return NO_SUBSCRIPTIONS;
  if (method.startsWith('tasks/')) {
    return 'This server does not offer tasks: every tool answers within its own request.';
  }
  return undefined;
}

/**
 * Streamable HTTP, stateless, both protocol eras on one endpoint: 2025-11-25, 2025-06-18 and
 * 2025-03-26 through `initialize`, and 2026-07-28 (every request carries its `_meta` envelope). Every
 * POST is authenticated (global guard), answered by a pooled McpServer holding the tools the caller's
 * scopes allow, and answered with JSON.
 */
export const ORGANIZATION_KEY_AT_MCP =
  'Organization-level API keys cannot be used for MCP. Create a personal API key in Settings → API Keys ' +
  '(/settings/api-keys), with POST /api/v1/api-keys, or with `npm run admin -- key:create --org <slug> --email <you>`.';

/**
 * The request's IP and user agent go to the audit log explicitly (the key strategy's refusals, the
 * audited tool calls), so /mcp skips the ambient AsyncLocalStorage context (≈ 5 % of its CPU).
 */
const OWN_AUDIT_CONTEXT = { [EXPLICIT_AUDIT_CONTEXT]: true };

/** A person's API key or an OAuth access token for this resource; never a browser session. */
const MCP_CREDENTIAL = {
  userOnly: ORGANIZATION_KEY_AT_MCP,
  credentials: ['api_key', 'bearer'],
} as const;

@ApiExcludeController()
@UseFilters(McpExceptionFilter)
@Authenticated(MCP_CREDENTIAL)
@Controller('mcp')
export class McpHttpController {
  private readonly resource: URL;
  private readonly lists = new McpListCache();
  /**
   * Whether plain tool calls are answered directly (see {@link directCall}). Always on in service;
   * the e2e that proves both paths give the same answers turns it off to get the SDK's.
   */
  directToolCalls = true;

  constructor(
    private readonly servers: McpServerFactory,
    private readonly registry: ToolRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.resource = new URL(config.mcpResource);
  }

  @Post()
  @RouteConfig(OWN_AUDIT_CONTEXT)
  post(@Req() req: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> | void {
    const principal = req.user as UserPrincipal;
    const route = httpRefusal(req.headers) ?? routeMcpBody(req.body, req.headers);
    if (route.kind === 'reject') return rpcError(reply, route);
    if (route.messageKind !== 'request') {
      // Notifications and responses: nothing of ours waits for them (no sessions, no server requests).
      void reply.status(202).header('cache-control', 'no-store').send();
      return;
    }
    const request = route.message as JSONRPCRequest;
    const tool = this.calledTool(request);
    const refused = this.refusal(route, request, tool, principal, req.headers);
    if (refused) return rpcError(reply, refused);
    const direct = tool && this.directToolCalls ? directCall(route.kind, request) : undefined;
    if (tool && direct) return this.answerDirectly(req, reply, route.kind, request, tool, direct);
    return this.answer(req, reply, route, request, principal);
  }

  /**
   * What this server refuses before any server sees the request: methods it does not offer, unknown
   * tools (-32602, HTTP 200: more scope would not help), a write tool without write scope (the 403
   * step-up challenge, thrown), and 2026-07-28 `Mcp-Param-*` headers that do not match the arguments.
   */
  private refusal(
    route: LegacyRoute | ModernRoute,
    request: JSONRPCRequest,
    tool: RegisteredTool | null | undefined,
    principal: UserPrincipal,
    headers: IncomingHttpHeaders,
  ): McpRejection | undefined {
    const refuse = (status: number, code: number, message: string, data?: unknown) =>
      ({ kind: 'reject', status, code, message, id: request.id, data }) as const;
    const unsupported = notOffered(request.method);
    if (unsupported) {
      // MCP 2026-07-28 streamable-http: an unimplemented method is 404 with -32601.
      return refuse(route.kind === 'modern' ? 404 : 200, -32601, unsupported);
    }
    if (tool === null) {
      const name = String((request.params as { name: string }).name).slice(0, 100);
      return refuse(200, -32602, `Unknown tool: ${name}. Call tools/list for the available tools.`);
    }
    if (!tool) return undefined;
    if (!hasScope(principal.scopes, tool.definition.scope)) {
      // Step-up (MCP authorization › Scope Challenge Handling): before any tool code runs.
      throw new AuthError(
        'insufficient_scope',
        `${tool.definition.name} requires ${tool.definition.scope}: ${readOnlyAdvice(principal)}`,
        request.id,
      );
    }
    if (route.kind !== 'modern') return undefined;
    const mismatch = paramHeaderMismatch(
      paramHeadersOfTool(tool.definition),
      (request.params as { arguments?: unknown }).arguments,
      headers,
    );
    return mismatch && refuse(400, HEADER_MISMATCH, mismatch.message, mismatch.data);
  }

  /** The answer of a pooled server (or of the list cache), or 503 when the database could not be read. */
  private async answer(
    req: AuthenticatedRequest,
    reply: FastifyReply,
    route: LegacyRoute | ModernRoute,
    request: JSONRPCRequest,
    principal: UserPrincipal,
  ): Promise<void> {
    const poolKey = this.servers.poolKey(principal.scopes, route.kind);
    const listKey = this.lists.keyOf(poolKey, request);
    const known = listKey && this.lists.answer(listKey, request.id);
    if (known) {
      await reply.status(200).header('content-type', 'application/json').send(known);
      return;
    }
    const call = callOf(req);
    const { response, status } =
      route.kind === 'modern'
        ? await this.exchangeModern(poolKey, route, request, call)
        : {
            response: await this.exchangeLegacy(
              request.method === 'initialize' ? 'handshake' : poolKey,
              request,
              call,
            ),
            status: 200,
          };
    if (call.databaseUnavailable) throw new McpOutageError(request.id);
    if (listKey && status === 200) this.lists.remember(listKey, response);
    await reply.status(status).header('content-type', 'application/json').send(response);
  }

  /**
   * A plain `tools/call` of an allowed tool, answered without a pooled server: the same
   * {@link McpServerFactory.callTool} the servers' handler runs, in the envelope the SDK would send
   * (see {@link directCall}). The SDK's protocol layer costs more per call than the tool itself.
   */
  private answerDirectly(
    req: AuthenticatedRequest,
    reply: FastifyReply,
    era: 'legacy' | 'modern',
    request: JSONRPCRequest,
    tool: RegisteredTool,
    direct: DirectCall,
  ): Promise<void> | void {
    const call = callOf(req);
    const send = (result: CallToolResult): void => {
      if (call.databaseUnavailable) throw new McpOutageError(request.id);
      void reply
        .status(200)
        .header('content-type', 'application/json')
        .send(directResponseJson(era, request.id, result, this.servers.info));
    };
    const result = this.servers.callTool(tool, direct.args, call);
    return result instanceof Promise ? result.then(send) : send(result);
  }

  @Get()
  @RouteConfig(OWN_AUDIT_CONTEXT)
  get(@Res() reply: FastifyReply): void {
    this.methodNotAllowed(reply);
  }

  @Delete()
  @RouteConfig(OWN_AUDIT_CONTEXT)
  delete(@Res() reply: FastifyReply): void {
    this.methodNotAllowed(reply);
  }

  /** 2025 revisions: a pooled server connected to its own transport (`initialize` to a server of its own). */
  private exchangeLegacy(
    key: PoolKey,
    request: JSONRPCRequest,
    call: McpCallContext,
  ): Promise<JSONRPCResponse> {
    return this.servers.pool.lend(key, (entry) =>
      entry.transport!.request(request, { authInfo: authInfoFor(call, this.resource) }),
    );
  }

  /** 2026-07-28: a pooled server, connected to the exchange transport that bound its revision. */
  private exchangeModern(
    key: PoolKey,
    route: ModernRoute,
    request: JSONRPCRequest,
    call: McpCallContext,
  ): Promise<ExchangeResult> {
    return this.servers.pool.lend(key, (entry) =>
      entry.modern!.exchange(request, route.classification, authInfoFor(call, this.resource)),
    );
  }

  /**
   * The tool a `tools/call` names: the registered tool, null when there is no such tool (JSON-RPC
   * -32602, HTTP 200: more scope would not help), undefined for other methods.
   */
  private calledTool(request: JSONRPCRequest): RegisteredTool | null | undefined {
    if (request.method !== 'tools/call' || !isObject(request.params)) return undefined;
    const name = request.params.name;
    if (typeof name !== 'string') return undefined;
    return this.registry.get(name) ?? null;
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
