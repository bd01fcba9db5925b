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

  it('should refuse a name already used for another text (pg would refuse it per connection)', () => {
    preparedStatement('spec_twice', 'SELECT 1');
    expect(preparedStatement('spec_twice', 'SELECT 1').text).toBe('SELECT 1');
    expect(() => preparedStatement('spec_twice', 'SELECT 2')).toThrow(/another text/);
  });
});
