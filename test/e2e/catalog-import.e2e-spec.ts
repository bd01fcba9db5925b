import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { parse } from 'yaml';
import { systemPrincipal } from 'src/auth/principal';
import { CatalogImportService } from 'src/catalog/import/catalog-import.service';
import { UsersService } from 'src/users/users.service';
import {
  addMember,
  createOrganization,
  createOrganizationKey,
  createUserKey,
} from 'test/factories/identity.factory';
import { connectMcp } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

/**
 * `POST /api/v1/catalog/import` as a CI pipeline calls it: the shipped example catalog as a JSON
 * bundle, a tar.gz made by GNU tar and a multipart upload, into a fresh organization whose people
 * are the demo's alice, bob, carol and dave.
 */

const EXAMPLES = join(__dirname, '../../examples/catalog');

/** The example files, relative to the folder: `teams/web-shop.yaml` → its text. */
function exampleFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of readdirSync(EXAMPLES)) {
    for (const name of readdirSync(join(EXAMPLES, folder))) {
      files.set(`${folder}/${name}`, readFileSync(join(EXAMPLES, folder, name), 'utf8'));
    }
  }
  return files;
}

const bundle = (files: Map<string, string>) => ({
  documents: [...files.values()].map((text) => parse(text) as unknown),
});

const tarGz = (dir: string): Buffer => execFileSync('tar', ['-czf', '-', '-C', dir, '.']);

function multipart(files: Map<string, string>): FormData {
  const form = new FormData();
  for (const [name, text] of files) form.append('files', new Blob([text]), name);
  return form;
}

interface Report {
  dryRun: boolean;
  prune: boolean;
  ok: boolean;
  problems: Array<{ source?: string; path: string; message: string }>;
  actions: Array<{ kind: string; id: string; action: string; source?: string }>;
  summary: { created: number; updated: number; unchanged: number; deleted: number };
}

const ALL_IDS = [
  'datacontract:parcel_deliveries_v1_contract',
  'datacontract:shop_orders_v1_contract',
  'datacontract:shop_revenue_daily_v1_contract',
  'dataproduct:parcel-deliveries',
  'dataproduct:shop-orders',
  'dataproduct:shop-revenue-daily',
  'team:ecommerce',
  'team:logistics',
  'team:web-shop',
];

