import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigValidationError } from 'src/config/env.validation';

/**
 * One connection of QUERY_CONNECTIONS_FILE: which output ports' server it serves (by the server's
 * name, or by host + database and optionally port) and the URL of a read-only role. Credentials live
 * only here (and in the environment it references), never in the catalog.
 */
export interface QueryConnection {
  /** How messages name the entry: `server warehouse` or `orders-db.acme.example/orders`. */
  label: string;
  server?: string;
  host?: string;
  database?: string;
  port?: number;
  /** Organization slugs whose ports may use the connection; undefined means every organization. */
  organizations?: string[];
  /** The connection URL with `${VAR}` references resolved. A secret: never log or print it. */
  url: string;
  /** Pool size cap for this connection. */
  maxConnections: number;
  /** How long opening a connection may take. */
  connectTimeoutMs: number;
}

export const DEFAULT_MAX_CONNECTIONS = 2;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

const KEYS = new Set([
  'server',
  'host',
  'database',
  'port',
  'organizations',
  'url',
  'maxConnections',
  'connectTimeoutMs',
]);

type Env = Readonly<Record<string, unknown>>;

/**
 * Reads and validates QUERY_CONNECTIONS_FILE (YAML or JSON). Throws one ConfigValidationError that
 * names the file and every bad entry; URLs are never part of a message.
 */
export function loadQueryConnections(
  file: string,
  env: Env,
  ownDatabaseUrl?: string,
): QueryConnection[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigValidationError(
      `Invalid configuration: QUERY_CONNECTIONS_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseQueryConnections(text, file, env, ownDatabaseUrl);
}

export function parseQueryConnections(
  text: string,
  file: string,
  env: Env,
  ownDatabaseUrl?: string,
): QueryConnection[] {
  const fail = (problems: string[]): never => {
    throw new ConfigValidationError(
      `Invalid configuration: QUERY_CONNECTIONS_FILE ${file}: ${problems.join('; ')}`,
    );
  };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return fail([`not valid YAML or JSON (${(err as Error).message.split('\n')[0]})`]);
  }
  const list = isRecord(doc) ? doc.connections : undefined;
  if (!Array.isArray(list)) return fail(['expected an object with a "connections" list']);
  const problems: string[] = [];
  const connections: QueryConnection[] = [];
  const seen = new Map<string, string>();
  list.forEach((entry, i) => {
    const found: string[] = [];
    const connection = readEntry(entry, env, ownDatabaseUrl, found);
    const name = `connections[${i}]${connection ? ` (${connection.label})` : ''}`;
    if (connection) {
      const key = matchKey(connection);
      const other = seen.get(key);
      if (other) found.push(`serves the same server as ${other}, which comes first`);
      else seen.set(key, `connections[${i}]`);
    }
    problems.push(...found.map((p) => `${name}: ${p}`));
    if (connection && found.length === 0) connections.push(connection);
  });
  if (problems.length) fail(problems);
  return connections;
}

function readEntry(
  entry: unknown,
  env: Env,
  ownDatabaseUrl: string | undefined,
  problems: string[],
): QueryConnection | null {
  if (!isRecord(entry)) {
    problems.push('must be an object with server (or host and database) and url');
    return null;
  }
  const unknown = Object.keys(entry).filter((k) => !KEYS.has(k));
  if (unknown.length) {
    problems.push(`unknown field(s) ${unknown.join(', ')} (allowed: ${[...KEYS].join(', ')})`);
  }
  const server = text(entry.server, 'server', problems);
  const host = text(entry.host, 'host', problems)?.toLowerCase();
  const database = text(entry.database, 'database', problems);
  const port = integer(entry.port, 'port', 1, 65535, problems);
  if (server !== undefined && (host !== undefined || database !== undefined)) {
    problems.push('give either server or host and database, not both');
  } else if (server === undefined && (host === undefined || database === undefined)) {
    problems.push('must name a server, or a host and a database');
  }
  const label = server !== undefined ? `server ${server}` : `${host ?? '?'}/${database ?? '?'}`;
  const organizations = slugs(entry.organizations, problems);
  const url = resolveUrl(entry.url, env, problems);
  if (url && ownDatabaseUrl && sameDatabase(url, ownDatabaseUrl)) {
    problems.push(
      "url points to the application's own database (DATABASE_URL): connect to the data warehouse with a read-only role instead",
    );
  }
  return {
    label,
    ...(server !== undefined ? { server } : { host, database, ...(port ? { port } : {}) }),
    ...(organizations ? { organizations } : {}),
    url: url ?? '',
    maxConnections:
      integer(entry.maxConnections, 'maxConnections', 1, 20, problems) ?? DEFAULT_MAX_CONNECTIONS,
    connectTimeoutMs:
      integer(entry.connectTimeoutMs, 'connectTimeoutMs', 100, 60_000, problems) ??
      DEFAULT_CONNECT_TIMEOUT_MS,
  };
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Resolves `${VAR}` references from the environment. A reference inside a URL is percent-encoded
 * (a password may hold `@`, `:` or `/`); a url that is one reference only is taken as it is.
 */
function resolveUrl(value: unknown, env: Env, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('url is required: a postgresql:// URL of a read-only role');
    return undefined;
  }
  const whole = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value.trim());
  const missing: string[] = [];
  const url = value.trim().replace(REFERENCE, (_, name: string) => {
    const raw = env[name];
    if (raw === undefined || raw === null) {
      missing.push(name);
      return '';
    }
    const v = typeof raw === 'string' ? raw : JSON.stringify(raw);
    return whole ? v : encodeURIComponent(v);
  });
  if (missing.length) {
    problems.push(
      `url references the environment variable(s) ${missing.join(', ')}, which are not set`,
    );
    return undefined;
  }
  if (!/^postgres(ql)?:\/\//.test(url) || !parseUrl(url)) {
    problems.push('url must be a postgres:// or postgresql:// connection URL');
    return undefined;
  }
  return url;
}

/** Host, port and database of a PostgreSQL URL; loopback names count as one host. */
export function databaseIdentity(url: string): string | null {
  const u = parseUrl(url);
  if (!u) return null;
  const rawHost = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const host = ['localhost', '127.0.0.1', '::1', ''].includes(rawHost) ? 'loopback' : rawHost;
  const database =
    decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username);
  return `${host}:${u.port || '5432'}/${database}`;
}

export function sameDatabase(a: string, b: string): boolean {
  const x = databaseIdentity(a);
  return x !== null && x === databaseIdentity(b);
}

function matchKey(c: QueryConnection): string {
  return c.server !== undefined ? `server ${c.server}` : `${c.host}:${c.port ?? '*'}/${c.database}`;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(value: unknown, field: string, problems: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  problems.push(`${field} must be a non-empty string`);
  return undefined;
}

function integer(
  value: unknown,
  field: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  problems.push(`${field} must be an integer from ${min} to ${max}`);
  return undefined;
}

function slugs(value: unknown, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.length && value.every((v) => typeof v === 'string')) {
    return value.map((v) => v.trim().toLowerCase());
  }
  problems.push('organizations must be a non-empty list of organization slugs');
  return undefined;
}
