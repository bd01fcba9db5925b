import { resolve } from 'node:path';
import { readCatalogPath } from 'src/catalog/import/catalog-folder';
import { formatImportReport } from 'src/catalog/import/catalog-import-report';
import { CatalogImportModule } from 'src/catalog/import/catalog-import.module';
import { CatalogImportService } from 'src/catalog/import/catalog-import.service';
import { CliCommandGroup, defineCommand } from 'src/cli/cli-command';

const importCatalog = defineCommand({
  name: 'catalog:import',
  summary:
    'Import teams, data products and data contracts from a YAML/JSON file or folder (all or nothing)',
  options: {
    path: {
      value: 'PATH',
      positional: true,
      required: true,
      description: 'a .yaml/.yml/.json file, or a folder read recursively (dotfiles skipped)',
    },
    org: { value: 'SLUG', description: 'organization slug', required: true },
    'dry-run': { flag: true, description: 'validate and report; write nothing' },
    prune: {
      flag: true,
      description: 'delete what the folder no longer holds (not what active agreements use)',
    },
  },
  async run({ app, principal }, options) {
    const imports = app.get(CatalogImportService);
    const organizationId = await imports.organizationId(options.org);
    const parsed = await readCatalogPath(resolve(options.path));
    const report = await imports.import(principal, organizationId, parsed, {
      dryRun: options['dry-run'],
      prune: options.prune,
    });
    return {
      json: { ...report },
      text: formatImportReport(report),
      exitCode: report.ok ? 0 : 1,
    };
  },
});

const exportCatalog = defineCommand({
  name: 'catalog:export',
  summary: 'Write the catalog as teams/, dataproducts/ and datacontracts/ YAML files',
  options: {
    dir: {
      value: 'DIR',
      positional: true,
      required: true,
      description: 'the folder to write (created if missing; must be empty without --force)',
    },
    org: { value: 'SLUG', description: 'organization slug', required: true },
    force: {
      flag: true,
      description:
        'write into a folder that is not empty, replacing the catalog files of its kind folders',
    },
  },
  async run({ app, principal }, options) {
    const imports = app.get(CatalogImportService);
    const organizationId = await imports.organizationId(options.org);
    const dir = resolve(options.dir);
    const result = await imports.export(principal, organizationId, dir, { force: options.force });
    const removed = result.removed.map((path) => `removed ${path}`);
    return {
      json: { dir, written: result.written, removed: result.removed },
      text: [
        ...removed,
        `Wrote ${result.written.length} files to ${dir}${removed.length ? ` (${removed.length} removed)` : ''}`,
      ].join('\n'),
    };
  },
});

export const catalogCommands: CliCommandGroup = {
  modules: [CatalogImportModule],
  commands: [importCatalog, exportCatalog],
};
