import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from 'src/audit/audit-cursor';
import type { AuditDetails, AuditEventType } from 'src/audit/audit-event.types';
import {
  AuditEventDto,
  AuditEventPageDto,
  DEFAULT_AUDIT_PAGE,
} from 'src/audit/dto/audit-event.dto';
import { isOrganizationAdmin, Principal } from 'src/auth/principal';
import { forbidden, invalidArgument } from 'src/common/errors/domain-error';

export interface AuditEventsFilter {
  type?: AuditEventType;
  userId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  /** Only for the system principal (CLI). */
  organizationId?: string;
}

interface Row {
  id: string;
  type: AuditEventType;
  created_at: Date | string;
  organization_id: string | null;
  actor_user_id: string | null;
  actor_email: string | null;
  actor_api_key_id: string | null;
  actor_client_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: AuditDetails;
  position: string;
}

const toDto = (r: Row): AuditEventDto => ({
  id: r.id,
  type: r.type,
  createdAt: new Date(r.created_at).toISOString(),
  organizationId: r.organization_id,
  actorUserId: r.actor_user_id,
  actorEmail: r.actor_email,
  actorApiKeyId: r.actor_api_key_id,
  actorClientId: r.actor_client_id,
  targetType: r.target_type,
  targetId: r.target_id,
  ip: r.ip,
  userAgent: r.user_agent,
  details: r.details ?? {},
});

function parseDate(name: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalidArgument(`${name} must be an ISO 8601 date-time`);
  return d.toISOString();
}

/** Reading the audit log of one organization: owners and admins, newest first, by cursor. */
@Injectable()
export class AuditEventsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(principal: Principal, filter: AuditEventsFilter = {}): Promise<AuditEventPageDto> {
    const organizationId =
      principal.kind === 'system' ? filter.organizationId : principal.organizationId;
    if (!organizationId) throw invalidArgument('An organization is required');
    if (!isOrganizationAdmin(principal, organizationId)) {
      throw forbidden('Only organization owners and admins can read the audit log');
    }
    const from = parseDate('from', filter.from);
    const to = parseDate('to', filter.to);
    if (from && to && from >= to) throw invalidArgument('from must be before to');
    const limit = filter.limit ?? DEFAULT_AUDIT_PAGE;
    const params: unknown[] = [organizationId];
    const where = ['e.organization_id = $1'];
    const param = (v: unknown): string => `$${params.push(v)}`;
    if (filter.type) where.push(`e.type = ${param(filter.type)}`);
    if (filter.userId) {
      where.push(
        `(e.actor_user_id = ${param(filter.userId)}::uuid OR (e.target_type = 'user' AND e.target_id = ${param(filter.userId)}))`,
      );
    }
    if (from) where.push(`e.created_at >= ${param(from)}::timestamptz`);
    if (to) where.push(`e.created_at < ${param(to)}::timestamptz`);
    if (filter.cursor) {
      const c = decodeCursor(filter.cursor);
      where.push(`(e.created_at, e.id) < (${param(c.at)}::timestamptz, ${param(c.id)}::uuid)`);
    }
    const rows = await this.dataSource.query<Row[]>(
      `SELECT e.id, e.type, e.created_at, e.organization_id, e.actor_user_id, u.email AS actor_email,
              e.actor_api_key_id, e.actor_client_id, e.target_type, e.target_id, e.ip, e.user_agent,
              e.details,
              to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM audit_events e
         LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE ${where.join(' AND ')}
        ORDER BY e.created_at DESC, e.id DESC
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDto),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.position, id: last.id }) : null,
    };
  }
}
