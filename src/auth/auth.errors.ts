import { DomainError, ErrorCode } from 'src/common/errors/domain-error';

/**
 * Why a request was not let in. A domain error like any other (code → status); the MCP endpoint's
 * filter renders it as the MCP challenge (401 + `WWW-Authenticate: Bearer resource_metadata=…,
 * scope=…`), the settings pages as a redirect to sign-in or an expired-form page, the rest as JSON.
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

const CODES: Record<AuthFailureKind, ErrorCode> = {
  missing: ErrorCode.Unauthenticated,
  invalid: ErrorCode.Unauthenticated,
  bad_request: ErrorCode.InvalidArgument,
  forbidden: ErrorCode.Forbidden,
  insufficient_scope: ErrorCode.Forbidden,
};

/** The `error` field of a JSON answer: the OAuth vocabulary (RFC 6750 §3.1) where there is one. */
const LABELS: Record<AuthFailureKind, string> = {
  missing: 'unauthorized',
  invalid: 'invalid_token',
  bad_request: 'invalid_request',
  forbidden: 'forbidden',
  insufficient_scope: 'insufficient_scope',
};

export class AuthError extends DomainError {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
    /** For `insufficient_scope`: the JSON-RPC request id to echo. */
    readonly rpcId: string | number | null = null,
  ) {
    super(CODES[kind], message);
    this.name = 'AuthError';
  }

  override get label(): string {
    return LABELS[this.kind];
  }
}

/** One text for malformed and unknown keys, so the answer reveals nothing about which it was. */
export const INVALID_API_KEY = 'The API key is invalid. Check that it was copied completely.';
