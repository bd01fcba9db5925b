import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog documents as submitted: a data product keeps its whole ODPS v1.0.0 document and a team its
 * document (description, tags, links, custom…), so fields the structured columns do not model are
 * returned unchanged. NULL for rows written before (the demo seed): those are shown as a document
 * built from the columns.
 */
export class AddCatalogDocuments1764691200000 implements MigrationInterface {
  name = 'AddCatalogDocuments1764691200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE data_products ADD COLUMN document jsonb;
      ALTER TABLE teams ADD COLUMN document jsonb;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE data_products DROP COLUMN IF EXISTS document;
      ALTER TABLE teams DROP COLUMN IF EXISTS document;
    `);
  }
}
