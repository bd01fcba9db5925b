import type { AccessStatus, ConsumerType } from 'src/catalog/entities';

/**
 * Derived from status and dates. An approved agreement is `upcoming` before its start date, `active`
 * from the start date, and `expired` from its end date on (the end date is exclusive: cancelling with
 * end date today ends the access now).
 */
export const ACCESS_LIFECYCLES = [
  'requested',
  'upcoming',
  'active',
  'expired',
  'rejected',
  'canceled',
] as const;
export type AccessLifecycle = (typeof ACCESS_LIFECYCLES)[number];

export const ACCESS_VIEWS = ['mine', 'to_approve', 'all'] as const;
export type AccessView = (typeof ACCESS_VIEWS)[number];

export interface ListAccessInput {
  /** `mine` (default): consumer is me, my team or its data product; `to_approve`: pending and mine to decide; `all`: the organization. */
  view?: AccessView;
  status?: AccessStatus;
  lifecycle?: AccessLifecycle;
  /** Provider data product (external id or UUID). */
  dataProductId?: string;
  limit?: number;
  cursor?: string;
}

export interface UserRefDto {
  userId: string;
  email: string;
  name: string;
}

export interface AccessItemDto {
  id: string;
  status: AccessStatus;
  lifecycle: AccessLifecycle;
  purpose: string;
  roles: string[];
  /** External ids of the provider data product, output port and owner team. */
  provider: { dataProductId: string; outputPortId: string; teamId: string };
  /** `id` is the user's UUID, or the team's / data product's external id. */
  consumer: { type: ConsumerType; id: string; name: string };
  requestedBy: UserRefDto;
  decidedBy?: UserRefDto;
  decisionComment?: string;
  /** YYYY-MM-DD (UTC); null while pending. */
  startDate: string | null;
  /** YYYY-MM-DD (UTC), exclusive; null = open-ended. */
  endDate: string | null;
  canApprove: boolean;
  canCancel: boolean;
}

export interface ListAccessResult {
  items: AccessItemDto[];
  nextCursor?: string;
}

export interface RequestAccessInput {
  dataProductId: string;
  outputPortId: string;
  /** At least 10 characters. */
  purpose: string;
  /** Role names from the port's data contract. */
  roles?: string[];
  /** Request for a team (needs ACCESS_REQUEST in it) instead of for yourself. */
  consumerTeamId?: string;
  /** Request for a data product (needs ACCESS_REQUEST in its owner team). */
  consumerDataProductId?: string;
  /** YYYY-MM-DD, after today. */
  endDate?: string;
}

export interface RequestAccessResult {
  accessId: string;
  status: AccessStatus;
  lifecycle: AccessLifecycle;
  autoApproved: boolean;
  /** False when an open request or live agreement for the same consumer and port was returned. */
  created: boolean;
  /** Who can decide, while the request is pending. */
  approvers?: UserRefDto[];
  message: string;
}

export interface ApproveAccessInput {
  accessId: string;
  comment?: string;
  /** YYYY-MM-DD; default today. */
  startDate?: string;
  /** YYYY-MM-DD, exclusive; default the requested end date. */
  endDate?: string;
}

export interface RejectAccessInput {
  accessId: string;
  reason: string;
}

export interface CancelAccessInput {
  accessId: string;
  /** YYYY-MM-DD, exclusive; default today (ends the access now). */
  endDate?: string;
  reason?: string;
}
