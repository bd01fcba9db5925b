import { Brackets, EntityManager } from 'typeorm';
import type { UserPrincipal } from 'src/auth/principal';
import { DomainError, invalidArgument } from 'src/common/errors/domain-error';
import { oneOf } from 'src/catalog/access-rules';
import { requireRef, teamAndDescendants } from 'src/catalog/catalog-lookup';
import { toSummaries } from 'src/catalog/data-products.mapper';
import { DataProductsService } from 'src/catalog/data-products.service';
import type {
  SearchDataProductsInput,
  SearchDataProductsResult,
} from 'src/catalog/dto/data-products.dto';
import { Certification, DATA_PRODUCT_STATUSES, DataProduct } from 'src/catalog/entities';
import { nextCursor, parsePage } from 'src/catalog/pagination';
import { demoPrincipal, DemoPerson } from 'test/factories/catalog.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

/**
 * The search as it was built before it became one statement: a query builder for the products, then
 * one query each for their teams, certifications and output ports. The one-statement search must
 * answer exactly what this answers (same JSON text, so the same fields in the same order) and fail
 * with the same errors.
 */
async function referenceSearch(
  m: EntityManager,
  principal: UserPrincipal,
  input: SearchDataProductsInput,
): Promise<SearchDataProductsResult> {
  const query = typeof input.query === 'string' ? input.query.trim() : '';
  const queryProblem = !query
    ? 'query is required: pass words to look for, or "*" for all'
    : query.length > 200 && 'query must be at most 200 characters';
  if (queryProblem) throw invalidArgument(queryProblem);
  const page = parsePage(input.limit, input.cursor);
  const org = principal.organizationId;
  const qb = m
    .createQueryBuilder(DataProduct, 'p')
    .leftJoin(
      Certification,
      'c',
      'c.id = p.certification_id AND c.organization_id = p.organization_id',
    )
    .where('p.organization_id = :org', { org });
  const status = input.status ?? 'active';
  if (status !== '*') {
    qb.andWhere('p.status = :status', { status: oneOf(status, DATA_PRODUCT_STATUSES, 'status') });
  }
  if (input.teamId !== undefined) {
    const teamIds = await teamAndDescendants(m, org, requireRef(input.teamId, 'teamId'));
    qb.andWhere('p.owner_team_id IN (:...teamIds)', { teamIds });
  }
  if (input.tag !== undefined) {
    qb.andWhere(
      'EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags) AS t(tag) WHERE lower(t.tag) = lower(:tag))',
      { tag: requireRef(input.tag, 'tag') },
    );
  }
  if (query !== '*') {
    query
      .split(/\s+/)
      .slice(0, 10)
      .forEach((word, i) => {
        const key = `w${i}`;
        qb.andWhere(
          new Brackets((w) =>
            w
              .where(`p.name ILIKE :${key}`)
              .orWhere(`p.external_id ILIKE :${key}`)
              .orWhere(
                `concat_ws(' ', p.description->>'purpose', p.description->>'usage', p.description->>'limitations') ILIKE :${key}`,
              )
              .orWhere(
                `EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.tags) AS pt(tag) WHERE pt.tag ILIKE :${key})`,
              )
              .orWhere(
                `EXISTS (SELECT 1 FROM output_ports op WHERE op.organization_id = p.organization_id AND op.data_product_id = p.id AND (op.external_id ILIKE :${key} OR op.name ILIKE :${key}))`,
              ),
          ),
          { [key]: `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%` },
        );
      });
  }
  const rows = await qb
    .orderBy('c.rank', 'ASC', 'NULLS LAST')
    .addOrderBy('p.name', 'ASC')
    .addOrderBy('p.id', 'ASC')
    .offset(page.offset)
    .limit(page.limit + 1)
    .getMany();
  const results = await toSummaries(m, org, rows.slice(0, page.limit));
  const cursor = nextCursor(page, rows.length);
  return cursor ? { results, nextCursor: cursor } : { results };
}

