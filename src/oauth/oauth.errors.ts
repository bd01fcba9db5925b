/** RFC 6749 / 7591 / 8707 error codes this server emits. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'access_denied'
  | 'temporarily_unavailable'
  | 'server_error';

/**
 * An error answered as `{ error, error_description }` with `Cache-Control: no-store` by
 * OAuthExceptionFilter (token, revoke and register endpoints).
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = defaultStatus(error),
    /** For invalid_client after HTTP Basic: answer with `WWW-Authenticate: Basic`. */
    readonly basicChallenge = false,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

function defaultStatus(error: OAuthErrorCode): number {
  switch (error) {
    case 'invalid_client':
      return 401;
    case 'temporarily_unavailable':
      return 503;
    case 'server_error':
      return 500;
    case 'invalid_request':
    case 'invalid_grant':
    case 'unauthorized_client':
    case 'unsupported_grant_type':
    case 'invalid_scope':
    case 'invalid_target':
    case 'invalid_redirect_uri':
    case 'invalid_client_metadata':
    case 'access_denied':
      return 400;
  }
}