describe('POST /api/v1/catalog/import (e2e)', () => {
  /** The catalog folder as the repository holds it now (the tests change it as a team would). */
  const repo = exampleFiles();
  const current = () => new Map(repo);
  let t: TestApp;
  let org: { id: string; slug: string };
  let orgKey: string;
  let aliceKey: string;
  let carolKey: string;
  let carolReadOnlyKey: string;
  let mcp: Client | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t.app, 'import');
    const keyOf = async (email: string, role: 'owner' | 'member', readOnly = false) => {
      const user = await t.app.get(UsersService).findByEmail(email);
      if (!user) throw new Error(`demo user ${email} missing`);
      if (!readOnly) await addMember(t.app, org.slug, email, role);
      return (await createUserKey(t.app, org.id, user.id, { readOnly })).key;
    };
    aliceKey = await keyOf('alice@acme.example', 'owner');
    await keyOf('bob@acme.example', 'member');
    await keyOf('dave@acme.example', 'member');
    carolKey = await keyOf('carol@acme.example', 'member');
    carolReadOnlyKey = await keyOf('carol@acme.example', 'member', true);
    orgKey = (await createOrganizationKey(t.app, org.id)).key;
  });

  afterAll(async () => {
    await mcp?.close();
    await t.close();
  });

  const post = (
    body: NonNullable<RequestInit['body']>,
    options: { key?: string; type?: string; query?: string } = {},
  ): Promise<Response> =>
    fetch(`${t.url}/api/v1/catalog/import${options.query ? `?${options.query}` : ''}`, {
      method: 'POST',
      headers: {
        ...(options.key === '' ? {} : { 'x-api-key': options.key ?? orgKey }),
        ...(options.type ? { 'content-type': options.type } : {}),
      },
      body,
    });
  const postJson = (value: unknown, options: { key?: string; query?: string } = {}) =>
    post(JSON.stringify(value), { ...options, type: 'application/json' });

  const report = async (res: Response, status: number): Promise<Report> => {
    const body = (await res.json()) as Report;
    expect({ status: res.status, body }).toMatchObject({ status });
    return body;
  };
  const ids = (r: Report, action?: string) =>
    r.actions
      .filter((a) => !action || a.action === action)
      .map((a) => `${a.kind}:${a.id}`)
      .sort();

  /** What the organization's catalog holds, down to each row's last change. */
  const catalogState = async () => {
    const rows = (sql: string) => t.dataSource.query(sql, [org.id]);
    return {
      teams: await rows(
        `SELECT external_id, type, parent_team_id, created_at FROM teams WHERE organization_id = $1 ORDER BY external_id`,
      ),
      members: await rows(
        `SELECT t.external_id, u.email, m.role FROM team_members m JOIN teams t ON t.id = m.team_id
           JOIN users u ON u.id = m.user_id WHERE t.organization_id = $1 ORDER BY 1, 2`,
      ),
      products: await rows(
        `SELECT external_id, status, updated_at FROM data_products WHERE organization_id = $1 ORDER BY external_id`,
      ),
      contracts: await rows(
        `SELECT c.external_id, c.version, c.updated_at, (SELECT count(*) FROM data_contract_versions v
            WHERE v.data_contract_id = c.id) AS versions
           FROM data_contracts c WHERE c.organization_id = $1 ORDER BY c.external_id`,
      ),
      ports: await rows(
        `SELECT p.external_id, p.type, p.server, p.auto_approve FROM output_ports p
           JOIN data_products d ON d.id = p.data_product_id WHERE d.organization_id = $1 ORDER BY 1`,
      ),
    };
  };

  it('should refuse a request without a credential, and a read-only credential', async () => {
    expect(t.database).toBe(process.env.E2E_PG_SERVER_URL ? 'postgres' : 'embedded');
    const anonymous = await postJson(bundle(current()), { key: '' });
    expect(anonymous.status).toBe(401);
    const readOnly = await postJson(bundle(current()), { key: carolReadOnlyKey });
    expect(readOnly.status).toBe(403);
    expect((await catalogState()).teams).toEqual([]);
  });

  it('should list what a member who owns no team may not write, and write nothing', async () => {
    const r = await report(await postJson(bundle(current()), { key: carolKey }), 400);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual({
      source: expect.stringMatching(/^documents\[\d+\]$/),
      path: '$',
      message: 'Only organization owners and admins can change teams',
    });
    expect((await catalogState()).teams).toEqual([]);
  });

  it('should report what a dry run would create and write nothing', async () => {
    const r = await report(await postJson(bundle(current()), { query: 'dryRun=true' }), 200);
    expect(r).toMatchObject({ dryRun: true, ok: true, problems: [] });
    expect(ids(r, 'create')).toEqual(ALL_IDS);
    expect(r.summary).toEqual({ created: 9, updated: 0, unchanged: 0, deleted: 0 });
    const state = await catalogState();
    expect([state.teams, state.products, state.contracts]).toEqual([[], [], []]);
  });

  it('should import a tar.gz of the example folder with an organization key', async () => {
    const r = await report(await post(tarGz(EXAMPLES), { type: 'application/gzip' }), 200);
    expect(r).toMatchObject({ dryRun: false, ok: true, problems: [] });
    expect(ids(r, 'create')).toEqual(ALL_IDS);
    expect(r.actions.find((a) => a.id === 'shop-orders')?.source).toBe(
      'dataproducts/shop-orders.yaml',
    );
    const state = await catalogState();
    expect(state.teams.map((x: { external_id: string }) => x.external_id)).toEqual([
      'ecommerce',
      'logistics',
      'web-shop',
    ]);
    expect(state.members).toContainEqual({
      external_id: 'web-shop',
      email: 'bob@acme.example',
      role: 'editor',
    });
    expect(state.ports).toContainEqual({
      external_id: 'shop_orders_v1',
      type: 'postgres',
      auto_approve: true,
      server: {
        server: 'warehouse',
        type: 'postgres',
        host: 'localhost',
        port: 5432,
        database: 'warehouse',
        schema: 'shop',
      },
    });
  });

  it('should let the MCP search tool find an imported product at once', async () => {
    mcp = await connectMcp(t.url, { 'x-api-key': carolKey });
    await mcp.listTools();
    const result = await mcp.callTool({ name: 'search', arguments: { query: 'shop orders' } });
    expect(result.isError).toBeFalsy();
    const found = (result.structuredContent as { results: Array<Record<string, unknown>> }).results;
    expect(found.map((p) => p.id)).toContain('shop-orders');
    expect(found.find((p) => p.id === 'shop-orders')).toMatchObject({
      ownerTeam: expect.objectContaining({ id: 'web-shop' }),
    });
  });

  it('should report a re-import as unchanged and write nothing (JSON bundle, owner key)', async () => {
    const before = await catalogState();
    const r = await report(await postJson(bundle(current()), { key: aliceKey }), 200);
    expect(r).toMatchObject({ ok: true, problems: [] });
    expect(r.summary).toEqual({ created: 0, updated: 0, unchanged: 9, deleted: 0 });
    expect(ids(r, 'unchanged')).toEqual(ALL_IDS);
    expect(await catalogState()).toEqual(before);
  });

  it('should update only the changed document of a multipart upload', async () => {
    const before = await catalogState();
    const path = 'dataproducts/shop-revenue-daily.yaml';
    repo.set(path, repo.get(path)!.replace('Management dashboards', 'Board dashboards'));
    const r = await report(await post(multipart(current())), 200);
    expect(r.summary).toEqual({ created: 0, updated: 1, unchanged: 8, deleted: 0 });
    expect(r.actions.find((a) => a.action === 'update')).toEqual({
      kind: 'dataproduct',
      id: 'shop-revenue-daily',
      action: 'update',
      source: path,
    });
    const after = await catalogState();
    const updatedAt = (s: typeof before, id: string) =>
      (s.products as Array<{ external_id: string; updated_at: Date }>).find(
        (p) => p.external_id === id,
      )?.updated_at;
    expect(updatedAt(after, 'shop-orders')).toEqual(updatedAt(before, 'shop-orders'));
    expect(updatedAt(after, 'shop-revenue-daily')).not.toEqual(
      updatedAt(before, 'shop-revenue-daily'),
    );
  });

  it('should list every problem with its file and path and apply nothing', async () => {
    const before = await catalogState();
    {
      const files = current();
      files.set('teams/new-team.yaml', 'id: new-team\nname: New\ntype: Team\n');
      files.set('teams/squad.yaml', 'id: squad\nname: Squad\ntype: Squad\n');
      files.set('dataproducts/broken.yaml', 'id: broken\nname: [unclosed\n');
      files.set('notes.yaml', 'kind: Pipeline\nid: nightly\n');
      files.set(
        'teams/ops.yaml',
        'id: ops\nname: Ops\ntype: Team\nmembers:\n  - emailAddress: not-an-email\n    role: Owner\n',
      );
      files.set(
        'dataproducts/shop-orders.yaml',
        files
          .get('dataproducts/shop-orders.yaml')!
          .replace('contractId: shop_orders_v1_contract', 'contractId: shop_orders_v9_contract'),
      );
      const r = await report(await post(multipart(files)), 400);
      expect(r.ok).toBe(false);
      const where = r.problems.map((p) => `${p.source}: ${p.path}`);
      expect(where).toEqual(
        expect.arrayContaining([
          'teams/squad.yaml: $.type',
          expect.stringMatching(/^dataproducts\/broken\.yaml: line \d+, column \d+$/),
          'notes.yaml: $.kind',
          'teams/ops.yaml: $.members[0].emailAddress',
          expect.stringMatching(/^dataproducts\/shop-orders\.yaml: \$\.outputPorts\[0\]/),
        ]),
      );
      expect(r.problems.find((p) => p.source === 'dataproducts/shop-orders.yaml')?.message).toMatch(
        /shop_orders_v9_contract/,
      );
      expect(await catalogState()).toEqual(before);
    }
  });

  it('should prune what the import no longer holds', async () => {
    const files = current();
    files.delete('dataproducts/parcel-deliveries.yaml');
    files.delete('datacontracts/parcel_deliveries_v1_contract.yaml');
    const dry = await report(
      await postJson(bundle(files), { query: 'prune=true&dryRun=true' }),
      200,
    );
    expect(ids(dry, 'delete')).toEqual([
      'datacontract:parcel_deliveries_v1_contract',
      'dataproduct:parcel-deliveries',
    ]);
    expect((await catalogState()).products).toHaveLength(3);
    const r = await report(await postJson(bundle(files), { query: 'prune=true' }), 200);
    expect(r).toMatchObject({ ok: true, prune: true });
    expect(r.summary).toEqual({ created: 0, updated: 0, unchanged: 7, deleted: 2 });
    const state = await catalogState();
    expect(state.products.map((p: { external_id: string }) => p.external_id)).toEqual([
      'shop-orders',
      'shop-revenue-daily',
    ]);
    expect(state.contracts).toHaveLength(2);
  });

  it('should refuse to prune a product an active access agreement uses', async () => {
    const granted = await mcp!.callTool({
      name: 'request_access',
      arguments: {
        dataProductId: 'shop-orders',
        outputPortId: 'shop_orders_v1',
        purpose: 'Weekly revenue report of the web shop',
      },
    });
    expect(granted.structuredContent).toMatchObject({ lifecycle: 'active', autoApproved: true });
    const before = await catalogState();
    const files = current();
    files.delete('dataproducts/shop-orders.yaml');
    files.delete('dataproducts/parcel-deliveries.yaml');
    files.delete('datacontracts/parcel_deliveries_v1_contract.yaml');
    const r = await report(await postJson(bundle(files), { query: 'prune=true' }), 400);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/shop-orders.*active/s) }),
    ]);
    expect(await catalogState()).toEqual(before);
  });

  it('should import an export of the organization as a no-op', async () => {
    const before = await catalogState();
    const dir = await mkdtemp(join(tmpdir(), 'catalog-export-'));
    try {
      const exported = await t.app
        .get(CatalogImportService)
        .export(systemPrincipal('test'), org.id, dir, {});
      expect(exported.written).toEqual([
        'datacontracts/shop_orders_v1_contract.yaml',
        'datacontracts/shop_revenue_daily_v1_contract.yaml',
        'dataproducts/shop-orders.yaml',
        'dataproducts/shop-revenue-daily.yaml',
        'teams/ecommerce.yaml',
        'teams/logistics.yaml',
        'teams/web-shop.yaml',
      ]);
      const r = await report(
        await post(tarGz(dir), { type: 'application/x-gzip', query: 'prune=true' }),
        200,
      );
      expect(r.summary).toEqual({ created: 0, updated: 0, unchanged: 7, deleted: 0 });
      expect(await catalogState()).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('should answer 413 beyond 10 MB, 400 for what is not an archive or a bundle, 415 for other media types', async () => {
    const large = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    expect((await post(large, { type: 'application/gzip' })).status).toBe(413);
    // The route's own limit, not the server's 1 MB: a 2 MB bundle is read (and holds nothing).
    const padded = { documents: [], padding: 'x'.repeat(2 * 1024 * 1024) };
    const r = await report(await postJson(padded, { query: 'dryRun=true' }), 200);
    expect(r.summary).toEqual({ created: 0, updated: 0, unchanged: 0, deleted: 0 });
    const notGzip = await post('id: x', { type: 'application/gzip' });
    expect(notGzip.status).toBe(400);
    expect(((await notGzip.json()) as { message: string }).message).toMatch(/gzip/);
    expect((await postJson([{ id: 'x' }])).status).toBe(400);
    expect((await post('id: x', { type: 'text/plain' })).status).toBe(415);
  });

  it('should keep refusing gzip and multipart bodies on other routes', async () => {
    const res = await fetch(`${t.url}/api/v1/api-keys`, {
      method: 'POST',
      headers: { 'x-api-key': aliceKey, 'content-type': 'application/gzip' },
      body: tarGz(EXAMPLES),
    });
    expect(res.status).toBe(415);
  });

  it('should be documented in Swagger with its media types and an example', async () => {
    const doc = (await (await fetch(`${t.url}/docs-json`)).json()) as any;
    const op = doc.paths['/api/v1/catalog/import'].post;
    expect(Object.keys(op.requestBody.content)).toEqual(
      expect.arrayContaining(['application/json', 'application/gzip', 'multipart/form-data']),
    );
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['dryRun', 'prune']);
    expect(op.responses['200'].content['application/json'].example).toMatchObject({ ok: true });
    expect(op.responses['400'].content['application/json'].example).toMatchObject({ ok: false });
    expect(op.security).toEqual([{ 'api-key': [] }]);
  });
});
