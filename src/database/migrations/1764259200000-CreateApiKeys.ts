import { MigrationInterface, QueryRunner } from 'typeorm';

/** User-bound and organization-level API keys, stored as SHA-256 only. */
export class CreateApiKeys1764259200000 implements MigrationInterface {
  name = 'CreateApiKeys1764259200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('user', 'organization')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        display_hint text NOT NULL,
        key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        read_only boolean NOT NULL DEFAULT false,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'user') = (user_id IS NOT NULL))
      );
      CREATE INDEX api_keys_org_idx ON api_keys (organization_id, created_at);
      CREATE INDEX api_keys_user_idx ON api_keys (user_id);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS api_keys`);
  }
}
