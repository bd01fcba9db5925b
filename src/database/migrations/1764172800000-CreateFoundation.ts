import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, organizations, memberships and the catalog schema (teams, products, ports, contracts, access). */
export class CreateFoundation1764172800000 implements MigrationInterface {
  name = 'CreateFoundation1764172800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
        name text NOT NULL DEFAULT '',
        password_hash text NOT NULL,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE memberships (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, user_id)
      );
      CREATE INDEX memberships_user_idx ON memberships (user_id);

      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        name text NOT NULL,
        type text NOT NULL CHECK (type IN ('Domain', 'Team', 'Domain Team', 'Enabling Team', 'Platform Team', 'Governance Group')),
        parent_team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id)
      );

      CREATE TABLE team_members (
        team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'approver', 'editor', 'member', 'steward')),
        PRIMARY KEY (team_id, user_id)
      );
      CREATE INDEX team_members_user_idx ON team_members (organization_id, user_id);

      CREATE TABLE certifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        rank int NOT NULL,
        UNIQUE (organization_id, name)
      );

      CREATE TABLE data_contracts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        version text NOT NULL,
        status text NOT NULL CHECK (status IN ('proposed', 'draft', 'active', 'deprecated', 'retired')),
        owner_team_id uuid NOT NULL REFERENCES teams(id),
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id)
      );

      CREATE TABLE data_contract_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        data_contract_id uuid NOT NULL REFERENCES data_contracts(id) ON DELETE CASCADE,
        version text NOT NULL,
        document jsonb NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, data_contract_id, version)
      );

      CREATE TABLE data_products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('proposed', 'draft', 'active', 'deprecated', 'retired')),
        archetype text,
        description jsonb NOT NULL DEFAULT '{}'::jsonb,
        owner_team_id uuid NOT NULL REFERENCES teams(id),
        certification_id uuid REFERENCES certifications(id) ON DELETE SET NULL,
        tags jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id)
      );
      CREATE INDEX data_products_org_status_idx ON data_products (organization_id, status);

      CREATE TABLE output_ports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        data_product_id uuid NOT NULL REFERENCES data_products(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        server jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL CHECK (status IN ('proposed', 'active', 'deprecated', 'retired')),
        auto_approve boolean NOT NULL DEFAULT false,
        contains_pii boolean NOT NULL DEFAULT false,
        data_contract_id uuid REFERENCES data_contracts(id) ON DELETE SET NULL,
        UNIQUE (organization_id, external_id)
      );
      CREATE INDEX output_ports_product_idx ON output_ports (data_product_id);

      CREATE TABLE input_ports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        data_product_id uuid NOT NULL REFERENCES data_products(id) ON DELETE CASCADE,
        source_output_port_id uuid NOT NULL REFERENCES output_ports(id) ON DELETE CASCADE,
        UNIQUE (organization_id, data_product_id, source_output_port_id)
      );

      CREATE TABLE example_tables (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        output_port_id uuid NOT NULL REFERENCES output_ports(id) ON DELETE CASCADE,
        table_name text NOT NULL,
        columns jsonb NOT NULL,
        rows jsonb NOT NULL,
        UNIQUE (organization_id, output_port_id, table_name)
      );

      CREATE TABLE access_agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        external_id text,
        provider_data_product_id uuid NOT NULL REFERENCES data_products(id) ON DELETE CASCADE,
        provider_output_port_id uuid NOT NULL REFERENCES output_ports(id) ON DELETE CASCADE,
        provider_team_id uuid NOT NULL REFERENCES teams(id),
        consumer_type text NOT NULL CHECK (consumer_type IN ('user', 'team', 'data_product')),
        consumer_user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        consumer_team_id uuid REFERENCES teams(id) ON DELETE CASCADE,
        consumer_data_product_id uuid REFERENCES data_products(id) ON DELETE CASCADE,
        purpose text NOT NULL,
        roles jsonb NOT NULL DEFAULT '[]'::jsonb,
        status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'canceled')),
        start_date date,
        end_date date,
        auto_approved boolean NOT NULL DEFAULT false,
        requested_by uuid NOT NULL REFERENCES users(id),
        decided_by uuid REFERENCES users(id),
        decision_comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, external_id),
        CHECK (
          (consumer_type = 'user' AND consumer_user_id IS NOT NULL AND consumer_team_id IS NULL AND consumer_data_product_id IS NULL) OR
          (consumer_type = 'team' AND consumer_team_id IS NOT NULL AND consumer_user_id IS NULL AND consumer_data_product_id IS NULL) OR
          (consumer_type = 'data_product' AND consumer_data_product_id IS NOT NULL AND consumer_user_id IS NULL AND consumer_team_id IS NULL)
        )
      );
      CREATE UNIQUE INDEX access_agreements_one_open_request ON access_agreements (
        organization_id, provider_output_port_id, consumer_type,
        COALESCE(consumer_user_id, consumer_team_id, consumer_data_product_id)
      ) WHERE status = 'requested';
      CREATE INDEX access_agreements_port_idx ON access_agreements (organization_id, provider_output_port_id);

      CREATE TABLE query_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        api_key_id uuid,
        client_id text,
        output_port_id uuid REFERENCES output_ports(id) ON DELETE SET NULL,
        sql text NOT NULL,
        purpose text NOT NULL,
        decision text NOT NULL,
        outcome text NOT NULL,
        row_count int,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX query_log_user_day_idx ON query_log (organization_id, user_id, output_port_id, created_at);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS query_log, access_agreements, example_tables, input_ports, output_ports,
        data_products, data_contract_versions, data_contracts, certifications, team_members, teams,
        memberships, organizations, users CASCADE;
    `);
  }
}
