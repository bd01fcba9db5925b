import type { QueryConnection } from 'src/config/query-connections.config';
import { type QueryPort, serverName } from 'src/catalog/query/query-platform';

const POSTGRES_TYPES = new Set(['postgres', 'postgresql']);

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/** Whether the port's data lives in PostgreSQL (its type, or its server block's type). */
export function isPostgresPort(port: Pick<QueryPort, 'type' | 'server'>): boolean {
  const serverType = text(port.server?.type);
  return (
    POSTGRES_TYPES.has(port.type.toLowerCase()) ||
    (serverType !== undefined && POSTGRES_TYPES.has(serverType.toLowerCase()))
  );
}

/**
 * The first connection (in file order) for the port's server: by the server's name, or by host and
 * database (and port, when the entry gives one; PostgreSQL's default is 5432). A connection limited
 * to some organizations serves only their ports.
 */
export function findConnection(
  port: Pick<QueryPort, 'server'>,
  connections: readonly QueryConnection[],
  organizationSlug: string | undefined,
): QueryConnection | undefined {
  const name = serverName(port);
  const host = text(port.server?.host)?.toLowerCase();
  const database = text(port.server?.database);
  const portNumber = Number(port.server?.port ?? 5432);
  return connections.find((c) => {
    if (c.organizations && !(organizationSlug && c.organizations.includes(organizationSlug))) {
      return false;
    }
    if (c.server !== undefined) return c.server === name;
    return (
      c.host === host && c.database === database && (c.port === undefined || c.port === portNumber)
    );
  });
}

/** The schema queries run in: the server block's `schema`, else PostgreSQL's `public`. */
export function portSchema(port: Pick<QueryPort, 'server'>): string {
  return text(port.server?.schema) ?? 'public';
}
