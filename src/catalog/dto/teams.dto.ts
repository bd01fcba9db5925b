import type { TeamRole, TeamType } from 'src/catalog/entities';

export interface ListTeamsInput {
  /** Case-insensitive substring of the team's id or name. */
  query?: string;
  type?: string;
  /** One team (external id or UUID); unknown → not_found. */
  teamId?: string;
  includeMembers?: boolean;
}

export interface TeamMemberDto {
  userId: string;
  email: string;
  name: string;
  role: TeamRole;
}

export interface TeamDto {
  /** External id, e.g. `checkout`. */
  id: string;
  name: string;
  type: TeamType;
  /** External id of the parent team. */
  parentId: string | null;
  members?: TeamMemberDto[];
  /** External ids of the data products the team owns. */
  ownedDataProducts: string[];
}

export interface ListTeamsResult {
  teams: TeamDto[];
}

/** A team the caller is a direct member of (whoami). */
export interface MyTeamDto {
  id: string;
  name: string;
  role: TeamRole;
}
