/**
 * The claims of our access tokens (RFC 9068 §2.2 plus `org` and `grant_id`), issued and verified in
 * src/oauth/tokens.
 */
export interface AccessTokenClaims {
  iss: string;
  /** The user id. */
  sub: string;
  aud: string | string[];
  /** The public client_id. */
  client_id: string;
  scope: string;
  /** The organization id. */
  org: string;
  grant_id: string;
  jti: string;
  iat: number;
  exp: number;
  nbf?: number;
}

/** Verifies signature and claims; throws AuthError('invalid', …) for any problem. */
export interface AccessTokenVerifier {
  verify(token: string): AccessTokenClaims | Promise<AccessTokenClaims>;
}

export const ACCESS_TOKEN_VERIFIER = Symbol('ACCESS_TOKEN_VERIFIER');
