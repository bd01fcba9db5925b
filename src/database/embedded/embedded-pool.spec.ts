import { EmbeddedPool } from 'src/database/embedded/embedded-pool';

describe('EmbeddedPool', () => {
  let pool: EmbeddedPool;

  beforeAll(() => {
    pool = new EmbeddedPool({});
  });

  afterAll(async () => {
    await pool.end();
  });

  it("should answer a prepared statement's rows as objects, or as arrays with rowMode 'array' (as pg does)", async () => {
    const text = 'SELECT $1::int AS one, $2::text AS two';
    await expect(pool.query({ text }, [1, 'b'])).resolves.toMatchObject({
      rows: [{ one: 1, two: 'b' }],
      command: 'SELECT',
    });
    await expect(pool.query({ text, rowMode: 'array' }, [1, 'b'])).resolves.toMatchObject({
      rows: [[1, 'b']],
    });
    await expect(
      pool.query({ text: 'SELECT 1 AS one, 2 AS two', rowMode: 'array' }),
    ).resolves.toMatchObject({ rows: [[1, 2]] });
  });

  it('should run a plain text without parameters as a script and answer its last result', async () => {
    await expect(pool.query('SELECT 1 AS one; SELECT 2 AS two')).resolves.toMatchObject({
      rows: [{ two: 2 }],
    });
  });
});
