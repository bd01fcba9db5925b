import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Binds dynamically registered clients to the issuer they were registered under: client identifiers
 * are unique to the authorization server that issued them (RFC 6749 §2.2; MCP 2026-07-28 › Client
 * Registration › Authorization Server Binding), so after a change of PUBLIC_URL (the issuer) they
 * are unknown and their clients register again.
 *
 * A migration cannot know the issuer (PUBLIC_URL is the running server's configuration, which the
 * CLI may not share), so the column is nullable: the server binds the rows it finds unbound to its
 * own issuer when it starts (ClientService.bindUnboundClients), and until then treats NULL as its
 * own issuer (rows registered before this migration, or by an instance not upgraded yet).
 * Client ID Metadata Document clients are portable (their id is their URL) and never bound.
 */
export class AddClientIssuer1764604800000 implements MigrationInterface {
  name = 'AddClientIssuer1764604800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE oauth_clients ADD COLUMN issuer text;
      ALTER TABLE oauth_clients ADD CONSTRAINT oauth_clients_issuer_dynamic_only
        CHECK (kind = 'dynamic' OR issuer IS NULL);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE oauth_clients DROP CONSTRAINT IF EXISTS oauth_clients_issuer_dynamic_only;
      ALTER TABLE oauth_clients DROP COLUMN IF EXISTS issuer;
    `);
  }
}
