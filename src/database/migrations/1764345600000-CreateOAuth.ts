import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OAuth 2.1 authorization server: clients (dynamic, CIMD), browser sessions, pending authorization
 * interactions, grants (consent and unit of revocation), codes, refresh tokens and signing keys.
 * Codes, refresh tokens, client secrets and session ids are stored as SHA-256 only.
 */
export class CreateOAuth1764345600000 implements MigrationInterface {
  name = 'CreateOAuth1764345600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE oauth_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id text NOT NULL UNIQUE,
        client_secret_hash text,
        kind text NOT NULL CHECK (kind IN ('dynamic', 'metadata_document')),
        client_name text NOT NULL,
        redirect_uris jsonb NOT NULL,
        token_endpoint_auth_method text NOT NULL
          CHECK (token_endpoint_auth_method IN ('none', 'client_secret_post', 'client_secret_basic')),
        grant_types jsonb NOT NULL,
        response_types jsonb NOT NULL,
        scope text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        registered_ip text,
        metadata_expires_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((token_endpoint_auth_method = 'none') = (client_secret_hash IS NULL))
      );

      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_hash text NOT NULL UNIQUE,
        csrf_token text NOT NULL,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid REFERENCES organizations(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);

      CREATE TABLE oauth_interactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES auth_sessions(id) ON DELETE CASCADE,
        client_id uuid NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
        redirect_uri text NOT NULL,
        state text,
        code_challenge text NOT NULL,
        scope text NOT NULL,
        resource text NOT NULL,
        prompt text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        completed_at timestamptz
      );
      CREATE INDEX oauth_interactions_session_idx ON oauth_interactions (session_id);

      CREATE TABLE oauth_grants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        client_id uuid NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
        scope text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_reason text
      );
      CREATE INDEX oauth_grants_user_idx ON oauth_grants (user_id, organization_id);
      CREATE INDEX oauth_grants_client_idx ON oauth_grants (client_id);

      CREATE TABLE oauth_authorization_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code_hash text NOT NULL UNIQUE,
        grant_id uuid NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
        client_id uuid NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        redirect_uri text NOT NULL,
        code_challenge text NOT NULL,
        resource text NOT NULL,
        scope text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE oauth_refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        grant_id uuid NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
        client_id uuid NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
        parent_id uuid REFERENCES oauth_refresh_tokens(id) ON DELETE SET NULL,
        scope text NOT NULL,
        resource text NOT NULL,
        expires_at timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX oauth_refresh_tokens_grant_idx ON oauth_refresh_tokens (grant_id);
      CREATE INDEX oauth_refresh_tokens_parent_idx ON oauth_refresh_tokens (parent_id);

      CREATE TABLE oauth_signing_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kid text NOT NULL UNIQUE,
        alg text NOT NULL CHECK (alg = 'ES256'),
        private_key text NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      );
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS oauth_signing_keys, oauth_refresh_tokens, oauth_authorization_codes,
        oauth_grants, oauth_interactions, auth_sessions, oauth_clients CASCADE;
    `);
  }
}
