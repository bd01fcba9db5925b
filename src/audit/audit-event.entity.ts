import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditDetails, AuditEventType } from 'src/audit/audit-event.types';

/** One row of the audit log. Written only by AuditService (batched), never updated. */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** When the event happened (not when the batch was written). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_api_key_id', type: 'uuid', nullable: true })
  actorApiKeyId: string | null;

  @Column({ name: 'actor_client_id', type: 'text', nullable: true })
  actorClientId: string | null;

  @Column({ type: 'text' })
  type: AuditEventType;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  details: AuditDetails;
}
