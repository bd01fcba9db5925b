import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OUTPUT_PORT_STATUSES = ['proposed', 'active', 'deprecated', 'retired'] as const;
export type OutputPortStatus = (typeof OUTPUT_PORT_STATUSES)[number];

@Entity({ name: 'output_ports' })
export class OutputPort {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'data_product_id', type: 'uuid' })
  dataProductId: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  server: Record<string, unknown>;

  @Column({ type: 'text' })
  status: OutputPortStatus;

  @Column({ name: 'auto_approve', type: 'boolean', default: false })
  autoApprove: boolean;

  @Column({ name: 'contains_pii', type: 'boolean', default: false })
  containsPii: boolean;

  @Column({ name: 'data_contract_id', type: 'uuid', nullable: true })
  dataContractId: string | null;
}

@Entity({ name: 'input_ports' })
export class InputPort {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'data_product_id', type: 'uuid' })
  dataProductId: string;

  @Column({ name: 'source_output_port_id', type: 'uuid' })
  sourceOutputPortId: string;
}

export interface ExampleColumn {
  name: string;
  type: string;
}

@Entity({ name: 'example_tables' })
export class ExampleTable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'output_port_id', type: 'uuid' })
  outputPortId: string;

  @Column({ name: 'table_name', type: 'text' })
  tableName: string;

  @Column({ type: 'jsonb' })
  columns: ExampleColumn[];

  @Column({ type: 'jsonb' })
  rows: unknown[][];
}
