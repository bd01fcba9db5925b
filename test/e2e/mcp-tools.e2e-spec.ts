import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { demoKey } from 'test/factories/demo.factory';
import { AuditService } from 'src/audit/audit.service';
import { connectMcp, json, mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

const READ_TOOLS = [
  'whoami',
  'search',
  'fetch',
  'datacontract_get',
  'teams_list',
  'access_list',
  'execute_query',
];
const WRITE_TOOLS = [
  'request_access',
  'access_approve',
  'access_reject',
  'access_cancel',
  'datacontract_save',
];

type Structured = Record<string, any>;

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return {
    isError: Boolean(result.isError),
    s: result.structuredContent as Structured,
    /** A tool error's machine-readable part (MCP result `_meta`). */
    error: result._meta?.['data-product-catalog/error'] as Structured | undefined,
    result,
  };
}

describe('MCP tools through the SDK client, on the demo data (e2e)', () => {
  let t: TestApp;
  const clients: Client[] = [];
  const connect = async (email: string, org: 'acme' | 'globex', readOnly = false) => {
    const c = await connectMcp(t.url, {
      'x-api-key': await demoKey(t.app, email, org, { readOnly }),
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.close();
  });

  it('should list all twelve tools with descriptions, schemas and the right hints', async () => {
    const carol = await connect('carol@acme.example', 'acme');
    const { tools } = await carol.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.annotations?.readOnlyHint).toBe(READ_TOOLS.includes(tool.name));
    }
    const byName = Object.fromEntries(tools.map((x) => [x.name, x]));
    expect(byName.access_reject.annotations?.destructiveHint).toBe(true);
    expect(byName.access_cancel.annotations?.destructiveHint).toBe(true);
    expect(byName.request_access.annotations?.idempotentHint).toBe(true);
    expect(byName.datacontract_save.annotations?.idempotentHint).toBe(true);
  });

  it('should show a read-only key the seven read tools and refuse a write tool with the 403 step-up challenge', async () => {
    const ro = await connect('carol@acme.example', 'acme', true);
    const { tools } = await ro.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual([...READ_TOOLS].sort());

    const key = await demoKey(t.app, 'carol@acme.example', 'acme', { readOnly: true });
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM access_agreements`);
    const res = await mcpPost(
      t.url,
      toolCall(
        'request_access',
        {
          dataProductId: 'stock-levels',
          outputPortId: 'stock_levels_v1',
          purpose: 'Forecast shelf stock',
        },
        42,
      ),
      { 'x-api-key': key },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", scope="mcp:read mcp:write", resource_metadata="${t.url}/.well-known/oauth-protected-resource/mcp", error_description="request_access requires mcp:write: this API key is read-only. Use a key created without --read-only."`,
    );
    const body = await json(res);
    expect(body.id).toBe(42);
    expect(body.error.message).toMatch(/requires mcp:write/);
    const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM access_agreements`);
    expect(after[0].n).toBe(before[0].n);
  });

  it.each(WRITE_TOOLS)(
    'should refuse %s to a credential without mcp:write, before running it',
    async (name) => {
      const key = await demoKey(t.app, 'alice@acme.example', 'acme', { readOnly: true });
      const res = await mcpPost(
        t.url,
        toolCall(name, { accessId: '00000000-0000-4000-8000-000000000000' }, 7),
        {
          'x-api-key': key,
        },
      );
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect((await json(res)).id).toBe(7);
    },
  );

  it('should answer an unknown tool with JSON-RPC -32602 and HTTP 200, not a challenge', async () => {
    const key = await demoKey(t.app, 'carol@acme.example', 'acme', { readOnly: true });
    const res = await mcpPost(t.url, toolCall('drop_everything'), { 'x-api-key': key });
    expect(res.status).toBe(200);
    expect((await json(res)).error.code).toBe(-32602);
  });

  it('should walk carol through search → fetch → datacontract_get → execute_query in acme', async () => {
    const carol = await connect('carol@acme.example', 'acme');
    const who = await call(carol, 'whoami');
    expect(who.s.organization.slug).toBe('acme');
    expect(who.s.teams.map((x: Structured) => x.id)).toContain('marketing');

    const search = await call(carol, 'search', { query: 'orders' });
    expect(search.isError).toBe(false);
    expect(search.s.results.map((r: Structured) => r.id)).toContain('orders');

    const fetched = await call(carol, 'fetch', { dataProductId: 'orders' });
    const ports = Object.fromEntries(fetched.s.outputPorts.map((p: Structured) => [p.id, p]));
    expect(ports.orders_npii_v1.access.lifecycle).toBe('active');
    expect(ports.orders_pii_v1.access.lifecycle).toBe('rejected');
    const contractId = ports.orders_npii_v1.dataContract.id as string;

    const contract = await call(carol, 'datacontract_get', { dataContractId: contractId });
    expect(contract.s.dataContract.id).toBe(contractId);
    expect(contract.s.implementedBy).toContainEqual({
      dataProductId: 'orders',
      outputPortId: 'orders_npii_v1',
    });
    const yaml = await call(carol, 'datacontract_get', {
      dataContractId: contractId,
      format: 'yaml',
    });
    expect(yaml.s.yaml).toContain(`id: ${contractId}`);

    const table = contract.s.dataContract.schema[0].name as string;
    const q = await call(carol, 'execute_query', {
      dataProductId: 'orders',
      outputPortId: 'orders_npii_v1',
      query: `SELECT count(*) AS n FROM ${table}`,
      purpose: 'Size the cohort analysis input',
    });
    expect(q.isError).toBe(false);
    expect(q.s.rowCount).toBe(1);
    expect(Number(q.s.rows[0][0])).toBeGreaterThanOrEqual(10);
  });

  it('should list teams with members', async () => {
    const carol = await connect('carol@acme.example', 'acme');
    const teams = await call(carol, 'teams_list', { includeMembers: true, teamId: 'marketing' });
    expect(teams.s.teams).toHaveLength(1);
    expect(teams.s.teams[0].members.map((m: Structured) => m.email)).toEqual(
      expect.arrayContaining(['carol@acme.example', 'dave@acme.example']),
    );
  });

  it('should let alice approve carol’s pending request and refuse carol approving it', async () => {
    const alice = await connect('alice@acme.example', 'acme');
    const carol = await connect('carol@acme.example', 'acme');
    const pending = await call(alice, 'access_list', { view: 'to_approve' });
    const item = pending.s.items.find(
      (i: Structured) => i.provider.outputPortId === 'customers_v1',
    );
    expect(item).toBeDefined();

    const denied = await call(carol, 'access_approve', { accessId: item.id });
    expect(denied.isError).toBe(true);
    expect(denied.error!.code).toBe('forbidden');

    const approved = await call(alice, 'access_approve', {
      accessId: item.id,
      comment: 'OK for churn analysis',
    });
    expect(approved.isError).toBe(false);
    expect(approved.s.status).toBe('approved');
    const again = await call(alice, 'access_approve', { accessId: item.id });
    expect(again.isError).toBe(true);
    expect(again.error!.code).toBe('conflict');
  });

  it('should request, reject and cancel access with the write tools', async () => {
    const dave = await connect('dave@acme.example', 'acme');
    const auto = await call(dave, 'request_access', {
      dataProductId: 'shelf-warmers',
      outputPortId: 'shelf_warmers_v1',
      purpose: 'Plan the clearance campaign for slow movers',
    });
    expect(auto.isError).toBe(false);
    expect(auto.s.autoApproved).toBe(true);
    expect(auto.s.lifecycle).toBe('active');

    const carol = await connect('carol@acme.example', 'acme');
    const req = await call(carol, 'request_access', {
      dataProductId: 'stock-levels',
      outputPortId: 'stock_levels_v1',
      purpose: 'Compare stock with campaign demand',
    });
    expect(req.s.status).toBe('requested');
    const dup = await call(carol, 'request_access', {
      dataProductId: 'stock-levels',
      outputPortId: 'stock_levels_v1',
      purpose: 'Compare stock with campaign demand',
    });
    expect(dup.s.created).toBe(false);
    expect(dup.s.accessId).toBe(req.s.accessId);

    const canceled = await call(carol, 'access_cancel', {
      accessId: req.s.accessId,
      reason: 'Not needed',
    });
    expect(canceled.s.status).toBe('canceled');

    const second = await call(carol, 'request_access', {
      dataProductId: 'stock-levels',
      outputPortId: 'stock_levels_v1',
      purpose: 'Second try for campaign demand',
    });
    const alice = await connect('alice@acme.example', 'acme');
    const rejected = await call(alice, 'access_reject', {
      accessId: second.s.accessId,
      reason: 'Use the shelf warmers product',
    });
    expect(rejected.s.status).toBe('rejected');

    await t.app.get(AuditService).flush();
    const audited: Array<{
      target_id: string;
      details: { outcome: string };
      ip: string | null;
      user_agent: string | null;
    }> = await t.dataSource.query(
      `SELECT target_id, details, ip, user_agent FROM audit_events WHERE type = 'mcp.tool.called'`,
    );
    expect(audited.map((r) => r.target_id)).toEqual(
      expect.arrayContaining(['request_access', 'access_cancel', 'access_reject']),
    );
    expect(audited.some((r) => r.details.outcome === 'ok')).toBe(true);
    // /mcp has no ambient audit context: the call hands the request's IP and user agent over itself.
    for (const row of audited) {
      expect(row.ip).toBe('127.0.0.1');
      expect(row.user_agent).toEqual(expect.any(String));
    }

    const short = await call(carol, 'request_access', {
      dataProductId: 'stock-levels',
      outputPortId: 'stock_levels_v1',
      purpose: 'short',
    });
    expect(short.isError).toBe(true);
  });

  it('should save a new contract version for an editor and refuse a plain member', async () => {
    const alice = await connect('alice@acme.example', 'acme');
    const current = await call(alice, 'datacontract_get', {
      dataContractId: await firstContractOf(alice, 'orders'),
    });
    const next = { ...current.s.dataContract, version: '1.1.0' };
    const saved = await call(alice, 'datacontract_save', { dataContract: next });
    expect(saved.isError).toBe(false);
    expect(saved.s.version).toBe('1.1.0');
    expect(saved.s.created).toBe(true);

    const carol = await connect('carol@acme.example', 'acme');
    const refused = await call(carol, 'datacontract_save', {
      dataContract: { ...next, version: '1.2.0' },
    });
    expect(refused.isError).toBe(true);
    expect(refused.error!.code).toBe('forbidden');
  });

  it('should deny a globex query whose purpose the terms prohibit', async () => {
    const carol = await connect('carol@acme.example', 'globex');
    const fetched = await call(carol, 'fetch', { dataProductId: 'payments' });
    const port = fetched.s.outputPorts[0];
    const table = port.dataContract.schema[0].name as string;
    const q = await call(carol, 'execute_query', {
      dataProductId: 'payments',
      outputPortId: port.id,
      query: `SELECT * FROM ${table}`,
      purpose: 'marketing campaign for premium cards',
    });
    expect(q.isError).toBe(true);
    expect(q.error!.code).toBe('terms_of_use_violation');
  });

  it('should never show one organization’s data to another organization’s key', async () => {
    const erin = await connect('erin@globex.example', 'globex');
    const all = await call(erin, 'search', { query: '*', status: '*', limit: 100 });
    const ids = all.s.results.map((r: Structured) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['payments']));
    expect(ids).not.toContain('orders');

    const foreign = await call(erin, 'fetch', { dataProductId: 'orders' });
    expect(foreign.isError).toBe(true);
    expect(foreign.error!.code).toBe('not_found');

    const [acmeAgreement] = await t.dataSource.query(
      `SELECT a.id FROM access_agreements a JOIN organizations o ON o.id = a.organization_id WHERE o.slug = 'acme' LIMIT 1`,
    );
    for (const name of ['access_approve', 'access_reject', 'access_cancel']) {
      const r = await call(erin, name, {
        accessId: acmeAgreement.id,
        reason: 'Trying across tenants',
      });
      expect(r.isError).toBe(true);
      expect(r.error!.code).toBe('not_found');
    }
    const contract = await call(erin, 'datacontract_get', { dataContractId: 'orders_npii_v1' });
    expect(contract.isError).toBe(true);
    const teams = await call(erin, 'teams_list', { teamId: 'checkout' });
    expect(teams.isError).toBe(true);
  });
});

async function firstContractOf(client: Client, product: string): Promise<string> {
  const fetched = await call(client, 'fetch', { dataProductId: product });
  return fetched.s.outputPorts[0].dataContract.id as string;
}
