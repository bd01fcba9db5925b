import { contractTables } from 'src/catalog/documents/odcs-tables';

describe('contractTables', () => {
  it('should prefer physicalName over name', () => {
    const sut = contractTables({
      schema: [{ name: 'Orders', physicalName: 'orders_v1' }, { name: 'line_items' }],
    });
    expect(sut).toEqual(['orders_v1', 'line_items']);
  });

  it('should skip entries without a usable name and list duplicates once', () => {
    const sut = contractTables({
      schema: [{ name: 'a' }, 'b', null, { physicalName: '' }, { name: 'a' }, { name: ' ' }],
    });
    expect(sut).toEqual(['a']);
  });

  it('should give no tables when schema is missing or not a list', () => {
    expect(contractTables({})).toEqual([]);
    expect(contractTables({ schema: { name: 'x' } })).toEqual([]);
  });
});
