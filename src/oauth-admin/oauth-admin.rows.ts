import type { ConnectedClientDto, GrantDto } from 'src/oauth-admin/dto/oauth-admin.dto';

type Timestamp = Date | string;
const iso = (t: Timestamp): string => new Date(t).toISOString();
const isoOrNull = (t: Timestamp | null): string | null => (t === null ? null : iso(t));

export interface ClientRow {
  id: string;
  client_id: string;
  client_name: string;
  kind: 'dynamic' | 'metadata_document';
  redirect_uris: unknown;
  active_grants: number;
  users: number;
  connected_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface GrantRow {
  id: string;
  user_id: string;
  user_email: string;
  organization_id: string;
  organization_slug: string;
  organization_name: string;
  scope: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  client_id: string;
  client_name: string;
  redirect_uris: unknown;
}

/** A grant with its client, organization and user; callers add WHERE and ORDER BY. */
export const GRANT_SELECT = `SELECT g.id, g.user_id, u.email AS user_email, g.organization_id,
         o.slug AS organization_slug, o.name AS organization_name, g.scope, g.created_at,
         g.last_used_at, g.revoked_at, c.client_id, c.client_name, c.redirect_uris
    FROM oauth_grants g
    JOIN oauth_clients c ON c.id = g.client_id
    JOIN organizations o ON o.id = g.organization_id
    JOIN users u ON u.id = g.user_id`;

/**
 * Where a client sends people back: the host (and port) of each redirect URI, or the scheme for
 * private-use schemes without a host. Enough to recognise an app; the full URIs stay private.
 */
export function redirectHosts(uris: unknown): string[] {
  const hosts = new Set<string>();
  for (const u of Array.isArray(uris) ? uris : []) {
    try {
      const url = new URL(String(u));
      hosts.add(url.host || url.protocol);
    } catch {
      /* a stored URI that no longer parses is left out */
    }
  }
  return [...hosts];
}

export const toClientDto = (r: ClientRow): ConnectedClientDto => ({
  id: r.id,
  clientId: r.client_id,
  clientName: r.client_name,
  kind: r.kind,
  redirectHosts: redirectHosts(r.redirect_uris),
  activeGrants: Number(r.active_grants),
  users: Number(r.users),
  connectedAt: iso(r.connected_at),
  lastUsedAt: isoOrNull(r.last_used_at),
});

export const toGrantDto = (r: GrantRow): GrantDto => ({
  id: r.id,
  clientId: r.client_id,
  clientName: r.client_name,
  redirectHosts: redirectHosts(r.redirect_uris),
  scope: r.scope,
  organization: { id: r.organization_id, slug: r.organization_slug, name: r.organization_name },
  userId: r.user_id,
  userEmail: r.user_email,
  createdAt: iso(r.created_at),
  lastUsedAt: isoOrNull(r.last_used_at),
  revokedAt: isoOrNull(r.revoked_at),
});
