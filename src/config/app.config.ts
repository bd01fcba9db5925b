import { resolve } from 'node:path';
import { EnvironmentVariables, validateEnv } from 'src/config/env.validation';
import { loadQueryConnections, QueryConnection } from 'src/config/query-connections.config';

export type DatabaseConfig =
  { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string | undefined };

/** The resolved configuration every module reads. Built once from the validated environment. */
export interface AppConfig {
  port: number;
  /** Public origin (plus optional base path), no trailing slash. OAuth issuer. */
  publicUrl: string;
  /** The MCP resource identifier: `${publicUrl}/mcp`. */
  mcpResource: string;
  database: DatabaseConfig;
  seedDemo: boolean;
  demoPassword: string | undefined;
  logLevel: string;
  /** Origins allowed to call /mcp from a browser: this server's own origin plus ALLOWED_ORIGINS. */
  allowedOrigins: string[];
  /**
   * How long a verified credential's state (key, user, membership, grant) may be reused before it is
   * read again. Bounded by 5 s: revocations take effect within that on every instance.
   */
  authCacheTtlMs: number;
  oauth: OAuthSettings;
  /** Fastify `trustProxy`: which hops may set X-Forwarded-For (client IP for rate limits and audit). */
  trustProxy: boolean | number | string[];
  /** `/metrics` on the main port needs `Authorization: Bearer <token>`; unset → not served there. */
  metricsToken: string | undefined;
  /** Serve Prometheus metrics on this separate port (bind it to a private interface). */
  metricsPort: number | undefined;
  /** Shared rate-limit counters across instances when set; in-process counters otherwise. */
  redisUrl: string | undefined;
  /** Overrides of the rate-limit policies, e.g. `{ register: { limit: 30, windowMs: 60000 } }`. */
  rateLimits: Record<string, { limit: number; windowMs: number }>;
  /**
   * Real databases behind output ports, from QUERY_CONNECTIONS_FILE (validated at start-up; `${VAR}`
   * references resolved from the environment). Ports without a connection use the sandbox.
   */
  queryConnections: QueryConnection[];
}

export interface OAuthSettings {
  /** The issuer: exactly `publicUrl`. */
  issuer: string;
  accessTokenTtlSeconds: number;
  /** Verification leeway for exp/nbf/iat. */
  clockLeewaySeconds: number;
  codeTtlSeconds: number;
  interactionTtlSeconds: number;
  refreshGraceSeconds: number;
  refreshIdleSeconds: number;
  refreshAbsoluteSeconds: number;
  /** PEM private key from OAUTH_SIGNING_KEY; else one is generated once and stored in the database. */
  signingKeyPem: string | undefined;
  /** Encrypts stored private keys (AES-256-GCM) when set. */
  signingKeySecret: string | undefined;
  /** Private-use redirect URI schemes allowed besides https and loopback http. */
  redirectSchemes: string[];
  /** Session cookies get `Secure` and the `__Host-` prefix when PUBLIC_URL is https. */
  secureCookies: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
export const IN_MEMORY = 'memory://';

export function buildAppConfig(env: EnvironmentVariables): AppConfig {
  const port = env.PORT ?? 3000;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const database: DatabaseConfig = env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL }
    : {
        kind: 'embedded',
        // `memory://` keeps the embedded database in memory (tests); anything else is a folder.
        dataDir: env.DATA_DIR === IN_MEMORY ? undefined : resolve(env.DATA_DIR ?? './data'),
      };
  return {
    port,
    publicUrl,
    mcpResource: `${publicUrl}/mcp`,
    database,
    seedDemo: env.SEED_DEMO ?? database.kind === 'embedded',
    demoPassword: env.DEMO_PASSWORD,
    logLevel: env.LOG_LEVEL ?? 'info',
    allowedOrigins: [
      new URL(publicUrl).origin,
      ...(env.ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
        .map((o) => new URL(o).origin),
    ],
    authCacheTtlMs: env.AUTH_CACHE_TTL_MS ?? 4000,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    redisUrl: env.REDIS_URL,
    metricsToken: env.METRICS_TOKEN,
    metricsPort: env.METRICS_PORT,
    rateLimits: parseRateLimits(env.RATE_LIMITS),
    queryConnections: env.QUERY_CONNECTIONS_FILE
      ? loadQueryConnections(
          resolve(env.QUERY_CONNECTIONS_FILE),
          env as unknown as Record<string, unknown>,
          env.DATABASE_URL,
        )
      : [],
    oauth: {
      issuer: publicUrl,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 900,
      clockLeewaySeconds: 30,
      codeTtlSeconds: 60,
      interactionTtlSeconds: 600,
      refreshGraceSeconds: env.REFRESH_TOKEN_GRACE_SECONDS ?? 60,
      refreshIdleSeconds: (env.REFRESH_TOKEN_IDLE_DAYS ?? 30) * 86400,
      refreshAbsoluteSeconds: (env.REFRESH_TOKEN_ABSOLUTE_DAYS ?? 365) * 86400,
      signingKeyPem: env.OAUTH_SIGNING_KEY?.replace(/\\n/g, '\n'),
      signingKeySecret: env.SIGNING_KEY_SECRET,
      redirectSchemes: (env.REDIRECT_URI_SCHEMES ?? 'cursor,vscode').split(',').filter(Boolean),
      secureCookies: publicUrl.startsWith('https://'),
    },
  };
}

function parseRateLimits(
  value: string | undefined,
): Record<string, { limit: number; windowMs: number }> {
  const out: Record<string, { limit: number; windowMs: number }> = {};
  for (const entry of (value ?? '').split(',').filter(Boolean)) {
    const m = /^([a-z_]+)=(\d+)\/(\d+)([smh])$/.exec(entry);
    if (!m) continue;
    const unit = { s: 1000, m: 60_000, h: 3_600_000 }[m[4] as 's' | 'm' | 'h'];
    out[m[1]] = { limit: Number(m[2]), windowMs: Number(m[3]) * unit };
  }
  return out;
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
}

/** Reads and validates `process.env` (or the given record). Throws ConfigValidationError. */
export function loadAppConfig(source: Record<string, unknown> = process.env): AppConfig {
  return buildAppConfig(validateEnv(source));
}

/** A printable description of the database, without credentials. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.kind === 'embedded') return `embedded PGlite (${db.dataDir ?? 'in memory'})`;
  try {
    const u = new URL(db.url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
