import request from 'supertest';
import { parse, stringify } from 'yaml';
import { AuditService } from 'src/audit/audit.service';
import { readDataProduct } from 'src/catalog/documents/data-product.document';
import { demoKey } from 'test/factories/demo.factory';
import { connectMcp } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

const team = (overrides: Record<string, unknown> = {}) => ({
  id: 'returns',
  name: 'Returns',
  type: 'Team',
  parent: 'sales',
  description: 'Handles returned orders.',
  members: [{ emailAddress: 'bob@acme.example', role: 'Editor' }],
  tags: ['returns'],
  links: { wiki: 'https://wiki.acme.example/returns' },
  'x-unknown': { kept: [1, 'two', { three: true }] },
  ...overrides,
});

const contract = (overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'returns_v1_contract',
  name: 'Returns',
  version: '1.0.0',
  status: 'active',
  team: { name: 'returns' },
  description: { purpose: 'One row per returned order line' },
  schema: [
    {
      name: 'returns',
      properties: [
        { name: 'order_id', logicalType: 'string', required: true },
        { name: 'returned_at', logicalType: 'timestamp' },
      ],
    },
  ],
  ...overrides,
});

const product = (overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'v1.0.0',
  kind: 'DataProduct',
  id: 'returns',
  name: 'Returned Orders',
  version: '1.0.0',
  status: 'active',
  description: { purpose: 'Every returned order line, with the reason for the return' },
  tags: ['returns', 'sales'],
  team: { name: 'returns' },
  customProperties: [
    { property: 'archetype', value: 'source-aligned' },
    { property: 'certification', value: 'Platinum' },
  ],
  inputPorts: [{ name: 'orders', version: '1.0.0', contractId: 'orders_npii_v1_contract' }],
  outputPorts: [
    {
      name: 'returns_v1',
      description: 'Returns v1',
      type: 'postgres',
      version: '1.0.0',
      contractId: 'returns_v1_contract',
      customProperties: [
        { property: 'status', value: 'active' },
        { property: 'autoApprove', value: true },
        { property: 'containsPii', value: false },
      ],
      'x-port-extra': 'kept',
    },
  ],
  support: [{ channel: 'returns-help', url: 'https://chat.acme.example/returns' }],
  'x-unknown-top': { any: ['thing'] },
  ...overrides,
});

