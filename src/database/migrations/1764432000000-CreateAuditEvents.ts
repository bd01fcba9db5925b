import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: who (user, API key or OAuth client) did what, in which organization, from where.
 * No foreign keys: events outlive the users, keys and organizations they mention, and the batched
 * writer must never fail because a row was deleted in between. `details` never holds a secret.
 */
export class CreateAuditEvents1764432000000 implements MigrationInterface {
  name = 'CreateAuditEvents1764432000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        organization_id uuid,
        actor_user_id uuid,
        actor_api_key_id uuid,
        actor_client_id text,
        type text NOT NULL,
        target_type text,
        target_id text,
        ip text,
        user_agent text CHECK (length(user_agent) <= 512),
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      );
      CREATE INDEX audit_events_org_time_idx ON audit_events (organization_id, created_at DESC, id DESC);
      CREATE INDEX audit_events_actor_idx ON audit_events (organization_id, actor_user_id, created_at DESC);
      CREATE INDEX audit_events_target_idx ON audit_events (organization_id, target_id, created_at DESC);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_events`);
  }
}
