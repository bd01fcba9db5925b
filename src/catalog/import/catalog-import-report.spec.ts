import { formatImportReport } from 'src/catalog/import/catalog-import-report';
import type { ImportReport } from 'src/catalog/store/catalog-store.types';

const report = (overrides: Partial<ImportReport>): ImportReport => ({
  dryRun: false,
  prune: false,
  ok: true,
  problems: [],
  actions: [],
  summary: { created: 0, updated: 0, unchanged: 0, deleted: 0 },
  ...overrides,
});

describe('formatImportReport', () => {
  const sut = formatImportReport;

  it('should list every create, update and delete, then the unchanged count', () => {
    const text = sut(
      report({
        actions: [
          { kind: 'team', id: 'web-shop', action: 'create', source: 'teams/web-shop.yaml' },
          { kind: 'team', id: 'ecommerce', action: 'unchanged', source: 'teams/ecommerce.yaml' },
          { kind: 'dataproduct', id: 'shop-orders', action: 'update', source: 'p.yaml' },
          { kind: 'datacontract', id: 'old_v1', action: 'delete' },
        ],
        summary: { created: 1, updated: 1, unchanged: 1, deleted: 1 },
      }),
    );
    expect(text.split('\n')).toEqual([
      'create team web-shop (teams/web-shop.yaml)',
      'update data product shop-orders (p.yaml)',
      'delete data contract old_v1',
      '1 unchanged',
      'applied: 1 created, 1 updated, 1 deleted',
    ]);
  });

  it('should say that a dry run wrote nothing', () => {
    const text = sut(
      report({
        dryRun: true,
        actions: [{ kind: 'team', id: 'logistics', action: 'create' }],
        summary: { created: 1, updated: 0, unchanged: 0, deleted: 0 },
      }),
    );
    expect(text).toMatch(
      /^create team logistics\n0 unchanged\ndry run \(1 created.*\): nothing written$/,
    );
  });

  it('should say that there was nothing to write when everything is unchanged', () => {
    const text = sut(
      report({
        actions: [{ kind: 'team', id: 'logistics', action: 'unchanged' }],
        summary: { created: 0, updated: 0, unchanged: 1, deleted: 0 },
      }),
    );
    expect(text).toBe('1 unchanged\nunchanged: nothing to write');
  });

  it('should list every problem as file: path: message and no actions', () => {
    const text = sut(
      report({
        ok: false,
        problems: [
          { source: 'teams/a.yaml', path: 'line 3, column 1', message: 'invalid YAML: bad' },
          { source: 'p.yaml', path: '$.outputPorts[0].name', message: 'is required' },
          { path: '$', message: 'prune cannot delete team "x"' },
        ],
        actions: [{ kind: 'team', id: 'b', action: 'create' }],
      }),
    );
    expect(text.split('\n')).toEqual([
      'teams/a.yaml: line 3, column 1: invalid YAML: bad',
      'p.yaml: $.outputPorts[0].name: is required',
      '$: prune cannot delete team "x"',
      '3 problems: nothing written',
    ]);
  });
});
