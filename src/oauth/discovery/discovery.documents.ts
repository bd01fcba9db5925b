import { NotFoundException } from '@nestjs/common';
import { ALL_SCOPES } from 'src/auth/scopes';
import type { AppConfig } from 'src/config/app.config';
import { pathOf } from 'src/oauth/discovery/public-cors';
import { TOKEN_ENDPOINT_AUTH_METHODS } from 'src/oauth/entities';

/** RFC 9728 §2 protected-resource metadata. Never lists `offline_access` (MCP 2026-07-28). */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name: string;
}

/**
 * RFC 8414 §2 authorization-server metadata: only what is implemented. `offline_access`
 * is not listed (MCP 2026-07-28 authorization › Refresh Tokens: refresh tokens are not a resource
 * requirement; a client adds it only when listed here): it stays accepted and ignored wherever a
 * scope is taken, and refresh tokens are issued without it.
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
  revocation_endpoint: string;
  jwks_uri: string;
  scopes_supported: string[];
  response_types_supported: string[];
  response_modes_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  revocation_endpoint_auth_methods_supported: string[];
  code_challenge_methods_supported: string[];
  authorization_response_iss_parameter_supported: boolean;
  client_id_metadata_document_supported: boolean;
}

export const PROTECTED_RESOURCE_PATHS = [
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-protected-resource',
] as const;
export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';

/** Discovery documents may be cached by clients and proxies; they only change with configuration. */
export const DISCOVERY_CACHE_CONTROL = 'public, max-age=300';

/** Both documents name the same issuer string, byte for byte: `config.oauth.issuer`. */
export function buildProtectedResourceMetadata(config: AppConfig): ProtectedResourceMetadata {
  return {
    resource: config.mcpResource,
    authorization_servers: [config.oauth.issuer],
    scopes_supported: [...ALL_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Data Product Catalog',
  };
}

export function buildAuthorizationServerMetadata(config: AppConfig): AuthorizationServerMetadata {
  const base = config.publicUrl;
  const authMethods = [...TOKEN_ENDPOINT_AUTH_METHODS];
  return {
    issuer: config.oauth.issuer,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    registration_endpoint: `${base}/register`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: [...ALL_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: [...authMethods],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

/**
 * The well-known URLs clients construct when PUBLIC_URL has a path (`https://host/catalog`): the
 * suffix goes between the host and that path (RFC 8414 §3.1 for the issuer, RFC 9728 §3.1 for the
 * resource; MCP 2026-07-28 › Authorization Server Metadata Discovery tries this one first). A proxy
 * that strips the base path must forward these two paths to the app unchanged. Null at the root,
 * where they are the usual paths.
 */
export function pathInsertedDiscoveryPaths(
  config: AppConfig,
): { authorizationServer: string; protectedResource: string } | null {
  const path = new URL(config.oauth.issuer).pathname.replace(/\/+$/, '');
  if (path === '') return null;
  return {
    authorizationServer: `${AUTHORIZATION_SERVER_METADATA_PATH}${path}`,
    protectedResource: `${PROTECTED_RESOURCE_PATHS[1]}${new URL(config.mcpResource).pathname}`,
  };
}

/** `doc` when the request path (query aside) is exactly `path`; otherwise 404. */
export function servedOnlyAt<T>(requestUrl: string, path: string | undefined, doc: T): T {
  if (pathOf(requestUrl) !== path) throw new NotFoundException();
  return doc;
}

/** Built once from configuration and served from memory: discovery keeps answering without a database. */
export class DiscoveryDocuments {
  readonly protectedResource: Readonly<ProtectedResourceMetadata>;
  readonly authorizationServer: Readonly<AuthorizationServerMetadata>;
  /** See {@link pathInsertedDiscoveryPaths}. */
  readonly pathInserted: Readonly<{
    authorizationServer: string;
    protectedResource: string;
  }> | null;

  constructor(config: AppConfig) {
    this.protectedResource = Object.freeze(buildProtectedResourceMetadata(config));
    this.authorizationServer = Object.freeze(buildAuthorizationServerMetadata(config));
    const inserted = pathInsertedDiscoveryPaths(config);
    this.pathInserted = inserted && Object.freeze(inserted);
  }
}
