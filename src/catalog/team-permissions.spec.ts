import type { TeamRole } from 'src/catalog/entities';
import { TeamAccess, TeamPermission } from 'src/catalog/team-permissions';

// sales (Domain) ⊃ checkout, marketing; data-platform stands alone.
const TEAMS = [
  { id: 'sales', parentTeamId: null },
  { id: 'checkout', parentTeamId: 'sales' },
  { id: 'marketing', parentTeamId: 'sales' },
  { id: 'data-platform', parentTeamId: null },
];
const access = (roles: Record<string, TeamRole>, owner = false) =>
  new TeamAccess(owner, TEAMS, new Map(Object.entries(roles)));

describe('TeamAccess', () => {
  it.each<[TeamRole, TeamPermission[], TeamPermission[]]>([
    [
      'owner',
      [TeamPermission.ResourcesAdd, TeamPermission.AccessApprove, TeamPermission.TeamMemberAdd],
      [],
    ],
    [
      'approver',
      [
        TeamPermission.AccessRequest,
        TeamPermission.AccessApprove,
        TeamPermission.AccessTerminate,
        TeamPermission.ResourcesEdit,
      ],
      [TeamPermission.ResourcesAdd, TeamPermission.TeamMemberAdd],
    ],
    [
      'editor',
      [TeamPermission.ResourcesAdd, TeamPermission.ResourcesEdit, TeamPermission.AccessRequest],
      [TeamPermission.AccessApprove, TeamPermission.AccessTerminate],
    ],
    [
      'member',
      [TeamPermission.AccessRequest, TeamPermission.ChangeRequestSubmit],
      [TeamPermission.AccessApprove, TeamPermission.ResourcesEdit],
    ],
    [
      'steward',
      [TeamPermission.ResourcesEdit],
      [TeamPermission.AccessRequest, TeamPermission.AccessApprove, TeamPermission.ResourcesAdd],
    ],
  ])('should give a %s exactly the permissions of the table', (role, held, notHeld) => {
    const sut = access({ checkout: role });
    for (const p of held) expect(sut.can('checkout', p)).toBe(true);
    for (const p of notHeld) expect(sut.can('checkout', p)).toBe(false);
  });

  it('should give an owner every permission', () => {
    const sut = access({ checkout: 'owner' });
    expect([...sut.permissionsIn('checkout')].sort()).toEqual(Object.values(TeamPermission).sort());
  });

  it('should inherit roles from a parent team, not from a sibling or a child', () => {
    const sut = access({ sales: 'approver', checkout: 'member' });
    expect(sut.rolesIn('checkout').sort()).toEqual(['approver', 'member']);
    expect(sut.can('marketing', TeamPermission.AccessApprove)).toBe(true);
    expect(sut.can('data-platform', TeamPermission.AccessRequest)).toBe(false);
    const child = access({ checkout: 'owner' });
    expect(child.can('sales', TeamPermission.AccessRequest)).toBe(false);
    expect(child.can('marketing', TeamPermission.AccessRequest)).toBe(false);
  });

  it('should give organization owners every permission in every team without making them members', () => {
    const sut = access({}, true);
    expect(sut.can('data-platform', TeamPermission.AccessApprove)).toBe(true);
    expect(sut.isMemberOf('data-platform')).toBe(false);
    expect(sut.memberTeamIds()).toEqual([]);
  });

  it('should list the teams a user belongs to, directly or through a parent', () => {
    expect(access({ sales: 'member' }).memberTeamIds().sort()).toEqual([
      'checkout',
      'marketing',
      'sales',
    ]);
    expect(access({ marketing: 'member' }).memberTeamIds()).toEqual(['marketing']);
  });

  it('should give no permission in an unknown team', () => {
    expect(access({ checkout: 'owner' }).can('nope', TeamPermission.AccessRequest)).toBe(false);
  });

  it('should survive a cycle in the team tree', () => {
    const sut = new TeamAccess(
      false,
      [
        { id: 'a', parentTeamId: 'b' },
        { id: 'b', parentTeamId: 'a' },
      ],
      new Map([['b', 'member']]),
    );
    expect(sut.lineage('a')).toEqual(['a', 'b']);
    expect(sut.isMemberOf('a')).toBe(true);
  });
});
