import { detectKind } from 'src/catalog/documents/detect-kind';
import { loadDocument } from 'test/fixtures/catalog-documents/catalog-fixtures';

describe('detectKind', () => {
  it.each([
    ['full-product.odps.yaml', 'dataproduct'],
    ['full-contract.odcs.yaml', 'datacontract'],
    ['contract-v3.0.2.odcs.yaml', 'datacontract'],
    ['full-team.team.yaml', 'team'],
  ])('should tell the kind of %s', (file, kind) => {
    expect(detectKind(loadDocument(file))).toBe(kind);
  });

  it('should take a document without kind and apiVersion that has a team type as a team', () => {
    expect(detectKind({ id: 'sales', name: 'Sales', type: 'Domain' })).toBe('team');
  });

  it.each([
    ['a scalar', 'kind: DataProduct'],
    ['a list', [{ kind: 'DataProduct' }]],
    ['null', null],
    ['another kind', { kind: 'Dataset' }],
    ['a type that is not a team type', { id: 'x', type: 'Squad' }],
    ['a team type beside an apiVersion', { apiVersion: 'v1.0.0', type: 'Team' }],
    ['an unknown kind with a team type', { kind: 'Policy', type: 'Team' }],
  ])('should not guess a kind for %s', (_case, body) => {
    expect(detectKind(body)).toBeNull();
  });
});
