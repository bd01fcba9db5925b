import { AuthError, AuthFailureKind } from 'src/auth/auth.errors';
import { mcpChallenge } from 'src/auth/challenge';
import { CHALLENGE_SCOPE, hasScope, parseScopeString, Scope } from 'src/auth/scopes';

const BASE = 'https://app.example.com';
const METADATA = `resource_metadata="${BASE}/.well-known/oauth-protected-resource/mcp"`;
const KINDS: AuthFailureKind[] = [
  'missing',
  'invalid',
  'insufficient_scope',
  'bad_request',
  'forbidden',
];

/** The `scope` attribute of a challenge, as a client reads it (RFC 6750 §3). */
const challengedScopes = (header: string): string[] =>
  (/(?:^|[ ,])scope="([^"]*)"/.exec(header)?.[1] ?? '').split(' ').filter(Boolean);

describe('mcpChallenge', () => {
  it('should answer a request without a credential with resource_metadata and scope, no error', () => {
    expect(mcpChallenge(new AuthError('missing', 'Authentication required'), BASE)).toBe(
      `Bearer ${METADATA}, scope="mcp:read mcp:write"`,
    );
  });

  it('should answer a bad credential with invalid_token and the same scope', () => {
    expect(mcpChallenge(new AuthError('invalid', 'The token has expired'), BASE)).toBe(
      `Bearer error="invalid_token", error_description="The token has expired", ${METADATA}, scope="mcp:read mcp:write"`,
    );
  });

  it('should answer a missing scope with insufficient_scope, the scope and resource_metadata (MCP 2026-07-28 › Runtime Insufficient Scope Errors)', () => {
    expect(
      mcpChallenge(
        new AuthError('insufficient_scope', 'datacontract_save requires mcp:write'),
        BASE,
      ),
    ).toBe(
      `Bearer error="insufficient_scope", scope="mcp:read mcp:write", ${METADATA}, error_description="datacontract_save requires mcp:write"`,
    );
  });

  it.each(['bad_request', 'forbidden'] as const)(
    'should send no challenge for %s, where more scope would not help',
    (kind) => {
      expect(mcpChallenge(new AuthError(kind, 'no'), BASE)).toBeNull();
    },
  );

  it.each(KINDS)('should never name offline_access in a %s challenge', (kind) => {
    const header = mcpChallenge(new AuthError(kind, 'offline_access x'), BASE) ?? '';
    expect(challengedScopes(header)).not.toContain('offline_access');
  });

  it('should name, in one challenge, scopes that imply every scope a tool can require', () => {
    for (const kind of ['missing', 'invalid', 'insufficient_scope'] as const) {
      const scopes = challengedScopes(mcpChallenge(new AuthError(kind, 'x'), BASE)!);
      expect(parseScopeString(scopes.join(' ')).unknown).toEqual([]);
      for (const required of [Scope.Read, Scope.Write]) {
        expect(hasScope(scopes, required)).toBe(true);
      }
    }
    // The minimum that suffices (least privilege), not the umbrella scope.
    expect(CHALLENGE_SCOPE.split(' ')).not.toContain(Scope.All);
  });

  it('should keep the description a valid quoted-string', () => {
    const header = mcpChallenge(new AuthError('invalid', 'bad "token" \\ é → x'), BASE)!;
    expect(header).toContain(`error_description="bad 'token' '   > x"`);
  });
});
