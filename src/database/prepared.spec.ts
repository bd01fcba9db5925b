import { preparedStatement, queryPrepared } from 'src/database/prepared';

describe('preparedStatement', () => {
  it('should hand TypeORM the name and text untouched, with the parameters', async () => {
    const statement = preparedStatement('spec_select_one', 'SELECT $1::int AS one');
    const query = jest.fn().mockResolvedValue([{ one: 1 }]);
    await expect(queryPrepared({ query }, statement, [1])).resolves.toEqual([{ one: 1 }]);
    expect(query).toHaveBeenCalledWith(
      { name: 'spec_select_one', text: 'SELECT $1::int AS one' },
      [1],
    );
  });

  it("should hand the driver a row mode 'array' with the statement, and leave it out otherwise", async () => {
    const statement = preparedStatement('spec_rows_as_arrays', 'SELECT 1 AS one, 2 AS two', {
      rowMode: 'array',
    });
    const query = jest.fn().mockResolvedValue([[1, 2]]);
    await expect(queryPrepared({ query }, statement, [])).resolves.toEqual([[1, 2]]);
    expect(query).toHaveBeenCalledWith(
      { name: 'spec_rows_as_arrays', text: 'SELECT 1 AS one, 2 AS two', rowMode: 'array' },
      [],
    );
    expect(Object.isFrozen(statement)).toBe(true);
    expect('rowMode' in preparedStatement('spec_rows_as_objects', 'SELECT 1')).toBe(false);
  });

  it('should refuse a name already used for another text (pg would refuse it per connection)', () => {
    preparedStatement('spec_twice', 'SELECT 1');
    expect(preparedStatement('spec_twice', 'SELECT 1').text).toBe('SELECT 1');
    expect(() => preparedStatement('spec_twice', 'SELECT 2')).toThrow(/another text/);
  });
});
