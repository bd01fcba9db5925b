import type { CatalogKind } from 'src/catalog/documents/catalog-model';
import type { ImportAction, ImportReport } from 'src/catalog/store/catalog-store.types';

const KIND_NAMES: Record<CatalogKind, string> = {
  team: 'team',
  dataproduct: 'data product',
  datacontract: 'data contract',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `create data product shop-orders (dataproducts/shop-orders.yaml)` */
function actionLine(action: ImportAction): string {
  const from = action.source ? ` (${action.source})` : '';
  return `${action.action} ${KIND_NAMES[action.kind]} ${action.id}${from}`;
}

/**
 * The import report for people: every problem as `file: path: message` (`path: message` when it
 * concerns no file, e.g. what prune may not delete), or one line per create,
 * update and delete, the number unchanged, and whether anything was written.
 */
export function formatImportReport(report: ImportReport): string {
  if (!report.ok) {
    return [
      ...report.problems.map((p) => [p.source, p.path, p.message].filter(Boolean).join(': ')),
      `${plural(report.problems.length, 'problem')}: nothing written`,
    ].join('\n');
  }
  const { created, updated, deleted, unchanged } = report.summary;
  const lines = report.actions.filter((a) => a.action !== 'unchanged').map(actionLine);
  lines.push(`${unchanged} unchanged`);
  if (created + updated + deleted === 0) lines.push('unchanged: nothing to write');
  else {
    const counts = `${created} created, ${updated} updated, ${deleted} deleted`;
    lines.push(report.dryRun ? `dry run (${counts}): nothing written` : `applied: ${counts}`);
  }
  return lines.join('\n');
}
