import { z } from 'zod';
import { nextCursorSchema } from 'src/catalog/dto/pagination.dto';
import { ACCESS_STATUSES, AccessStatus, CONSUMER_TYPES } from 'src/catalog/entities';

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

/*
 * Results are zod schemas: the MCP tools advertise them as `outputSchema` and parse their results
 * through them, and the TypeScript types below are inferred from them, so the three cannot drift.
 */

export const accessStatusSchema = z
  .enum(ACCESS_STATUSES)
  .describe('Stored status: requested (pending), approved, rejected or canceled.');

export const accessLifecycleSchema = z
  .enum(ACCESS_LIFECYCLES)
  .describe(
    'Derived from status and dates: requested (pending), upcoming (approved, not started), active (may be queried now), expired (end date reached), rejected or canceled.',
  );

/** YYYY-MM-DD (UTC). */
const dateSchema = z.iso.date();

export const userRefSchema = z.object({
  userId: z.string().describe('User id (UUID).'),
  email: z.string().describe('Email address; empty when the user no longer exists.'),
  name: z.string().describe('Display name; empty when the user no longer exists.'),
});
export type UserRefDto = z.infer<typeof userRefSchema>;

export const accessItemSchema = z.object({
  id: z.string().describe('Access agreement id (UUID): the accessId of the other access tools.'),
  status: accessStatusSchema,
  lifecycle: accessLifecycleSchema,
  purpose: z.string().describe('Why the consumer needs the data, as given in the request.'),
  roles: z.array(z.string()).describe('Roles of the data contract the agreement grants.'),
  provider: z
    .object({
      dataProductId: z.string().describe('Provider data product id (as in search and fetch).'),
      outputPortId: z.string().describe('Output port id of that data product.'),
      teamId: z.string().describe('Id of the team that owns the data product and decides.'),
    })
    .describe('Whose data: the provider data product, output port and owner team.'),
  consumer: z
    .object({
      type: z.enum(CONSUMER_TYPES).describe('user, team or data_product.'),
      id: z.string().describe('User id (UUID), or the team id or data product id.'),
      name: z.string().describe('Name of the user, team or data product.'),
    })
    .describe('Who gets the access: a user, a team or a data product.'),
  requestedBy: userRefSchema.describe('Who asked for the access.'),
  decidedBy: userRefSchema
    .optional()
    .describe('Who approved, rejected or canceled it; absent while nobody has.'),
  decisionComment: z
    .string()
    .optional()
    .describe('Comment of the decision (or why it was approved automatically); absent when none.'),
  startDate: dateSchema
    .nullable()
    .describe('First day of access (YYYY-MM-DD, UTC); null while pending or never started.'),
  endDate: dateSchema
    .nullable()
    .describe('Day the access ends (YYYY-MM-DD, UTC, exclusive); null = open-ended.'),
  canApprove: z
    .boolean()
    .describe('Whether you may approve or reject it now (access_approve, access_reject).'),
  canCancel: z.boolean().describe('Whether you may cancel or end it now (access_cancel).'),
});
export type AccessItemDto = z.infer<typeof accessItemSchema>;

export const listAccessResultSchema = z.object({
  items: z.array(accessItemSchema).describe('Access agreements, newest first.'),
  nextCursor: nextCursorSchema,
});
export type ListAccessResult = z.infer<typeof listAccessResultSchema>;

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

export const requestAccessResultSchema = z.object({
  accessId: z
    .string()
    .describe('Id (UUID) of the agreement: pass it to access_list or access_cancel.'),
  status: accessStatusSchema,
  lifecycle: accessLifecycleSchema,
  autoApproved: z
    .boolean()
    .describe('True when the agreement was approved automatically, without a decision.'),
  created: z
    .boolean()
    .describe(
      'False when an open request or live agreement for the same consumer and port was returned instead of a new one.',
    ),
  approvers: z
    .array(userRefSchema)
    .optional()
    .describe('Who can decide, while the request is pending; absent otherwise.'),
  message: z.string().describe('What happened and what to do next.'),
});
export type RequestAccessResult = z.infer<typeof requestAccessResultSchema>;

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
