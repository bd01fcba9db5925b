import { z } from 'zod';
import { TEAM_ROLES, TEAM_TYPES } from 'src/catalog/entities';

export interface ListTeamsInput {
  /** Case-insensitive substring of the team's id or name. */
  query?: string;
  type?: string;
  /** One team (external id or UUID); unknown → not_found. */
  teamId?: string;
  includeMembers?: boolean;
}

/*
 * Results are zod schemas: the MCP tools advertise them as `outputSchema` and parse their results
 * through them, and the TypeScript types below are inferred from them, so the three cannot drift.
 */

export const teamRoleSchema = z
  .enum(TEAM_ROLES)
  .describe('Team role: owner, approver, editor, member or steward.');

export const teamMemberSchema = z.object({
  userId: z.string().describe('User id (UUID).'),
  email: z.string().describe('Email address.'),
  name: z.string().describe('Display name.'),
  role: teamRoleSchema,
});
export type TeamMemberDto = z.infer<typeof teamMemberSchema>;

export const teamSchema = z.object({
  id: z
    .string()
    .describe('Team id, e.g. "checkout": the teamId of search, teams_list, request_access.'),
  name: z.string().describe('Team name.'),
  type: z
    .enum(TEAM_TYPES)
    .describe('Domain, Team, Domain Team, Enabling Team, Platform Team or Governance Group.'),
  parentId: z.string().nullable().describe('Id of the parent team; null for a top-level team.'),
  members: z
    .array(teamMemberSchema)
    .optional()
    .describe('Direct members with their team roles; only with includeMembers.'),
  ownedDataProducts: z.array(z.string()).describe('Ids of the data products the team owns.'),
});
export type TeamDto = z.infer<typeof teamSchema>;

export const listTeamsResultSchema = z.object({
  teams: z.array(teamSchema).describe('Matching teams, by name.'),
});
export type ListTeamsResult = z.infer<typeof listTeamsResultSchema>;

/** A team the caller is a direct member of (whoami). */
export interface MyTeamDto {
  id: string;
  name: string;
  role: z.infer<typeof teamRoleSchema>;
}
