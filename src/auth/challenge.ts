import { AuthError } from 'src/auth/auth.errors';
import { CHALLENGE_SCOPE } from 'src/auth/scopes';

export const protectedResourceMetadataUrl = (publicUrl: string): string =>
  `${publicUrl}/.well-known/oauth-protected-resource/mcp`;

/** An RFC 7235 quoted-string value in printable ASCII (header values cannot carry more). */
const quoted = (v: string): string =>
  `"${v
    .replace(/→/g, '>')
    .replace(/[‘’]/g, "'")
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x7e]/g, ' ')}"`;

/**
 * The `WWW-Authenticate` value for /mcp (RFC 6750 §3, RFC 9728 §5.1): no `error` when no credential
 * was sent; `invalid_token` for a bad one; `insufficient_scope` for step-up. Null when no challenge
 * applies (400, or a 403 that more scope would not fix).
 */
export function mcpChallenge(err: AuthError, publicUrl: string): string | null {
  const metadata = `resource_metadata=${quoted(protectedResourceMetadataUrl(publicUrl))}`;
  const scope = `scope=${quoted(CHALLENGE_SCOPE)}`;
  switch (err.kind) {
    case 'missing':
      return `Bearer ${metadata}, ${scope}`;
    case 'invalid':
      return `Bearer error="invalid_token", error_description=${quoted(err.message)}, ${metadata}, ${scope}`;
    case 'insufficient_scope':
      return `Bearer error="insufficient_scope", ${scope}, ${metadata}, error_description=${quoted(err.message)}`;
    case 'bad_request':
    case 'forbidden':
      return null;
  }
}
