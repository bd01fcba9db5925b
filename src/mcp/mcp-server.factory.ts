import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { UserPrincipal } from 'src/auth/principal';
import { isDatabaseUnavailable } from 'src/common/errors/database-errors';
import { DomainError, ErrorCode } from 'src/common/errors/domain-error';
import { RegisteredTool, ToolRegistry } from 'src/mcp/tool-registry.service';
import { McpServerPool } from 'src/mcp/mcp-server.pool';
import { hasScope, Scope } from 'src/auth/scopes';
import { MetricsService } from 'src/metrics/metrics.service';
import { AuditService } from 'src/audit/audit.service';
import { AuditEventType } from 'src/audit/audit-event.types';

type RequestHandler = (request: unknown, extra: unknown) => Promise<unknown>;

export const SERVER_INFO = { name: 'data-product-catalog', version: '0.1.0' };

export const SERVER_INSTRUCTIONS = [
  'Data product catalog of one organization (the one your credential belongs to).',
  'Typical flow: `search` for data products → `fetch` one to see its output ports, contracts and your access →',
  'if you have no active access, `request_access` with a purpose (it may be auto-approved) →',
  'once access is active, `execute_query` with a read-only SELECT and a purpose.',
  'Use `access_list` to follow requests and, if you own data products, approve or reject them.',
].join(' ');

/** The principal travels to tool callbacks inside the SDK's AuthInfo. */
export function principalFromAuthInfo(authInfo: AuthInfo | undefined): UserPrincipal {
  const principal = authInfo?.extra?.principal as UserPrincipal | undefined;
  if (!principal) throw new Error('MCP request without an authenticated principal');
  return principal;
}

/**
 * Builds the per-request McpServer holding only the tools the caller's scopes allow. Domain errors
 * become tool results with `isError: true`; a database outage is rethrown (the controller answers
 * 503 before anything is sent); anything else is a generic tool error with the cause logged.
 */
@Injectable()
export class McpServerFactory implements OnApplicationShutdown {
  private readonly logger = new Logger('McpTools');

  constructor(
    private readonly registry: ToolRegistry,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
  ) {}

  /** Connected servers for reuse, one per in-flight request, keyed by tool set. */
  readonly pool = new McpServerPool((key) =>
    this.create(key === 'rw' ? [Scope.All] : [Scope.Read]),
  );

  /** Callers whose scopes allow the same tools share pooled servers. */
  poolKey(scopes: readonly string[]): 'rw' | 'r' {
    return hasScope(scopes, Scope.Write) ? 'rw' : 'r';
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.closeAll();
  }

  create(scopes: readonly string[]): McpServer {
    const server = new McpServer(SERVER_INFO, {
      capabilities: { tools: { listChanged: false } },
      instructions: SERVER_INSTRUCTIONS,
    });
    for (const tool of this.registry.allowed(scopes)) this.register(server, tool);
    this.memoizeToolList(server);
    return server;
  }

  /**
   * The SDK converts every tool's zod schemas to JSON Schema on each tools/list. A server's tools never
   * change (one server per tool set), so the first answer is kept and reused.
   */
  private memoizeToolList(server: McpServer): void {
    const handlers = (server.server as unknown as { _requestHandlers: Map<string, RequestHandler> })
      ._requestHandlers;
    const original = handlers.get('tools/list');
    if (!original) return;
    let cached: Promise<unknown> | undefined;
    handlers.set('tools/list', (request, extra) => {
      cached ??= original(request, extra).catch((err: unknown) => {
        cached = undefined;
        throw err;
      });
      return cached;
    });
  }

  private register(server: McpServer, tool: RegisteredTool): void {
    const d = tool.definition;
    server.registerTool(
      d.name,
      {
        title: d.title,
        description: d.description,
        inputSchema: d.input,
        ...(d.output ? { outputSchema: d.output } : {}),
        annotations: {
          title: d.title,
          readOnlyHint: tool.readOnly,
          destructiveHint: d.annotations?.destructiveHint ?? false,
          idempotentHint: d.annotations?.idempotentHint ?? tool.readOnly,
          openWorldHint: false,
        },
      },
      async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        const principal = principalFromAuthInfo(extra.authInfo);
        try {
          const result = await tool.run(principal, args ?? {});
          this.metrics.toolCalls.inc({ tool: d.name, outcome: 'ok' });
          this.auditCall(principal, d.name, tool.readOnly, 'ok');
          return {
            content: [{ type: 'text', text: result.text }],
            structuredContent: result.structured,
          };
        } catch (err) {
          if (isDatabaseUnavailable(err) && extra.authInfo?.extra) {
            // The HTTP layer turns this into 503 + Retry-After instead of a tool result.
            extra.authInfo.extra.databaseUnavailable = true;
          }
          this.metrics.toolCalls.inc({
            tool: d.name,
            outcome: err instanceof DomainError ? 'error' : 'failed',
          });
          return this.toolError(d.name, err);
        }
      },
    );
  }

  /** Write tools and execute_query are audited (SECURITY.md §13); other reads are not. */
  private auditCall(
    principal: UserPrincipal,
    name: string,
    readOnly: boolean,
    outcome: string,
  ): void {
    if (readOnly && name !== 'execute_query') return;
    this.audit.record({
      type: AuditEventType.McpToolCalled,
      organizationId: principal.organizationId,
      actorUserId: principal.userId,
      actorApiKeyId: principal.apiKeyId ?? null,
      actorClientId: principal.clientId ?? null,
      targetType: 'tool',
      targetId: name,
      details: { tool: name, outcome },
    });
  }

  private toolError(name: string, err: unknown): CallToolResult {
    if (err instanceof DomainError) {
      const structured = {
        error: { code: err.code, message: err.message, ...(err.details ?? {}) },
      };
      return {
        isError: true,
        content: [{ type: 'text', text: `${err.code}: ${err.message}` }],
        structuredContent: structured,
      };
    }
    if (isDatabaseUnavailable(err)) throw err;
    this.logger.error({
      msg: `tool ${name} failed`,
      err: (err as Error)?.message,
      stack: (err as Error)?.stack,
    });
    return {
      isError: true,
      content: [
        {
          type: 'text',
          text: `internal_error: The ${name} tool failed unexpectedly. Try again later.`,
        },
      ],
    };
  }
}

export { ErrorCode };
