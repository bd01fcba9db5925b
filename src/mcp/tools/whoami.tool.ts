import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { IdentityService } from 'src/users/identity.service';

@Injectable()
export class WhoamiTool {
  constructor(private readonly identity: IdentityService) {}

  @McpTool({
    name: 'whoami',
    title: 'Who am I',
    description:
      'Shows the signed-in user, the organization this connection is bound to, the user’s organization role and teams, and the granted scopes. Call it first when unsure what you may do.',
    scope: Scope.Read,
    input: {},
    output: {
      user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
      organization: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
      organizationRole: z.string(),
      teams: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
      scopes: z.array(z.string()),
      authMethod: z.string(),
      clientName: z.string().optional(),
    },
  })
  async run(principal: UserPrincipal): Promise<ToolResult> {
    const me = await this.identity.describe(principal);
    const teams = me.teams.map((t) => `${t.name} (${t.role})`).join(', ') || 'no teams';
    return {
      structured: { ...me },
      text: `${me.user.name} <${me.user.email}>, ${me.organizationRole} of ${me.organization.name} (${me.organization.slug}); teams: ${teams}; scopes: ${me.scopes.join(' ')}; via ${me.authMethod}.`,
    };
  }
}
