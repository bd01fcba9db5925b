import { Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal';
import type { ParsedCatalog } from 'src/catalog/import/catalog-files';
import { ExportResult, writeCatalogFolder } from 'src/catalog/import/catalog-export';
import { CatalogStoreService } from 'src/catalog/store/catalog-store.service';
import type { ImportOptions, ImportReport } from 'src/catalog/store/catalog-store.types';
import { OrganizationsService } from 'src/users/organizations.service';

/** The git-ops import and export, shared by the admin CLI and `POST /api/v1/catalog/import`. */
@Injectable()
export class CatalogImportService {
  constructor(
    private readonly store: CatalogStoreService,
    private readonly organizations: OrganizationsService,
  ) {}

  /** The organization's id for a slug (the CLI's `--org`). */
  async organizationId(slug: string): Promise<string> {
    return (await this.organizations.getBySlug(slug)).id;
  }

  /**
   * Applies what was read, all or nothing. When reading found problems, the documents that could be
   * read are still checked by the store (without pruning: an unreadable file is not a removal), so
   * the report lists every problem at once, and nothing is written.
   */
  async import(
    principal: Principal,
    organizationId: string,
    parsed: ParsedCatalog,
    options: ImportOptions,
  ): Promise<ImportReport> {
    if (parsed.problems.length === 0) {
      return this.store.applyBundle(principal, organizationId, parsed.documents, options);
    }
    const checked = await this.store.applyBundle(principal, organizationId, parsed.documents, {
      dryRun: true,
    });
    return {
      ...checked,
      dryRun: options.dryRun ?? false,
      prune: options.prune ?? false,
      ok: false,
      problems: [...parsed.problems, ...checked.problems],
    };
  }

  /** Writes the organization's catalog into `dir` (see {@link writeCatalogFolder}). */
  async export(
    principal: Principal,
    organizationId: string,
    dir: string,
    options: { force?: boolean },
  ): Promise<ExportResult> {
    const documents = await this.store.exportAll(principal, organizationId);
    return writeCatalogFolder(dir, documents, options);
  }
}
