import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A validated authorization request waiting for sign-in and consent. Kept server-side and bound to the
 * browser session; single use; lives at most 10 minutes.
 */
@Entity({ name: 'oauth_interactions' })
export class OAuthInteraction {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  /** oauth_clients.id (not the public client_id). */
  @Column({ name: 'client_id', type: 'uuid' })
  clientRowId: string;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri: string;

  @Column({ type: 'text', nullable: true })
  state: string | null;

  @Column({ name: 'code_challenge', type: 'text' })
  codeChallenge: string;

  @Column({ type: 'text' })
  scope: string;

  @Column({ type: 'text' })
  resource: string;

  @Column({ type: 'text', nullable: true })
  prompt: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
