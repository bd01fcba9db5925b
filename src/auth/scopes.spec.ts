import { ALL_SCOPES, expandScopes, hasScope, parseScopeString, Scope } from 'src/auth/scopes';

describe('scopes', () => {
  it('should let mcp imply write and read, and write imply read', () => {
    expect([...expandScopes([Scope.All])].sort()).toEqual(['mcp', 'mcp:read', 'mcp:write']);
    expect(hasScope([Scope.Write], Scope.Read)).toBe(true);
    expect(hasScope([Scope.All], Scope.Write)).toBe(true);
  });

  it('should not let read imply write', () => {
    expect(hasScope([Scope.Read], Scope.Write)).toBe(false);
    expect(hasScope([], Scope.Read)).toBe(false);
  });

  it('should ignore unknown scopes when expanding and report them when parsing', () => {
    expect(hasScope(['admin', 'offline_access'], Scope.Read)).toBe(false);
    expect(parseScopeString('mcp:read  offline_access mcp:read')).toEqual({
      scopes: [Scope.Read],
      unknown: ['offline_access'],
    });
  });

  it('should answer hasScope exactly as expandScopes does, for every combination of grants', () => {
    const candidates = [...ALL_SCOPES, 'offline_access', 'MCP', ''];
    for (let mask = 0; mask < 1 << candidates.length; mask++) {
      const granted = candidates.filter((_, i) => mask & (1 << i));
      for (const required of ALL_SCOPES) {
        expect(hasScope(granted, required)).toBe(expandScopes(granted).has(required));
      }
    }
  });
});