/** The JSON text of an answer, or the code and message of its error. */
async function outcome(run: () => Promise<SearchDataProductsResult>): Promise<string> {
  try {
    return JSON.stringify(await run());
  } catch (err) {
    if (err instanceof DomainError) return `error ${err.code}: ${err.message}`;
    throw err;
  }
}

describe('catalog search: one statement, the same answers (e2e)', () => {
  let t: TestApp;
  let products: DataProductsService;
  let people: Record<'carol' | 'erin', UserPrincipal>;

  /**
   * Beyond the demo data: a grandchild team of Sales owning uncertified products without ports (two
   * with the same name, ordered by id), LIKE wildcards in a description, a cycle of parent teams, and
   * a Globex team with the external id and a product name of Acme's, so a leak would show.
   */
  async function addRows(): Promise<void> {
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    const [acme] = await q(`SELECT id FROM organizations WHERE slug = 'acme'`);
    const [globex] = await q(`SELECT id FROM organizations WHERE slug = 'globex'`);
    const team = async (org: string, externalId: string, parent: string | null) => {
      const [row] = await q(
        `INSERT INTO teams (organization_id, external_id, name, type, parent_team_id)
         VALUES ($1, $2, initcap($2), 'Team',
                 (SELECT id FROM teams WHERE organization_id = $1 AND external_id = $3))
         RETURNING id`,
        [org, externalId, parent],
      );
      return row.id as string;
    };
    const product = (
      org: string,
      externalId: string,
      name: string,
      owner: string,
      extra: { status?: string; tags?: string[]; description?: object; cert?: string } = {},
    ) =>
      q(
        `INSERT INTO data_products (organization_id, external_id, name, status, owner_team_id,
                                    description, tags, certification_id)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb,
                 (SELECT id FROM certifications WHERE organization_id = $1 AND name = $8))
         RETURNING id`,
        [
          org,
          externalId,
          name,
          extra.status ?? 'active',
          owner,
          JSON.stringify(extra.description ?? {}),
          JSON.stringify(extra.tags ?? []),
          extra.cert ?? null,
        ],
      );
    const web = await team(acme.id, 'checkout-web', 'checkout');
    await product(acme.id, 'web-clicks', 'Web Clicks', web, {
      tags: ['Clickstream', 'web'],
      description: { usage: 'Rates of 50%_off banners', purpose: 'Clicks per page' },
    });
    await product(acme.id, 'web-clicks-b', 'Web Clicks', web, { status: 'draft' });
    await product(acme.id, 'web-clicks-c', 'Web Clicks', web, { status: 'draft' });
    const loopA = await team(acme.id, 'loop-a', null);
    const loopB = await team(acme.id, 'loop-b', 'loop-a');
    await q(`UPDATE teams SET parent_team_id = $1 WHERE id = $2`, [loopB, loopA]);
    await product(acme.id, 'looped', 'Looped Orders', loopB, { cert: 'Bronze', tags: ['web'] });
    const globexSales = await team(globex.id, 'sales', null);
    await product(globex.id, 'globex-orders', 'Orders', globexSales, { cert: 'Gold' });
  }

  beforeAll(async () => {
    t = await startTestApp();
    products = t.app.get(DataProductsService);
    const who = async (p: DemoPerson) => demoPrincipal(t.app, p);
    people = { carol: await who('carol'), erin: await who('erin') };
    await addRows();
  });
  afterAll(async () => {
    await t.close();
  });

  const same = async (principal: UserPrincipal, input: SearchDataProductsInput) => {
    const expected = await outcome(() => referenceSearch(t.dataSource.manager, principal, input));
    const actual = await outcome(() => products.search(principal, input));
    expect({ input, answer: actual }).toEqual({ input, answer: expected });
    return actual;
  };

  it('should answer every combination of words, status, team and tag as before', async () => {
    const [sales] = await t.dataSource.query(
      `SELECT t.id FROM teams t JOIN organizations o ON o.id = t.organization_id
        WHERE o.slug = 'acme' AND t.external_id = 'sales'`,
    );
    const queries = [
      '*',
      'orders',
      'ORDERS npii',
      'cust  order',
      'web clicks',
      '50%_',
      '%',
      'o o o o o o o o o o zzz',
    ];
    const statuses = [undefined, '*', 'draft'];
    const teamIds = [undefined, 'sales', 'loop-a', String(sales.id).toUpperCase(), 'payments'];
    const tags = [undefined, 'WEB'];
    let nonEmpty = 0;
    for (const principal of Object.values(people)) {
      for (const query of queries) {
        for (const status of statuses) {
          for (const teamId of teamIds) {
            for (const tag of tags) {
              const answer = await same(principal, { query, status, teamId, tag });
              if (answer.includes('"id"')) nonEmpty++;
            }
          }
        }
      }
    }
    // The matrix is only worth something if many of its answers are not empty.
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it('should page through the same results as before, with the same cursors', async () => {
    for (const principal of Object.values(people)) {
      for (const input of [
        { query: '*', status: '*' },
        { query: 'o', status: '*' },
        { query: '*', teamId: 'sales', status: '*' },
      ]) {
        for (const limit of [1, 2, 3]) {
          let cursor: string | undefined;
          let pages = 0;
          do {
            const answer = JSON.parse(await same(principal, { ...input, limit, cursor })) as {
              nextCursor?: string;
            };
            cursor = answer.nextCursor;
            pages++;
          } while (cursor && pages < 20);
          expect(cursor).toBeUndefined();
        }
      }
    }
  });

  it('should refuse bad arguments with the same errors as before', async () => {
    const { carol } = people;
    for (const input of [
      { query: '' },
      { query: '   ' },
      { query: 7 as unknown as string },
      { query: 'x'.repeat(201) },
      { query: '*', limit: 0 },
      { query: '*', limit: 101 },
      { query: '*', limit: 1.5 },
      { query: '*', cursor: 'not-a-cursor' },
      { query: '*', cursor: Buffer.from('{"o":-1}').toString('base64url') },
      { query: '*', status: 'live' },
      { query: '*', status: '' },
      { query: '*', teamId: '' },
      { query: '*', teamId: 'x'.repeat(201) },
      { query: '*', teamId: 'nope' },
      { query: '*', teamId: 'checkout', tag: ' ' },
      { query: '*', teamId: 'nope', tag: ' ' },
      { query: '*', tag: 'x'.repeat(201) },
      { query: '*', status: 'live', teamId: 'nope' },
    ]) {
      const answer = await same(carol, input);
      expect(answer).toMatch(/^error /);
    }
  });

  it('should read the database once per search, with one named statement per combination of filters', async () => {
    const logged = jest.spyOn(t.dataSource.logger, 'logQuery');
    const names: string[] = [];
    try {
      for (const input of [
        { query: '*' },
        { query: 'orders npii', status: '*', tag: 'sales' },
        { query: '*', teamId: 'sales', limit: 1 },
        { query: '*', teamId: 'nope' },
        { query: 'orders' },
      ]) {
        logged.mockClear();
        await products.search(people.carol, input).catch(() => undefined);
        // Only catalog queries: a background task may query its own tables meanwhile.
        const catalog = logged.mock.calls
          .map(([query]) => query as unknown)
          .filter((query) =>
            /\b(data_products|teams|certifications|output_ports)\b/.test(
              typeof query === 'string' ? query : (query as { text: string }).text,
            ),
          );
        expect(catalog).toHaveLength(1);
        const statement = catalog[0] as { name: string; text: string };
        expect(statement.name).toMatch(/^catalog_search_products_[01]{4}$/);
        expect(statement.text).not.toMatch(/IS NULL OR/);
        // Rows as arrays: pg builds no object per row (toSearchSummary reads the columns by position).
        expect(statement).toMatchObject({ rowMode: 'array' });
        names.push(statement.name);
      }
      // The two team searches share a statement; every other combination has its own.
      expect(names[2]).toBe(names[3]);
      expect(new Set(names).size).toBe(4);
    } finally {
      logged.mockRestore();
    }
  });
});
