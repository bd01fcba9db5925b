import type { TeamRole } from 'src/catalog/entities';

/** Team permissions; ROLE_PERMISSIONS below says which team role holds which. */
export enum TeamPermission {
  ResourcesAdd = 'RESOURCES_ADD',
  ResourcesEdit = 'RESOURCES_EDIT',
  ResourcesDelete = 'RESOURCES_DELETE',
  AccessRequest = 'ACCESS_REQUEST',
  AccessApprove = 'ACCESS_APPROVE',
  AccessTerminate = 'ACCESS_TERMINATE',
  TeamMemberAdd = 'TEAM_MEMBER_ADD',
  TeamMemberEdit = 'TEAM_MEMBER_EDIT',
  TeamMemberRemove = 'TEAM_MEMBER_REMOVE',
  ChangeRequestSubmit = 'CHANGE_REQUEST_SUBMIT',
  ChangeRequestApprove = 'CHANGE_REQUEST_APPROVE',
}

const ALL = Object.values(TeamPermission);

export const ROLE_PERMISSIONS: Readonly<Record<TeamRole, readonly TeamPermission[]>> = {
  owner: ALL,
  approver: [
    TeamPermission.AccessRequest,
    TeamPermission.AccessApprove,
    TeamPermission.AccessTerminate,
    TeamPermission.ResourcesEdit,
  ],
  editor: [TeamPermission.ResourcesAdd, TeamPermission.ResourcesEdit, TeamPermission.AccessRequest],
  member: [TeamPermission.AccessRequest, TeamPermission.ChangeRequestSubmit],
  steward: [TeamPermission.ResourcesEdit],
};

export interface TeamNode {
  id: string;
  parentTeamId: string | null;
}

/**
 * What one user may do in the teams of one organization: their direct team roles, inherited down the
 * team tree (a role in a domain applies in its sub-teams), and everything for organization owners.
 */
export class TeamAccess {
  private readonly parents = new Map<string, string | null>();

  constructor(
    readonly isOrganizationOwner: boolean,
    teams: Iterable<TeamNode>,
    /** The user's direct roles: team id → role. */
    private readonly directRoles: ReadonlyMap<string, TeamRole>,
  ) {
    for (const t of teams) this.parents.set(t.id, t.parentTeamId);
  }

  /** The team and its ancestors, nearest first (cycle-safe). */
  lineage(teamId: string): string[] {
    const chain: string[] = [];
    let cur: string | null | undefined = teamId;
    while (cur && !chain.includes(cur)) {
      chain.push(cur);
      cur = this.parents.get(cur);
    }
    return chain;
  }

  /** Direct and inherited roles in a team. */
  rolesIn(teamId: string): TeamRole[] {
    const roles = new Set<TeamRole>();
    for (const id of this.lineage(teamId)) {
      const role = this.directRoles.get(id);
      if (role) roles.add(role);
    }
    return [...roles];
  }

  permissionsIn(teamId: string): Set<TeamPermission> {
    if (this.isOrganizationOwner) return new Set(ALL);
    return new Set(this.rolesIn(teamId).flatMap((r) => ROLE_PERMISSIONS[r]));
  }

  /** True when the user holds at least one of the permissions in the team. */
  can(teamId: string, ...anyOf: TeamPermission[]): boolean {
    if (this.isOrganizationOwner) return true;
    const held = this.permissionsIn(teamId);
    return anyOf.some((p) => held.has(p));
  }

  /** Member of the team, directly or through a parent team (organization ownership does not count). */
  isMemberOf(teamId: string): boolean {
    return this.rolesIn(teamId).length > 0;
  }

  /** Every team the user is a member of, directly or through a parent team. */
  memberTeamIds(): string[] {
    return [...this.parents.keys()].filter((id) => this.isMemberOf(id));
  }
}
