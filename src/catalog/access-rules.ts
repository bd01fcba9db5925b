import { conflict, forbidden, invalidArgument } from 'src/common/errors/domain-error';
import type { AccessLifecycle } from 'src/catalog/dto/access.dto';
import type { AccessStatus, ConsumerType } from 'src/catalog/entities';
import { TeamAccess, TeamPermission } from 'src/catalog/team-permissions';

/** Today as YYYY-MM-DD in UTC. */
export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/** A `date` column as YYYY-MM-DD, whatever the driver returned. */
export function dateOnly(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value.slice(0, 10);
}

/** Validates a YYYY-MM-DD argument (a real calendar date). */
export function parseDate(value: unknown, field: string): string {
  const bad = invalidArgument(`${field} must be a date like 2030-01-31 (YYYY-MM-DD)`);
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw bad;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw bad;
  return value;
}

export interface AgreementDates {
  status: AccessStatus;
  startDate: string | Date | null;
  endDate: string | Date | null;
}

/**
 * Lifecycle from status and dates: an approved agreement is `expired` from its (exclusive) end date
 * on, `upcoming` before its start date, `active` otherwise.
 */
export function lifecycleOf(a: AgreementDates, today: string = todayUtc()): AccessLifecycle {
  switch (a.status) {
    case 'requested':
    case 'rejected':
    case 'canceled':
      return a.status;
    case 'approved': {
      const end = dateOnly(a.endDate);
      const start = dateOnly(a.startDate);
      if (end !== null && end <= today) return 'expired';
      if (start !== null && start > today) return 'upcoming';
      return 'active';
    }
  }
}

/** Lower is better: which of several agreements describes a caller's access to a port. */
export const LIFECYCLE_RANK: Readonly<Record<AccessLifecycle, number>> = {
  active: 0,
  upcoming: 1,
  requested: 2,
  expired: 3,
  rejected: 4,
  canceled: 5,
};

/** Open (pending) or live (active, upcoming): a new request for the same consumer would duplicate it. */
export const isOpenOrLive = (lifecycle: AccessLifecycle): boolean =>
  lifecycle === 'requested' || lifecycle === 'active' || lifecycle === 'upcoming';

export interface AgreementParties extends AgreementDates {
  providerTeamId: string;
  consumerType: ConsumerType;
  consumerUserId: string | null;
  consumerTeamId: string | null;
  /** Owner team of the consumer data product, when the consumer is a data product. */
  consumerProductTeamId: string | null;
}

/** Approve / reject: provider-team members with ACCESS_APPROVE, or organization owners. */
export function mayDecide(
  access: TeamAccess,
  a: Pick<AgreementParties, 'providerTeamId'>,
): boolean {
  return access.can(a.providerTeamId, TeamPermission.AccessApprove);
}

export const canApprove = (access: TeamAccess, a: AgreementParties): boolean =>
  a.status === 'requested' && mayDecide(access, a);

/**
 * Cancel: the consumer user; members of the consumer team (or of the consumer data product's owner
 * team) with ACCESS_REQUEST or ACCESS_TERMINATE; provider-team members with ACCESS_APPROVE or
 * ACCESS_TERMINATE; organization owners.
 */
export function mayCancel(access: TeamAccess, userId: string, a: AgreementParties): boolean {
  if (access.isOrganizationOwner) return true;
  if (a.consumerType === 'user' && a.consumerUserId === userId) return true;
  const consumerTeam = a.consumerType === 'team' ? a.consumerTeamId : a.consumerProductTeamId;
  if (
    consumerTeam &&
    a.consumerType !== 'user' &&
    access.can(consumerTeam, TeamPermission.AccessRequest, TeamPermission.AccessTerminate)
  ) {
    return true;
  }
  return access.can(a.providerTeamId, TeamPermission.AccessApprove, TeamPermission.AccessTerminate);
}

/** Only pending requests and approved agreements that have not ended can be cancelled. */
export function isCancellable(a: AgreementDates, today: string = todayUtc()): boolean {
  const lifecycle = lifecycleOf(a, today);
  return lifecycle === 'requested' || lifecycle === 'active' || lifecycle === 'upcoming';
}

export const canCancel = (
  access: TeamAccess,
  userId: string,
  a: AgreementParties,
  today: string = todayUtc(),
): boolean => isCancellable(a, today) && mayCancel(access, userId, a);

/** Purpose of a request or a query: required, 10 to 2000 characters. */
export function parsePurpose(value: unknown): string {
  const purpose = typeof value === 'string' ? value.trim() : '';
  if (purpose.length < 10) {
    throw invalidArgument(
      'purpose must describe in at least 10 characters why you need the data (e.g. "Analyse churn of top customers")',
    );
  }
  if (purpose.length > 2000) throw invalidArgument('purpose must be at most 2000 characters');
  return purpose;
}

/** One of the allowed values of an enum-like argument. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(`${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** An optional free-text argument: trimmed, at most 2000 characters, undefined when empty. */
export function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidArgument(`${field} must be text`);
  const text = value.trim();
  if (text.length > 2000) throw invalidArgument(`${field} must be at most 2000 characters`);
  return text || undefined;
}

/** Approve / reject: forbidden unless the caller may decide for the provider team. */
export function assertMayDecide(
  row: Pick<AgreementParties, 'providerTeamId'>,
  access: TeamAccess,
  verb: string,
): void {
  if (!mayDecide(access, row)) {
    throw forbidden(
      `You cannot ${verb} this request: only members of the provider team with ACCESS_APPROVE (Owner or Approver) and organization owners can. Call access_list with view "to_approve" to see the requests you can decide.`,
    );
  }
}

export function assertRequested(row: AgreementDates & { id: string }, verb: string): void {
  if (row.status !== 'requested') {
    throw conflict(
      `Access ${row.id} is already ${row.status}: only pending requests (status "requested") can be decided, so you cannot ${verb} it`,
    );
  }
}
