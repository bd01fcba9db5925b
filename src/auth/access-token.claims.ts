/** Claims of our RFC 9068 access tokens (see src/oauth/tokens). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  scope: string;
  org: string;
  grant_id: string;
  jti: string;
  iat: number;
  exp: number;
}

/** Verifies signature and claims; throws AuthError('invalid', …) for any problem. */
export interface AccessTokenVerifier {
  verify(token: string): AccessTokenClaims | Promise<AccessTokenClaims>;
}

export const ACCESS_TOKEN_VERIFIER = Symbol('ACCESS_TOKEN_VERIFIER');
