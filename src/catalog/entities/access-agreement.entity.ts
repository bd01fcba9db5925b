import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const ACCESS_STATUSES = ['requested', 'approved', 'rejected', 'canceled'] as const;
export type AccessStatus = (typeof ACCESS_STATUSES)[number];
export const CONSUMER_TYPES = ['user', 'team', 'data_product'] as const;
export type ConsumerType = (typeof CONSUMER_TYPES)[number];

@Entity({ name: 'access_agreements' })
export class AccessAgreement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** Fixed id for seeded rows (idempotent seeding); null for rows created by users. */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  @Column({ name: 'provider_data_product_id', type: 'uuid' })
  providerDataProductId: string;

  @Column({ name: 'provider_output_port_id', type: 'uuid' })
  providerOutputPortId: string;

  @Column({ name: 'provider_team_id', type: 'uuid' })
  providerTeamId: string;

  @Column({ name: 'consumer_type', type: 'text' })
  consumerType: ConsumerType;

  @Column({ name: 'consumer_user_id', type: 'uuid', nullable: true })
  consumerUserId: string | null;

  @Column({ name: 'consumer_team_id', type: 'uuid', nullable: true })
  consumerTeamId: string | null;

  @Column({ name: 'consumer_data_product_id', type: 'uuid', nullable: true })
  consumerDataProductId: string | null;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  roles: string[];

  @Column({ type: 'text' })
  status: AccessStatus;

  @Column({ name: 'start_date', type: 'date', nullable: true })
  startDate: string | null;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate: string | null;

  @Column({ name: 'auto_approved', type: 'boolean', default: false })
  autoApproved: boolean;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decision_comment', type: 'text', nullable: true })
  decisionComment: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'query_log' })
export class QueryLogEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId: string | null;

  @Column({ name: 'output_port_id', type: 'uuid', nullable: true })
  outputPortId: string | null;

  @Column({ name: 'sql', type: 'text' })
  sql: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text' })
  decision: string;

  @Column({ type: 'text' })
  outcome: string;

  @Column({ name: 'row_count', type: 'int', nullable: true })
  rowCount: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
