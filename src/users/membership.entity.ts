import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { OrganizationRole } from 'src/auth/principal';

/** Re-exported for the users module's callers; the role itself is auth vocabulary. */
export { ORGANIZATION_ROLES, type OrganizationRole } from 'src/auth/principal';

@Entity({ name: 'memberships' })
export class Membership {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  role: OrganizationRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
