/**
 * Why a request was not let in. The exception filter renders these: on `/mcp` as the MCP challenge
 * (401 + `WWW-Authenticate: Bearer resource_metadata=…, scope=…`), elsewhere as a JSON error.
 */
export type AuthFailureKind =
  /** No credential at all: 401, challenge without `error`. */
  | 'missing'
  /** Malformed, unknown, expired or revoked credential: 401 `invalid_token`. */
  | 'invalid'
  /** Two credentials, or a credential in the wrong place: 400 `invalid_request`. */
  | 'bad_request'
  /** Authenticated, but not allowed here (organization key at /mcp, lost membership…): 403. */
  | 'forbidden'
  /** Authenticated, but the credential lacks a scope: 403 `insufficient_scope`. */
  | 'insufficient_scope';

export class AuthError extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
    /** For `insufficient_scope`: the JSON-RPC request id to echo. */
    readonly rpcId: string | number | null = null,
  ) {
    super(message);
    this.name = 'AuthError';
  }

  get status(): number {
    switch (this.kind) {
      case 'missing':
      case 'invalid':
        return 401;
      case 'bad_request':
        return 400;
      case 'forbidden':
      case 'insufficient_scope':
        return 403;
    }
  }
}

/** One text for malformed and unknown keys, so the answer reveals nothing about which it was. */
export const INVALID_API_KEY = 'The API key is invalid. Check that it was copied completely.';
