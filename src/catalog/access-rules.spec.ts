import {
  AgreementParties,
  canApprove,
  canCancel,
  lifecycleOf,
  parseDate,
  parsePurpose,
  todayUtc,
} from 'src/catalog/access-rules';
import type { TeamRole } from 'src/catalog/entities';
import { TeamAccess } from 'src/catalog/team-permissions';

const TODAY = '2025-06-15';
const TEAMS = [
  { id: 'sales', parentTeamId: null },
  { id: 'checkout', parentTeamId: 'sales' },
  { id: 'marketing', parentTeamId: 'sales' },
];
const access = (roles: Record<string, TeamRole>, owner = false) =>
  new TeamAccess(owner, TEAMS, new Map(Object.entries(roles)));

const agreement = (overrides: Partial<AgreementParties> = {}): AgreementParties => ({
  status: 'approved',
  startDate: '2025-06-01',
  endDate: null,
  providerTeamId: 'checkout',
  consumerType: 'user',
  consumerUserId: 'carol',
  consumerTeamId: null,
  consumerProductTeamId: null,
  ...overrides,
});

describe('lifecycleOf', () => {
  it.each([
    [{ status: 'requested' as const }, 'requested'],
    [{ status: 'rejected' as const }, 'rejected'],
    [{ status: 'canceled' as const }, 'canceled'],
    [{}, 'active'],
    [{ startDate: null }, 'active'],
    [{ startDate: TODAY }, 'active'],
    [{ startDate: '2025-06-16' }, 'upcoming'],
    [{ endDate: '2025-06-16' }, 'active'],
    [{ endDate: TODAY }, 'expired'],
    [{ endDate: '2025-01-01' }, 'expired'],
    [{ startDate: '2025-07-01', endDate: TODAY }, 'expired'],
    [{ startDate: new Date('2025-07-01T00:00:00Z') }, 'upcoming'],
  ])('should derive %j as %s', (overrides, lifecycle) => {
    expect(lifecycleOf(agreement(overrides), TODAY)).toBe(lifecycle);
  });
});

describe('canApprove', () => {
  const pending = agreement({ status: 'requested' });

  it.each<[string, Record<string, TeamRole>, boolean, boolean]>([
    ['a provider-team owner', { checkout: 'owner' }, false, true],
    ['a provider-team approver', { checkout: 'approver' }, false, true],
    ['an approver of the parent domain', { sales: 'approver' }, false, true],
    ['an organization owner outside the team', {}, true, true],
    ['a provider-team member', { checkout: 'member' }, false, false],
    ['a provider-team editor', { checkout: 'editor' }, false, false],
    ['an approver of another team', { marketing: 'approver' }, false, false],
  ])('should let %s approve: %s', (_who, roles, owner, expected) => {
    expect(canApprove(access(roles, owner), pending)).toBe(expected);
  });

  it('should not offer to approve what is no longer requested', () => {
    expect(canApprove(access({ checkout: 'owner' }), agreement())).toBe(false);
  });
});

describe('canCancel', () => {
  it.each<[string, Partial<AgreementParties>, Record<string, TeamRole>, boolean, boolean]>([
    ['the consumer user', {}, {}, false, true],
    ['another user', { consumerUserId: 'dave' }, {}, false, false],
    [
      'a consumer-team member',
      { consumerType: 'team', consumerUserId: null, consumerTeamId: 'marketing' },
      { marketing: 'member' },
      false,
      true,
    ],
    [
      'a consumer-team steward',
      { consumerType: 'team', consumerUserId: null, consumerTeamId: 'marketing' },
      { marketing: 'steward' },
      false,
      false,
    ],
    [
      'a member of the consumer product team',
      { consumerType: 'data_product', consumerUserId: null, consumerProductTeamId: 'marketing' },
      { marketing: 'member' },
      false,
      true,
    ],
    ['a provider-team approver', { consumerUserId: 'dave' }, { checkout: 'approver' }, false, true],
    ['a provider-team member', { consumerUserId: 'dave' }, { checkout: 'member' }, false, false],
    ['an organization owner', { consumerUserId: 'dave' }, {}, true, true],
  ])('should let %s cancel: %s', (_who, overrides, roles, owner, expected) => {
    expect(canCancel(access(roles, owner), 'carol', agreement(overrides), TODAY)).toBe(expected);
  });

  it.each([
    [{ status: 'requested' as const }, true],
    [{ startDate: '2025-07-01' }, true],
    [{ endDate: TODAY }, false],
    [{ status: 'rejected' as const }, false],
    [{ status: 'canceled' as const }, false],
  ])(
    'should only offer to cancel pending, upcoming or active agreements: %j',
    (overrides, expected) => {
      expect(canCancel(access({}, true), 'carol', agreement(overrides), TODAY)).toBe(expected);
    },
  );
});

describe('argument parsing', () => {
  it('should require a purpose of at least 10 characters, trimmed', () => {
    expect(() => parsePurpose('  too short ')).toThrow(/at least 10 characters/);
    expect(() => parsePurpose(undefined)).toThrow(/at least 10 characters/);
    expect(parsePurpose('  Analyse churn  ')).toBe('Analyse churn');
  });

  it.each(['2025-02-30', '2025-13-01', '25-01-01', '2025-1-1', 'tomorrow', 20250101])(
    'should refuse the date %s',
    (value) => {
      expect(() => parseDate(value, 'endDate')).toThrow(/YYYY-MM-DD/);
    },
  );

  it('should give today in UTC', () => {
    expect(todayUtc(new Date('2025-06-15T23:30:00-02:00'))).toBe('2025-06-16');
  });
});
