import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AuthMethod, UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { TeamsService } from 'src/catalog/teams.service';
import type { MyTeamDto } from 'src/catalog/dto/teams.dto';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { IdentityService, UserIdentity } from 'src/users/identity.service';
import { ORGANIZATION_ROLES } from 'src/users/membership.entity';

const AUTH_METHODS = ['api_key', 'oauth', 'session'] as const satisfies readonly AuthMethod[];

/**
 * The whoami result: the users module's identity, the catalog's teams and the credential's grant.
 * A team role stays a described string, as the output schema has always published it.
 */
const whoamiOutput = z.object({
  user: z
    .object({
      id: z.string().describe('User id (UUID).'),
      email: z.string().describe('Email address.'),
      name: z.string().describe('Display name.'),
    })
    .describe('The signed-in user.'),
  organization: z
    .object({
      id: z.string().describe('Organization id (UUID).'),
      name: z.string().describe('Organization name.'),
      slug: z.string().describe('Short organization id, e.g. "acme".'),
    })
    .describe('The organization this connection is bound to; every tool works inside it.'),
  organizationRole: z
    .enum(ORGANIZATION_ROLES)
    .describe('Role in the organization: owner, admin or member.'),
  teams: z
    .array(
      z.object({
        id: z.string().describe('Team id (as in teams_list).'),
        name: z.string().describe('Team name.'),
        role: z.string().describe('Team role: owner, approver, editor, member or steward.'),
      }),
    )
    .describe('The teams the user is a direct member of, by name.'),
  scopes: z
    .array(z.string())
    .describe(
      'Granted scopes: mcp:read (read tools), mcp:write (also write tools), mcp (everything).',
    ),
  authMethod: z.enum(AUTH_METHODS).describe('How this connection is authenticated.'),
  clientName: z.string().optional().describe('Name of the OAuth client, when known.'),
});

/** The whoami tool: composes the users module's identity with the catalog's team memberships. */
@Injectable()
export class WhoamiTool {
  /**
   * The last answer per principal (a principal object stands for one credential state: both
   * credential services build a new one when the key or grant changes), with the identity and
   * teams it was built from: the same cached values give the same frozen answer, which
   * `toolSuccess` then serializes once.
   */
  private readonly answers = new WeakMap<
    UserPrincipal,
    { identity: UserIdentity; teams: MyTeamDto[]; result: WhoamiResult }
  >();

  constructor(
    private readonly identity: IdentityService,
    private readonly teams: TeamsService,
  ) {}

  @McpTool({
    name: 'whoami',
    title: 'Who am I',
    description:
      'Shows the signed-in user, the organization this connection is bound to, the user’s organization role and teams, and the granted scopes. Call it first when unsure what you may do.',
    scope: Scope.Read,
    input: z.object({}),
    output: whoamiOutput,
  })
  run(principal: UserPrincipal): WhoamiResult | Promise<WhoamiResult> {
    const identity = this.identity.describe(principal.userId, principal.organizationId);
    const teams = this.teams.myTeams(principal);
    // Both are cached most of the time: then the answer is built without a promise.
    if (identity instanceof Promise || teams instanceof Promise) {
      return Promise.all([identity, teams]).then(([i, t]) => answer(principal, i, t));
    }
    const last = this.answers.get(principal);
    if (last?.identity === identity && last.teams === teams) return last.result;
    const result = Object.freeze(answer(principal, identity, teams));
    this.answers.set(principal, { identity, teams, result });
    return result;
  }
}

type WhoamiResult = ToolResult<z.input<typeof whoamiOutput>>;

function answer(
  principal: UserPrincipal,
  identity: UserIdentity,
  teams: MyTeamDto[],
): WhoamiResult {
  const me = { ...identity, teams, ...grantOf(principal) };
  const teamList = me.teams.map((t) => `${t.name} (${t.role})`).join(', ') || 'no teams';
  return {
    structured: me,
    text: `${me.user.name} <${me.user.email}>, ${me.organizationRole} of ${me.organization.name} (${me.organization.slug}); teams: ${teamList}; scopes: ${me.scopes.join(' ')}; via ${me.authMethod}.`,
  };
}

/** What the credential itself says: never cached, so a changed role or scope shows at once. */
function grantOf(principal: UserPrincipal) {
  return {
    organizationRole: principal.organizationRole,
    scopes: [...principal.scopes],
    authMethod: principal.authMethod,
  };
}
