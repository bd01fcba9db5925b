import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';

export type AuthMethodLabel = 'api_key' | 'oauth' | 'none';
const AUTH_METHOD_LABELS: readonly AuthMethodLabel[] = ['api_key', 'oauth', 'none'];

interface PoolLike {
  totalCount?: number;
  idleCount?: number;
  waitingCount?: number;
}

/**
 * Prometheus metrics: HTTP requests by route and status, authentication outcomes, tool calls,
 * token issuance and refresh-token reuse, database pool state. One registry per application.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /**
   * Successful authentications since the last scrape, by method: a plain increment on the per-request
   * path, added to auth_outcomes_total when the registry is read.
   */
  private readonly authOk: Record<AuthMethodLabel, number> = { api_key: 0, oauth: 0, none: 0 };

  readonly authOutcomes: Counter<'method' | 'outcome'> = new Counter({
    name: 'auth_outcomes_total',
    help: 'Authentication outcomes by method (api_key, oauth, none) and result',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
    collect: () => this.flushAuthOk(),
  });

  /** Counts one successful authentication (see authOk). */
  authSucceeded(method: AuthMethodLabel): void {
    this.authOk[method]++;
  }

  private flushAuthOk(): void {
    for (const method of AUTH_METHOD_LABELS) {
      const n = this.authOk[method];
      if (n > 0) {
        this.authOk[method] = 0;
        this.authOutcomes.inc({ method, outcome: 'ok' }, n);
      }
    }
  }

  /** Tool calls since the last scrape, by `tool outcome`: plain increments, like authOk. */
  private readonly toolCallCounts = new Map<string, number>();

  readonly toolCalls: Counter<'tool' | 'outcome'> = new Counter({
    name: 'mcp_tool_calls_total',
    help: 'MCP tool calls by tool and outcome (ok, error, failed)',
    labelNames: ['tool', 'outcome'] as const,
    registers: [this.registry],
    collect: () => this.flushToolCalls(),
  });

  /** Counts one tool call (see toolCallCounts). */
  toolCalled(tool: string, outcome: 'ok' | 'error' | 'failed'): void {
    const key = `${tool} ${outcome}`;
    this.toolCallCounts.set(key, (this.toolCallCounts.get(key) ?? 0) + 1);
  }

  private flushToolCalls(): void {
    for (const [key, n] of this.toolCallCounts) {
      const [tool, outcome] = key.split(' ');
      this.toolCalls.inc({ tool, outcome }, n);
    }
    this.toolCallCounts.clear();
  }

  readonly tokensIssued = new Counter({
    name: 'oauth_tokens_issued_total',
    help: 'Access/refresh token pairs issued, by grant type',
    labelNames: ['grant_type'] as const,
    registers: [this.registry],
  });

  readonly refreshReuse = new Counter({
    name: 'oauth_refresh_token_reuse_total',
    help: 'Refresh-token reuse detected (the grant was revoked)',
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    const pool = (): PoolLike | undefined =>
      (dataSource.driver as unknown as { master?: PoolLike }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting clients)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p?.totalCount ?? 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });
  }
}
