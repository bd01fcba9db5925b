import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  McpServer,
  type CallToolResult,
  type ServerContext,
  type ServerOptions,
} from '@modelcontextprotocol/server';
import { hasScope, Scope } from 'src/auth/scopes';
import { DomainError, invalidArgument } from 'src/common/errors/domain-error';
import { requestContext } from 'src/audit/audit-context';
import { AuditService } from 'src/audit/audit.service';
import { AuditEventType } from 'src/audit/audit-event.types';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { MetricsService } from 'src/metrics/metrics.service';
import { FAVICON_SVG } from 'src/oauth/authorize/views/favicon';
import { registerCatalogPrompts } from 'src/mcp/catalog.prompts';
import { CatalogResources } from 'src/mcp/catalog.resources';
import { callContextOf, McpCallContext, noteFailure } from 'src/mcp/mcp-call-context';
import { McpServerPool, PoolKey } from 'src/mcp/mcp-server.pool';
import { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from 'src/mcp/mcp-route';
import { RegisteredTool, ToolRegistry } from 'src/mcp/tool-registry.service';
import { standardSchemaOf } from 'src/mcp/tool-json-schema';
import { toolCrash, toolFailure, toolSuccess } from 'src/mcp/tool-results';
import type { ToolResult } from 'src/mcp/tool.decorator';
import type { z } from 'zod';

/** Arguments the tool's input schema refuses, each problem with the argument it is about. */
function invalidArguments(tool: string, error: z.ZodError): DomainError {
  const issues = error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  const list = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return invalidArgument(`Invalid arguments for ${tool}: ${list}`, { issues });
}

export const SERVER_NAME = 'data-product-catalog';
export const SERVER_VERSION = '0.1.0';

/**
 * What clients show of this server (MCP `Implementation`): name, version, a title, the pages'
 * icon (as a data: URI, so no client fetches anything from us for it) and its web page, the
 * settings page that explains how to connect.
 */
export function serverInfo(publicUrl: string) {
  return {
    name: SERVER_NAME,
    version: SERVER_VERSION,
    title: 'Data Product Catalog',
    websiteUrl: `${publicUrl}/settings/mcp`,
    icons: [
      {
        src: `data:image/svg+xml;base64,${Buffer.from(FAVICON_SVG).toString('base64')}`,
        mimeType: 'image/svg+xml',
        sizes: ['any'],
      },
    ],
  };
}

export const SERVER_INSTRUCTIONS = [
  'Data product catalog of one organization (the one your credential belongs to).',
  'Typical flow: `search` for data products → `fetch` one to see its output ports, contracts and your access →',
  'if you have no active access, `request_access` with a purpose (it may be auto-approved) →',
  'once access is active, `execute_query` with a read-only SELECT and a purpose.',
  'Use `access_list` to follow requests and, if you own data products, approve or reject them.',
].join(' ');

/**
 * One configuration for every server and both protocol eras: nothing changes while the process runs
 * (no `listChanged`, so no subscriptions), and the 2026-07-28 list results say how long they stay true.
 */
export const SERVER_OPTIONS: ServerOptions = {
  capabilities: {
    tools: { listChanged: false },
    resources: { listChanged: false },
    prompts: { listChanged: false },
  },
  instructions: SERVER_INSTRUCTIONS,
  supportedProtocolVersions: [...LEGACY_PROTOCOL_VERSIONS, ...MODERN_PROTOCOL_VERSIONS],
  // MCP 2026-07-28 server/utilities/caching. What depends on the credential is private.
  cacheHints: {
    'server/discover': { ttlMs: 3_600_000, cacheScope: 'public' },
    'tools/list': { ttlMs: 300_000, cacheScope: 'private' },
    'prompts/list': { ttlMs: 3_600_000, cacheScope: 'public' },
    'resources/templates/list': { ttlMs: 3_600_000, cacheScope: 'public' },
    'resources/list': { ttlMs: 60_000, cacheScope: 'private' },
    'resources/read': { ttlMs: 60_000, cacheScope: 'private' },
  },
};

/**
 * Builds the McpServer instances the pool lends out: one per tool set (read tools, or all tools) and
 * era, each holding only the tools those scopes allow, plus the catalog's resources and prompts.
 * Domain errors become tool results with `isError: true`; a database outage marks the request for a
 * 503; anything else is a generic tool error with the cause logged.
 */
@Injectable()
export class McpServerFactory implements OnApplicationShutdown {
  private readonly logger = new Logger('McpTools');
  /** This server's `Implementation`, as every server of the pool and direct answers present it. */
  readonly info: ReturnType<typeof serverInfo>;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly resources: CatalogResources,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.info = serverInfo(config.publicUrl);
  }

  readonly pool = new McpServerPool((key) => this.create(key));

  /** Callers whose scopes allow the same tools share pooled servers. */
  poolKey(scopes: readonly string[], era: 'legacy' | 'modern'): PoolKey {
    return hasScope(scopes, Scope.Write) ? `rw:${era}` : `r:${era}`;
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.closeAll();
  }

  /** `handshake`: the server that answers `initialize` and nothing else (it keeps the client's details). */
  create(key: PoolKey | 'handshake'): McpServer {
    const server = new McpServer(this.info, SERVER_OPTIONS);
    if (key === 'handshake') return server;
    const scopes = key.startsWith('rw:') ? [Scope.All] : [Scope.Read];
    for (const tool of this.registry.allowed(scopes)) this.register(server, tool);
    this.resources.register(server);
    registerCatalogPrompts(server);
    return server;
  }

  private register(server: McpServer, tool: RegisteredTool): void {
    const d = tool.definition;
    server.registerTool(
      d.name,
      {
        title: d.title,
        description: d.description,
        inputSchema: standardSchemaOf(d.input, 'input'),
        outputSchema: standardSchemaOf(d.output, 'output'),
        annotations: {
          title: d.title,
          readOnlyHint: tool.readOnly,
          destructiveHint: d.annotations?.destructiveHint ?? false,
          idempotentHint: d.annotations?.idempotentHint ?? tool.readOnly,
          openWorldHint: false,
        },
      },
      (args: unknown, ctx: ServerContext) =>
        this.callTool(tool, args as Record<string, unknown> | undefined, callContextOf(ctx)),
    );
  }

  /**
   * One call of a tool, whoever dispatched it (a pooled server's `tools/call` handler, or the HTTP
   * layer's direct answer): the arguments parsed by the input schema, the tool run, its metrics and
   * audit recorded, and every outcome a `CallToolResult`; without a promise when the tool answers
   * without one.
   */
  callTool(
    tool: RegisteredTool,
    args: Record<string, unknown> | undefined,
    call: McpCallContext,
  ): CallToolResult | Promise<CallToolResult> {
    const d = tool.definition;
    const input = d.input.safeParse(args ?? {});
    if (!input.success) {
      this.metrics.toolCalled(d.name, 'error');
      return toolFailure(d, invalidArguments(d.name, input.error));
    }
    let ran: ToolResult | Promise<ToolResult>;
    try {
      ran = tool.run(call.principal, input.data);
    } catch (err) {
      return this.failed(tool, call, err);
    }
    return ran instanceof Promise
      ? ran.then(
          (result) => this.succeeded(tool, call, result),
          (err: unknown) => this.failed(tool, call, err),
        )
      : this.succeeded(tool, call, ran);
  }

  private succeeded(tool: RegisteredTool, call: McpCallContext, ran: ToolResult): CallToolResult {
    const d = tool.definition;
    let result: CallToolResult;
    try {
      result = toolSuccess(d, ran);
    } catch (err) {
      // A result its own output schema refuses: a defect of the tool, answered as a crash.
      return this.failed(tool, call, err);
    }
    this.metrics.toolCalled(d.name, 'ok');
    this.auditCall(call, d.name, tool.readOnly, 'ok');
    return result;
  }

  private failed(tool: RegisteredTool, call: McpCallContext, err: unknown): CallToolResult {
    const d = tool.definition;
    if (err instanceof DomainError) {
      this.metrics.toolCalled(d.name, 'error');
      this.auditCall(call, d.name, tool.readOnly, err.code);
      return toolFailure(d, err);
    }
    this.metrics.toolCalled(d.name, 'failed');
    // A database outage: the HTTP layer answers 503 + Retry-After instead of this result.
    if (!noteFailure(call, err)) {
      this.logger.error({
        msg: `tool ${d.name} failed`,
        err: (err as Error)?.message,
        stack: (err as Error)?.stack,
      });
    }
    return toolCrash(d);
  }

  /** Write tools and execute_query are audited; other reads are not. */
  private auditCall(call: McpCallContext, name: string, readOnly: boolean, outcome: string): void {
    if (readOnly && name !== 'execute_query') return;
    const principal = call.principal;
    this.audit.record({
      ...requestContext(call.request),
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
}
