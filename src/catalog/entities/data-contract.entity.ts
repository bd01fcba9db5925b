import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const DATA_CONTRACT_STATUSES = [
  'proposed',
  'draft',
  'active',
  'deprecated',
  'retired',
] as const;
export type DataContractStatus = (typeof DATA_CONTRACT_STATUSES)[number];

/** An ODCS v3.1.0 document, stored as JSON. */
export type OdcsDocument = Record<string, unknown>;

@Entity({ name: 'data_contracts' })
export class DataContract {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ type: 'text' })
  status: DataContractStatus;

  @Column({ name: 'owner_team_id', type: 'uuid' })
  ownerTeamId: string;

  @Column({ type: 'jsonb' })
  document: OdcsDocument;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'data_contract_versions' })
export class DataContractVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'data_contract_id', type: 'uuid' })
  dataContractId: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ type: 'jsonb' })
  document: OdcsDocument;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
