import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { systemPrincipal } from 'src/auth/principal';
import { readCatalogPath } from 'src/catalog/import/catalog-folder';
import { CatalogImportService } from 'src/catalog/import/catalog-import.service';
import { OrganizationsService } from 'src/users/organizations.service';
import { demoKey } from 'test/factories/demo.factory';
import { connectMcp } from 'test/support/mcp-client';
import { adminQuery, safeName, withDatabase } from 'test/support/postgres';
import { postgresUnreachable, serverUrl } from 'test/support/query-warehouse';
import { startTestApp, TestApp } from 'test/support/test-app';

/**
 * The README's tour, end to end, with the files it names: `examples/warehouse/warehouse.sql` builds a
 * real PostgreSQL warehouse (run by psql, as the README does), `examples/catalog` is imported the way
 * `catalog:import` imports it, and a real MCP SDK client finds the product, requests access and
 * queries real rows of the PostgreSQL port.
 */
function unavailable(): string | null {
  const pg = postgresUnreachable();
  if (pg) return pg;
  const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
  return psql.status === 0 ? null : 'psql is not installed';
}

const skipReason = unavailable();
if (skipReason) console.warn(`catalog walkthrough e2e skipped: ${skipReason}`);

type ToolResult = { isError?: boolean; structuredContent?: any; content: unknown[] };

(skipReason ? describe.skip : describe)(
  'the README tour: import, search, access, query (e2e)',
  () => {
    const database = safeName(`walkthrough_wh_${process.pid}_${Date.now().toString(36)}`);
    const password = `pw-${randomBytes(12).toString('hex')}`;
    let dir: string;
    let t: TestApp;
    let carol: Client;

    const call = async (name: string, args: Record<string, unknown>): Promise<ToolResult> =>
      (await carol.callTool({ name, arguments: args })) as ToolResult;

    beforeAll(async () => {
      await adminQuery(withDatabase(serverUrl(), 'postgres'), `CREATE DATABASE ${database}`);
      const psql = spawnSync(
        'psql',
        [
          '-X',
          '-q',
          '-d',
          withDatabase(serverUrl(), database),
          '-v',
          `reader_password=${password}`,
          '-f',
          'examples/warehouse/warehouse.sql',
        ],
        { encoding: 'utf8' },
      );
      if (psql.status !== 0) throw new Error(`warehouse.sql failed: ${psql.stderr}`);
      const server = new URL(serverUrl());
      dir = mkdtempSync(join(tmpdir(), 'walkthrough-'));
      // examples/query-connections.yaml, pointed at this run's warehouse database.
      writeFileSync(
        join(dir, 'query-connections.yaml'),
        `connections:
  - server: warehouse
    url: postgresql://catalog_reader:\${WAREHOUSE_PASSWORD}@${server.hostname}:${server.port || 5432}/${database}
`,
      );
      t = await startTestApp({
        QUERY_CONNECTIONS_FILE: join(dir, 'query-connections.yaml'),
        WAREHOUSE_PASSWORD: password,
      });
    });

    afterAll(async () => {
      await carol?.close();
      await t?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await adminQuery(
        withDatabase(serverUrl(), 'postgres'),
        `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
      );
    });

    it('imports examples/catalog into acme (what `catalog:import examples/catalog --org acme` does)', async () => {
      const imports = t.app.get(CatalogImportService);
      const acme = await t.app.get(OrganizationsService).getBySlug('acme');
      const report = await imports.import(
        systemPrincipal('walkthrough'),
        acme.id,
        await readCatalogPath('examples/catalog'),
        {},
      );
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.summary).toEqual({ created: 9, updated: 0, unchanged: 0, deleted: 0 });

      const again = await imports.import(
        systemPrincipal('walkthrough'),
        acme.id,
        await readCatalogPath('examples/catalog'),
        {},
      );
      expect(again.summary).toEqual({ created: 0, updated: 0, unchanged: 9, deleted: 0 });
    });

    it('carol finds the imported product with search and fetch in a real MCP client', async () => {
      carol = await connectMcp(t.url, {
        'x-api-key': await demoKey(t.app, 'carol@acme.example', 'acme'),
      });
      const search = await call('search', { query: 'shop orders' });
      expect(search.isError).toBeFalsy();
      const ids = search.structuredContent.results.map((r: { id: string }) => r.id);
      expect(ids).toContain('shop-orders');

      const product = await call('fetch', { dataProductId: 'shop-orders' });
      expect(product.isError).toBeFalsy();
      const port = product.structuredContent.outputPorts.find(
        (p: { id: string }) => p.id === 'shop_orders_v1',
      );
      expect(port).toMatchObject({
        type: 'postgres',
        server: { server: 'warehouse', schema: 'shop' },
        access: { lifecycle: 'none', canRequest: true },
      });
    });

    it('carol requests access (auto-approved) and queries real rows of the PostgreSQL port', async () => {
      const before = await call('execute_query', {
        dataProductId: 'shop-orders',
        outputPortId: 'shop_orders_v1',
        query: 'SELECT count(*) AS n FROM orders',
        purpose: 'Weekly order volume report',
      });
      expect(before.isError).toBe(true);
      expect(JSON.stringify(before.content)).toContain('request_access');

      const access = await call('request_access', {
        dataProductId: 'shop-orders',
        outputPortId: 'shop_orders_v1',
        purpose: 'Weekly order volume report',
      });
      expect(access.isError).toBeFalsy();
      expect(access.structuredContent).toMatchObject({ autoApproved: true, lifecycle: 'active' });

      const count = await call('execute_query', {
        dataProductId: 'shop-orders',
        outputPortId: 'shop_orders_v1',
        query: 'SELECT count(*) AS n FROM orders',
        purpose: 'Weekly order volume report',
      });
      expect(count.isError).toBeFalsy();
      expect(count.structuredContent.source).toEqual({ engine: 'postgres', server: 'warehouse' });
      const [[n]] = count.structuredContent.rows;
      expect(Number(n)).toBe(150); // warehouse.sql's synthetic orders

      const page = await call('execute_query', {
        dataProductId: 'shop-orders',
        outputPortId: 'shop_orders_v1',
        query:
          'SELECT o.order_id, o.total_amount, count(i.line_no) AS items FROM orders o JOIN order_items i USING (order_id) GROUP BY 1, 2 ORDER BY 1',
        purpose: 'Weekly order volume report',
      });
      expect(page.isError).toBeFalsy();
      expect(page.structuredContent).toMatchObject({ rowCount: 100, truncated: true });
      expect(page.structuredContent.columns.map((c: { name: string }) => c.name)).toEqual([
        'order_id',
        'total_amount',
        'items',
      ]);
    });
  },
);
