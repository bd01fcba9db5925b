import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AuthMethod, UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { IdentityService } from 'src/users/identity.service';
import { ORGANIZATION_ROLES } from 'src/users/membership.entity';

const AUTH_METHODS = ['api_key', 'oauth', 'session'] as const satisfies readonly AuthMethod[];

/**
 * The whoami result: the users module's `Identity`, which the tool method's type checks against it.
 * The users module may not import the catalog's team roles, so a team role is a described string.
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

@Injectable()
export class WhoamiTool {
  constructor(private readonly identity: IdentityService) {}

  @McpTool({
    name: 'whoami',
    title: 'Who am I',
    description:
      'Shows the signed-in user, the organization this connection is bound to, the user’s organization role and teams, and the granted scopes. Call it first when unsure what you may do.',
    scope: Scope.Read,
    input: z.object({}),
    output: whoamiOutput,
  })
  async run(principal: UserPrincipal): Promise<ToolResult<z.input<typeof whoamiOutput>>> {
    const me = await this.identity.describe(principal);
    const teams = me.teams.map((t) => `${t.name} (${t.role})`).join(', ') || 'no teams';
    return {
      structured: me,
      text: `${me.user.name} <${me.user.email}>, ${me.organizationRole} of ${me.organization.name} (${me.organization.slug}); teams: ${teams}; scopes: ${me.scopes.join(' ')}; via ${me.authMethod}.`,
    };
  }
}
