import { OAuthError } from 'src/oauth/oauth.errors';
import { TOKEN_ENDPOINT_AUTH_METHODS, TokenEndpointAuthMethod } from 'src/oauth/entities';
import {
  checkClientName,
  checkGrantTypes,
  checkRedirectUris,
  checkResponseTypes,
  checkScope,
  invalidMetadata,
  isPlainObject,
  quote,
} from 'src/oauth/clients/client-metadata.rules';

export const DEFAULT_CLIENT_NAME = 'Unnamed client';

/** What a registration request asks for, after validation and defaults. */
export interface RegistrationRequest {
  clientName: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: string[];
  responseTypes: string[];
  scope: string | null;
}

const isAuthMethod = (v: unknown): v is TokenEndpointAuthMethod =>
  typeof v === 'string' && (TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(v);

/** RFC 7591 §2: omitted means client_secret_basic. */
function checkAuthMethod(value: unknown): TokenEndpointAuthMethod {
  if (value === undefined) return 'client_secret_basic';
  if (!isAuthMethod(value))
    throw invalidMetadata(
      `token_endpoint_auth_method ${quote(value)} is not supported (supported: ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')})`,
    );
  return value;
}

/**
 * Validates an RFC 7591 registration body (§2 metadata, §3.2.2 errors). Only the fields below are
 * read: client-supplied `client_id`, `client_secret`, issue times and every other metadata field
 * (`application_type`, `logo_uri`, `jwks_uri`, …) are ignored, and URLs among them are never fetched.
 * Throws OAuthError `invalid_request` (not a JSON object), `invalid_redirect_uri` or
 * `invalid_client_metadata`.
 */
export function validateRegistration(
  body: unknown,
  privateSchemes: readonly string[],
): RegistrationRequest {
  if (!isPlainObject(body))
    throw new OAuthError('invalid_request', 'The request body must be a JSON object');
  const redirectUris = checkRedirectUris(body.redirect_uris, privateSchemes);
  return {
    clientName: checkClientName(body.client_name, DEFAULT_CLIENT_NAME),
    redirectUris,
    tokenEndpointAuthMethod: checkAuthMethod(body.token_endpoint_auth_method),
    grantTypes: checkGrantTypes(body.grant_types),
    responseTypes: checkResponseTypes(body.response_types),
    scope: checkScope(body.scope),
  };
}
