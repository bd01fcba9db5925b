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
});
