/** OAuth/MCP scopes. `mcp` ⊇ `mcp:write` ⊇ `mcp:read`. */
export enum Scope {
  Read = 'mcp:read',
  Write = 'mcp:write',
  All = 'mcp',
}

export const ALL_SCOPES: readonly Scope[] = [Scope.Read, Scope.Write, Scope.All];

const IMPLIED: Record<Scope, readonly Scope[]> = {
  [Scope.All]: [Scope.All, Scope.Write, Scope.Read],
  [Scope.Write]: [Scope.Write, Scope.Read],
  [Scope.Read]: [Scope.Read],
};

/** The scopes normal use needs; named in every 401 and 403 challenge. */
export const CHALLENGE_SCOPE = `${Scope.Read} ${Scope.Write}`;

export const isScope = (s: string): s is Scope => (ALL_SCOPES as readonly string[]).includes(s);

/** Every scope the granted ones imply (unknown strings are ignored). */
export function expandScopes(granted: Iterable<string>): Set<Scope> {
  const out = new Set<Scope>();
  for (const s of granted) if (isScope(s)) for (const i of IMPLIED[s]) out.add(i);
  return out;
}

/** Whether the granted scopes imply `required` (the same answer as `expandScopes`, without a Set). */
export function hasScope(granted: Iterable<string>, required: Scope): boolean {
  for (const s of granted) if (isScope(s) && IMPLIED[s].includes(required)) return true;
  return false;
}

/** Parses a space-separated scope string; returns unknown entries separately. */
export function parseScopeString(value: string): { scopes: Scope[]; unknown: string[] } {
  const scopes: Scope[] = [];
  const unknown: string[] = [];
  for (const s of value.split(' ').filter(Boolean)) {
    if (isScope(s)) {
      if (!scopes.includes(s)) scopes.push(s);
    } else unknown.push(s);
  }
  return { scopes, unknown };
}
