import type { UserPrincipal } from 'src/auth/principal';
import type { TeamsService } from 'src/catalog/teams.service';
import { WhoamiTool } from 'src/mcp/tools/whoami.tool';
import type { IdentityService } from 'src/users/identity.service';

describe('WhoamiTool', () => {
  const principal: UserPrincipal = {
    kind: 'user',
    userId: 'u1',
    organizationId: 'o1',
    organizationRole: 'member',
    scopes: ['mcp:read'],
    authMethod: 'api_key',
  };

  function make(myTeams: Array<{ id: string; name: string; role: string }>) {
    const identity = {
      describe: jest.fn(async () => ({
        user: { id: 'u1', email: 'carol@acme.example', name: 'Carol' },
        organization: { id: 'o1', name: 'Acme', slug: 'acme' },
      })),
    };
    const teams = { myTeams: jest.fn(async () => myTeams) };
    const sut = new WhoamiTool(
      identity as unknown as IdentityService,
      teams as unknown as TeamsService,
    );
    return { sut, identity, teams };
  }

  it('should compose the identity, the teams and the credential’s grant in the published order', async () => {
    const { sut, identity, teams } = make([{ id: 'marketing', name: 'Marketing', role: 'member' }]);

    const result = await sut.run(principal);

    expect(result.structured).toStrictEqual({
      user: { id: 'u1', email: 'carol@acme.example', name: 'Carol' },
      organization: { id: 'o1', name: 'Acme', slug: 'acme' },
      teams: [{ id: 'marketing', name: 'Marketing', role: 'member' }],
      organizationRole: 'member',
      scopes: ['mcp:read'],
      authMethod: 'api_key',
    });
    expect(Object.keys(result.structured)).toEqual([
      'user',
      'organization',
      'teams',
      'organizationRole',
      'scopes',
      'authMethod',
    ]);
    expect(result.text).toBe(
      'Carol <carol@acme.example>, member of Acme (acme); teams: Marketing (member); scopes: mcp:read; via api_key.',
    );
    expect(identity.describe).toHaveBeenCalledWith('u1', 'o1');
    expect(teams.myTeams).toHaveBeenCalledWith(principal);
  });

  it('should say "no teams" when the user is in none', async () => {
    const { sut } = make([]);

    const result = await sut.run({ ...principal, authMethod: 'oauth', scopes: ['mcp'] });

    expect(result.text).toBe(
      'Carol <carol@acme.example>, member of Acme (acme); teams: no teams; scopes: mcp; via oauth.',
    );
  });

  describe('when the identity and the teams are cached (returned without a promise)', () => {
    const user = { id: 'u1', email: 'carol@acme.example', name: 'Carol' };
    const organization = { id: 'o1', name: 'Acme', slug: 'acme' };

    function cached() {
      const state = {
        identity: { user, organization },
        teams: [{ id: 'marketing', name: 'Marketing', role: 'member' }],
      };
      const sut = new WhoamiTool(
        { describe: jest.fn(() => state.identity) } as unknown as IdentityService,
        { myTeams: jest.fn(() => state.teams) } as unknown as TeamsService,
      );
      return { sut, state };
    }

    it('should answer without a promise, and give the same frozen answer while nothing changed', () => {
      const { sut } = cached();
      const p = Object.freeze({ ...principal });

      const first = sut.run(p);
      const again = sut.run(p);

      expect(first).not.toBeInstanceOf(Promise);
      expect(again).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    });

    it('should answer anew when the cached identity or teams were replaced', () => {
      const { sut, state } = cached();
      const p = Object.freeze({ ...principal });
      const first = sut.run(p) as { text: string };

      state.identity = { user: { ...user, name: 'Caroline' }, organization };
      const renamed = sut.run(p) as { text: string };
      state.teams = [];
      const teamless = sut.run(p) as { text: string };

      expect(renamed).not.toBe(first);
      expect(renamed.text).toMatch(/^Caroline </);
      expect(teamless.text).toContain('teams: no teams');
    });

    it('should answer each credential state (principal object) on its own', () => {
      const { sut } = cached();
      const reader = Object.freeze({ ...principal });
      const writer = Object.freeze({ ...principal, scopes: ['mcp'] });

      const read = sut.run(reader) as { structured: { scopes: string[] } };
      const write = sut.run(writer) as { structured: { scopes: string[] } };

      expect(read.structured.scopes).toEqual(['mcp:read']);
      expect(write.structured.scopes).toEqual(['mcp']);
    });
  });
});
