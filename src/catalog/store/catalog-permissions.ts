import { EntityManager } from 'typeorm';
import { isOrganizationAdmin, RequestPrincipal, SystemPrincipal } from 'src/auth/principal';
import { hasScope, Scope } from 'src/auth/scopes';
import { forbidden } from 'src/common/errors/domain-error';
import { loadTeamAccess } from 'src/catalog/catalog-lookup';
import type { CatalogKind } from 'src/catalog/documents/catalog-model';
import { TeamAccess, TeamPermission } from 'src/catalog/team-permissions';

export type StorePrincipal = RequestPrincipal | SystemPrincipal;

const KIND_NAMES: Readonly<Record<CatalogKind, string>> = {
  team: 'teams',
  dataproduct: 'data products',
  datacontract: 'data contracts',
};

/** A team by both of its ids, for permission checks and messages. */
export interface TeamRef {
  id: string;
  externalId: string;
}

/**
 * Who may write the catalog: organization owners and admins, organization keys and the
 * operator everything; team members their team's products and contracts by their team permissions
 * (RESOURCES_ADD to create, RESOURCES_EDIT to change, in both teams when the owner changes,
 * RESOURCES_DELETE to delete). Credentials without `mcp:write` never write.
 */
export class CatalogWriteGuard {
  private constructor(
    private readonly admin: boolean,
    private readonly access: TeamAccess | null,
  ) {}

  static async load(
    m: EntityManager,
    principal: StorePrincipal,
    org: string,
  ): Promise<CatalogWriteGuard> {
    if (principal.kind !== 'system' && !hasScope(principal.scopes, Scope.Write)) {
      throw forbidden('A read-only credential cannot change the catalog: use a key that may write');
    }
    if (isOrganizationAdmin(principal, org)) return new CatalogWriteGuard(true, null);
    if (principal.kind !== 'user' || principal.organizationId !== org) {
      throw forbidden('This credential cannot change this organization’s catalog');
    }
    return new CatalogWriteGuard(false, await loadTeamAccess(m, principal));
  }

  /** Creating or replacing: `current` is the owner team today (null when new), `next` the new one. */
  assertPut(kind: CatalogKind, current: TeamRef | null, next: TeamRef | null): void {
    if (this.admin) return;
    if (kind === 'team' || !this.access) {
      throw forbidden('Only organization owners and admins can change teams');
    }
    if (!next)
      throw forbidden(
        `Only organization owners and admins can create ${KIND_NAMES[kind]} for a new team`,
      );
    if (!current) {
      this.assertIn(next, TeamPermission.ResourcesAdd, `create ${KIND_NAMES[kind]} in it`);
      return;
    }
    this.assertIn(current, TeamPermission.ResourcesEdit, `change its ${KIND_NAMES[kind]}`);
    if (current.id !== next.id) {
      this.assertIn(next, TeamPermission.ResourcesEdit, `move ${KIND_NAMES[kind]} to it`);
    }
  }

  assertDelete(kind: CatalogKind, owner: TeamRef | null): void {
    if (this.admin) return;
    if (kind === 'team' || !this.access || !owner) {
      throw forbidden('Only organization owners and admins can delete teams');
    }
    this.assertIn(owner, TeamPermission.ResourcesDelete, `delete its ${KIND_NAMES[kind]}`);
  }

  private assertIn(team: TeamRef, permission: TeamPermission, what: string): void {
    if (this.access?.can(team.id, permission)) return;
    const roles =
      permission === TeamPermission.ResourcesAdd
        ? 'Owner or Editor'
        : permission === TeamPermission.ResourcesDelete
          ? 'Owner'
          : 'Owner, Approver, Editor or Steward';
    throw forbidden(
      `You need ${permission} in team "${team.externalId}" to ${what} (${roles}): ask an owner of the team or an organization admin`,
    );
  }
}
