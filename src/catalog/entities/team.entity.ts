import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const TEAM_TYPES = [
  'Domain',
  'Team',
  'Domain Team',
  'Enabling Team',
  'Platform Team',
  'Governance Group',
] as const;
export type TeamType = (typeof TEAM_TYPES)[number];

export const TEAM_ROLES = ['owner', 'approver', 'editor', 'member', 'steward'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

@Entity({ name: 'teams' })
export class Team {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  type: TeamType;

  @Column({ name: 'parent_team_id', type: 'uuid', nullable: true })
  parentTeamId: string | null;

  /** The team document as submitted (null for rows the demo seed wrote from columns). */
  @Column({ type: 'jsonb', nullable: true })
  document: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'team_members' })
export class TeamMember {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  role: TeamRole;
}
