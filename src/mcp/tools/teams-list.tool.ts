import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { UserPrincipal } from 'src/auth/principal';
import { Scope } from 'src/auth/scopes';
import { ListTeamsResult, listTeamsResultSchema } from 'src/catalog/dto/teams.dto';
import { TeamsService } from 'src/catalog/teams.service';
import { McpTool, ToolResult } from 'src/mcp/tool.decorator';
import { defined } from 'src/mcp/tools/tool-schemas';

@Injectable()
export class TeamsListTool {
  constructor(private readonly teams: TeamsService) {}

  @McpTool({
    name: 'teams_list',
    title: 'List teams',
    description:
      'Lists the teams of your organization (domains, teams, platform and governance groups) with their parent and the data products they own; optionally with members and their team roles.',
    scope: Scope.Read,
    input: z.object({
      query: z.string().max(200).optional().describe('Part of a team id or name.'),
      type: z
        .string()
        .max(50)
        .optional()
        .describe('Domain, Team, Domain Team, Enabling Team, Platform Team or Governance Group.'),
      teamId: z.string().max(200).optional().describe('Just this team (id such as "checkout").'),
      includeMembers: z.boolean().optional().describe('Include members with their team roles.'),
    }),
    output: listTeamsResultSchema,
  })
  async run(
    principal: UserPrincipal,
    input: Record<string, unknown>,
  ): Promise<ToolResult<ListTeamsResult>> {
    const result = await this.teams.list(principal, defined(input));
    const lines = result.teams.map(
      (t) =>
        `${t.id}: ${t.name} (${t.type}${t.parentId ? `, in ${t.parentId}` : ''}) owns ${t.ownedDataProducts.join(', ') || 'nothing'}`,
    );
    return { structured: result, text: lines.join('\n') || 'No teams match.' };
  }
}
