import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const DATA_PRODUCT_STATUSES = [
  'proposed',
  'draft',
  'active',
  'deprecated',
  'retired',
] as const;
export type DataProductStatus = (typeof DATA_PRODUCT_STATUSES)[number];

export interface DataProductDescription {
  purpose?: string;
  usage?: string;
  limitations?: string;
}

@Entity({ name: 'certifications' })
export class Certification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  name: string;

  /** 1 = best. */
  @Column({ type: 'int' })
  rank: number;
}

@Entity({ name: 'data_products' })
export class DataProduct {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  status: DataProductStatus;

  @Column({ type: 'text', nullable: true })
  archetype: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  description: DataProductDescription;

  @Column({ name: 'owner_team_id', type: 'uuid' })
  ownerTeamId: string;

  @Column({ name: 'certification_id', type: 'uuid', nullable: true })
  certificationId: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  tags: string[];

  /** The ODPS v1.0.0 document as submitted (null for rows the demo seed wrote from columns). */
  @Column({ type: 'jsonb', nullable: true })
  document: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