describe('Catalog REST API: documents (e2e)', () => {
  let t: TestApp;
  let alice: string;
  const api = () => request(t.url);

  beforeAll(async () => {
    t = await startTestApp({ AUTH_CACHE_TTL_MS: '0' });
    alice = await demoKey(t.app, 'alice@acme.example', 'acme');
  });
  afterAll(async () => {
    await t.close();
  });

  const audit = async (type: string): Promise<Array<Record<string, any>>> => {
    await t.app.get(AuditService).flush();
    return t.dataSource.query(
      `SELECT target_type, details FROM audit_events WHERE type = $1 ORDER BY created_at, id`,
      [type],
    );
  };

  const putYaml = (path: string, text: string) =>
    api()
      .put(path)
      .set('x-api-key', alice)
      .set('content-type', 'application/yaml; charset=utf-8')
      .send(text);

  it('should create, read (JSON and YAML), replace, list and delete a team, keeping unknown fields', async () => {
    const created = await api()
      .put('/api/v1/teams/returns')
      .set('x-api-key', alice)
      .send(team())
      .expect(201);
    expect(created.body).toEqual(team());
    const etag = created.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);

    const got = await api().get('/api/v1/teams/returns').set('x-api-key', alice).expect(200);
    expect(got.body).toEqual(team());
    expect(got.headers.etag).toBe(etag);
    const yaml = await api()
      .get('/api/v1/teams/returns')
      .set('x-api-key', alice)
      .set('accept', 'application/yaml')
      .expect(200);
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parse(yaml.text)).toEqual(team());
    expect(yaml.headers.etag).toBe(etag);

    const same = await api()
      .put('/api/v1/teams/returns')
      .set('x-api-key', alice)
      .send(team())
      .expect(200);
    expect(same.headers.etag).toBe(etag);
    const replaced = await api()
      .put('/api/v1/teams/returns')
      .set('x-api-key', alice)
      .set('content-type', 'application/yaml')
      .send(stringify(team({ name: 'Returns & Refunds' })))
      .expect(200);
    expect(replaced.headers.etag).not.toBe(etag);
    const rows = await t.dataSource.query(
      `SELECT t.name, p.external_id AS parent FROM teams t JOIN teams p ON p.id = t.parent_team_id WHERE t.external_id = 'returns'`,
    );
    expect(rows).toEqual([{ name: 'Returns & Refunds', parent: 'sales' }]);
    const members = await t.dataSource.query(
      `SELECT u.email, tm.role FROM team_members tm JOIN users u ON u.id = tm.user_id JOIN teams t ON t.id = tm.team_id WHERE t.external_id = 'returns'`,
    );
    expect(members).toEqual([{ email: 'bob@acme.example', role: 'editor' }]);

    const list = await api().get('/api/v1/teams?q=refunds').set('x-api-key', alice).expect(200);
    expect(list.body).toEqual({ items: [team({ name: 'Returns & Refunds' })] });
    const sales = await api()
      .get('/api/v1/teams?teamId=sales&limit=2')
      .set('x-api-key', alice)
      .expect(200);
    expect(sales.body.items.map((x: { id: string }) => x.id)).toEqual(['checkout', 'marketing']);
    const next = await api()
      .get(`/api/v1/teams?teamId=sales&limit=2&cursor=${sales.body.nextCursor}`)
      .set('x-api-key', alice)
      .expect(200);
    expect(next.body.items.map((x: { id: string }) => x.id)).toEqual(['returns', 'sales']);
    expect(next.body.nextCursor).toBeUndefined();

    const events = await audit('catalog.team.updated');
    expect(events).toEqual([
      {
        target_type: 'team',
        details: { id: 'returns', before: etag, after: replaced.headers.etag },
      },
    ]);
    expect((await audit('catalog.team.created')).map((e) => e.details)).toEqual([
      { id: 'returns', before: null, after: etag },
    ]);
  });

  it('should create a contract and a product in YAML and JSON, and the MCP tools see them at once', async () => {
    await api()
      .put('/api/v1/datacontracts/returns_v1_contract')
      .set('x-api-key', alice)
      .send(contract())
      .expect(201);
    const put = await api()
      .put('/api/v1/dataproducts/returns')
      .set('x-api-key', alice)
      .set('content-type', 'application/yaml')
      .send(stringify(product()))
      .expect(201);
    expect(put.body).toEqual(product());
    const got = await api().get('/api/v1/dataproducts/returns').set('x-api-key', alice).expect(200);
    expect(got.body).toEqual(product());

    const mcp = await connectMcp(t.url, { 'x-api-key': alice });
    try {
      await mcp.listTools();
      const search = await mcp.callTool({ name: 'search', arguments: { query: 'returned' } });
      expect(search.structuredContent).toMatchObject({
        results: [
          {
            id: 'returns',
            name: 'Returned Orders',
            ownerTeam: { id: 'returns' },
            certification: { name: 'Platinum', rank: 100 },
            outputPorts: [{ id: 'returns_v1', type: 'postgres', status: 'active' }],
          },
        ],
      });
      const fetched = await mcp.callTool({
        name: 'fetch',
        arguments: { dataProductId: 'returns' },
      });
      expect(fetched.structuredContent).toMatchObject({
        archetype: 'source-aligned',
        inputPorts: [{ sourceDataProductId: 'orders', sourceOutputPortId: 'orders_npii_v1' }],
        outputPorts: [
          { id: 'returns_v1', autoApprove: true, dataContract: { id: 'returns_v1_contract' } },
        ],
      });

      await api()
        .put('/api/v1/dataproducts/returns')
        .set('x-api-key', alice)
        .set('if-match', put.headers.etag)
        .send(product({ name: 'Order Returns', status: 'draft' }))
        .expect(200);
      const after = await mcp.callTool({
        name: 'search',
        arguments: { query: 'returns', status: 'draft' },
      });
      expect(after.structuredContent).toMatchObject({
        results: [{ id: 'returns', name: 'Order Returns' }],
      });
    } finally {
      await mcp.close();
    }
    const stale = await api()
      .put('/api/v1/dataproducts/returns')
      .set('x-api-key', alice)
      .set('if-match', put.headers.etag)
      .send(product({ name: 'Lost update' }))
      .expect(412);
    expect(stale.body).toMatchObject({ statusCode: 412, error: 'precondition_failed' });
    await api()
      .put('/api/v1/dataproducts/nothing-here')
      .set('x-api-key', alice)
      .set('if-match', '*')
      .send(product({ id: 'nothing-here' }))
      .expect(412);
    expect((await audit('catalog.data_product.updated')).map((e) => e.details)).toEqual([
      { id: 'returns', before: put.headers.etag, after: expect.any(String) },
    ]);
  });

  it('should keep a version row per contract version and replace a version PUT again with changes', async () => {
    await api()
      .put('/api/v1/datacontracts/returns_v1_contract')
      .set('x-api-key', alice)
      .send(contract({ description: { purpose: 'Changed under the same version' } }))
      .expect(200);
    await api()
      .put('/api/v1/datacontracts/returns_v1_contract')
      .set('x-api-key', alice)
      .set('content-type', 'application/x-yaml')
      .send(stringify(contract({ version: '1.1.0' })))
      .expect(200);
    const versions = await t.dataSource.query(
      `SELECT v.version, v.document->'description'->>'purpose' AS purpose FROM data_contract_versions v
         JOIN data_contracts c ON c.id = v.data_contract_id WHERE c.external_id = 'returns_v1_contract' ORDER BY v.version`,
    );
    expect(versions).toEqual([
      { version: '1.0.0', purpose: 'Changed under the same version' },
      { version: '1.1.0', purpose: 'One row per returned order line' },
    ]);
    const events = await audit('catalog.data_contract.updated');
    expect(events.map((e) => e.details.version)).toEqual(['1.0.0', '1.1.0']);
  });

  it('should answer 400 with every problem and its path, and write nothing', async () => {
    const bad = await api()
      .put('/api/v1/dataproducts/broken')
      .set('x-api-key', alice)
      .send(product({ id: 'broken', status: 'shiny', name: 42 }))
      .expect(400);
    expect(bad.body.error).toBe('invalid_argument');
    const paths = bad.body.details.problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.status', '$.name']));

    const rules = await api()
      .put('/api/v1/dataproducts/broken')
      .set('x-api-key', alice)
      .send(
        product({
          id: 'broken',
          team: { name: 'no-such-team' },
          outputPorts: [
            {
              name: 'broken_v1',
              type: 'postgres',
              version: '1.0.0',
              contractId: 'no-such-contract',
            },
          ],
        }),
      )
      .expect(400);
    expect(rules.body.details.problems).toEqual([
      { path: '$.team.name', message: 'owner team "no-such-team" does not exist' },
      {
        path: '$.outputPorts[0].contractId',
        message: 'data contract "no-such-contract" does not exist',
      },
    ]);
    const mismatch = await api()
      .put('/api/v1/teams/one-id')
      .set('x-api-key', alice)
      .send(
        team({
          id: 'another-id',
          members: [{ emailAddress: 'stranger@else.example', role: 'Owner' }],
        }),
      )
      .expect(400);
    expect(mismatch.body.details.problems.map((p: { path: string }) => p.path)).toContain('$.id');
    const stranger = await api()
      .put('/api/v1/teams/strangers')
      .set('x-api-key', alice)
      .send(
        team({
          id: 'strangers',
          members: [{ emailAddress: 'stranger@else.example', role: 'Owner' }],
        }),
      )
      .expect(400);
    expect(stranger.body.details.problems).toEqual([
      {
        path: '$.members[0].emailAddress',
        message: expect.stringMatching(/not a member of this organization/),
      },
    ]);
    const cycle = await api()
      .put('/api/v1/teams/sales')
      .set('x-api-key', alice)
      .send({ id: 'sales', name: 'Sales', type: 'Domain', parent: 'checkout' })
      .expect(400);
    expect(cycle.body.details.problems[0]).toMatchObject({
      path: '$.parent',
      message: expect.stringMatching(/cycle/),
    });

    const yaml = await api()
      .put('/api/v1/teams/yaml')
      .set('x-api-key', alice)
      .set('content-type', 'application/yaml')
      .send('id: yaml\nname: [unclosed\n')
      .expect(400);
    expect(yaml.body.message).toMatch(/line \d+/);
    const tagged = await api()
      .put('/api/v1/teams/yaml')
      .set('x-api-key', alice)
      .set('content-type', 'text/yaml')
      .send('id: yaml\nname: !!binary aGk=\n')
      .expect(400);
    expect(tagged.body.message).toMatch(/line 2.*not allowed/);
    const aliases = `a: &a [x]\nb: [${Array.from({ length: 60 }, () => '*a').join(', ')}]\n`;
    const bomb = await putYaml('/api/v1/teams/yaml', aliases).expect(400);
    expect(bomb.body.message).toMatch(/alias/i);
    const deep = await putYaml('/api/v1/teams/yaml', `id: ${'['.repeat(100)}${']'.repeat(100)}\n`);
    expect([deep.status, deep.body.message]).toEqual([400, 'YAML nested deeper than 64 levels']);
    const proto = await putYaml('/api/v1/teams/yaml', '__proto__: {admin: true}\nid: yaml\n');
    expect([proto.status, proto.body.message]).toEqual([
      400,
      'The YAML key "__proto__" is not allowed',
    ]);
    const count = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM data_products WHERE external_id = 'broken'`,
    );
    expect(count).toEqual([{ n: 0 }]);
  });

  it('should show a demo product (no stored document) as a valid ODPS document, and take it back unchanged as a no-op', async () => {
    const got = await api().get('/api/v1/dataproducts/orders').set('x-api-key', alice).expect(200);
    const read = readDataProduct(got.body, 'orders');
    expect(read.ok).toBe(true);
    expect(got.body).toMatchObject({
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: 'orders',
      team: { name: 'checkout' },
      outputPorts: expect.arrayContaining([expect.objectContaining({ name: 'orders_npii_v1' })]),
    });
    const back = await api()
      .put('/api/v1/dataproducts/orders')
      .set('x-api-key', alice)
      .send(got.body)
      .expect(200);
    expect(back.headers.etag).toBe(got.headers.etag);
    const rows = await t.dataSource.query(
      `SELECT document FROM data_products WHERE external_id = 'orders'`,
    );
    expect(rows).toEqual([{ document: null }]);
    expect(
      (await audit('catalog.data_product.updated')).filter((e) => e.details.id === 'orders'),
    ).toEqual([]);
  });

  it('should delete with If-Match: 412 for a stale ETag, 204 for the current one, then 404', async () => {
    await api()
      .put('/api/v1/teams/short-lived')
      .set('x-api-key', alice)
      .send(team({ id: 'short-lived' }))
      .expect(201);
    const current = await api()
      .get('/api/v1/teams/short-lived')
      .set('x-api-key', alice)
      .expect(200);
    await api()
      .delete('/api/v1/teams/short-lived')
      .set('x-api-key', alice)
      .set('if-match', '"stale"')
      .expect(412);
    await api()
      .delete('/api/v1/teams/short-lived')
      .set('x-api-key', alice)
      .set('if-match', current.headers.etag)
      .expect(204);
    await api().get('/api/v1/teams/short-lived').set('x-api-key', alice).expect(404);
    await api().delete('/api/v1/teams/short-lived').set('x-api-key', alice).expect(404);
    expect((await audit('catalog.team.deleted')).map((e) => e.details)).toEqual([
      { id: 'short-lived', before: current.headers.etag, after: null },
    ]);
  });

  it('should describe the API in Swagger with examples and YAML media types', async () => {
    const res = await api().get('/docs-json').expect(200);
    const paths = res.body.paths;
    for (const p of ['teams', 'dataproducts', 'datacontracts']) {
      expect(Object.keys(paths[`/api/v1/${p}`])).toEqual(['get']);
      expect(Object.keys(paths[`/api/v1/${p}/{id}`]).sort()).toEqual(['delete', 'get', 'put']);
      const put = paths[`/api/v1/${p}/{id}`].put;
      expect(Object.keys(put.requestBody.content).sort()).toEqual([
        'application/json',
        'application/yaml',
      ]);
      expect(Object.keys(put.responses).sort()).toEqual([
        '200',
        '201',
        '400',
        '401',
        '403',
        '409',
        '412',
      ]);
      expect(put.security).toEqual([{ 'api-key': [] }]);
    }
    const productPut = paths['/api/v1/dataproducts/{id}'].put;
    expect(
      productPut.requestBody.content['application/json'].examples.dataproduct.value,
    ).toMatchObject({
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
    });
    const contractPut = paths['/api/v1/datacontracts/{id}'].put;
    expect(
      contractPut.requestBody.content['application/yaml'].examples.datacontract.value,
    ).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
    });
  });
});
