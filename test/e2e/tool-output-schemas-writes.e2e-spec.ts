import { stringify } from 'yaml';
import type { UserPrincipal } from 'src/auth/principal';
import { DEMO_DATA } from 'src/catalog/demo/demo-data';
import { toOdcsDocument } from 'src/catalog/demo/demo-model';
import { ErrorCode } from 'src/common/errors/domain-error';
import { ToolRegistry } from 'src/mcp/tool-registry.service';
import { DEMO, DemoPerson, demoAgreementId, demoPrincipal } from 'test/factories/catalog.factory';
import { toolCaller } from 'test/factories/tool.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

type Structured = Record<string, any>;

const PEOPLE = Object.keys(DEMO) as DemoPerson[];
const orgOf = (who: DemoPerson): string => DEMO[who][1];
const productsOf = (org: string) => DEMO_DATA.products.filter((p) => p.organization === org);
const UNKNOWN_ID = '6f1c2b8e-4d1a-4c3e-9f7a-2b5d8e0c1a3f';

/**
 * Every write tool, called as the MCP server calls it (see toolCaller), on the real services over the
 * seeded demo catalog, in every outcome and refusal; then fetch and access_list again for everyone,
 * over the states the writes left. Each result must be one every client accepts.
 */
describe('write tool results against their advertised output schemas, over the demo catalog (e2e)', () => {
  let t: TestApp;
  const { succeed, fail, allPages, succeeded } = toolCaller(() => t.app.get(ToolRegistry));

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (who: DemoPerson, overrides: Partial<UserPrincipal> = {}) =>
    demoPrincipal(t.app, who, overrides);

  const stock = { dataProductId: 'stock-levels', outputPortId: 'stock_levels_v1' };

  it('should answer request_access: auto-approved, pending with approvers, existing, refused', async () => {
    const dave = await as('dave');
    const auto = await succeed(dave, 'request_access', {
      dataProductId: 'shelf-warmers',
      outputPortId: 'shelf_warmers_v1',
      purpose: 'Plan the clearance campaign for slow movers',
    });
    expect(auto).toMatchObject({ autoApproved: true, created: true, lifecycle: 'active' });
    const carol = await as('carol');
    const pending = await succeed(carol, 'request_access', {
      ...stock,
      purpose: 'Compare stock levels with campaign demand',
      endDate: '2099-12-31',
    });
    expect(pending).toMatchObject({ lifecycle: 'requested', created: true });
    expect(pending.approvers.length).toBeGreaterThan(0);
    const again = await succeed(carol, 'request_access', {
      ...stock,
      purpose: 'Compare stock levels with campaign demand',
    });
    expect(again).toMatchObject({ accessId: pending.accessId, created: false });

    const purpose = 'Compare stock levels with campaign demand';
    await fail(
      carol,
      'request_access',
      { ...stock, purpose: '          x' },
      ErrorCode.InvalidArgument,
    );
    await fail(
      carol,
      'request_access',
      { ...stock, dataProductId: 'nope', purpose },
      ErrorCode.NotFound,
    );
    await fail(
      carol,
      'request_access',
      { ...stock, purpose, consumerTeamId: 'checkout' },
      ErrorCode.Forbidden,
    );
    await fail(
      carol,
      'request_access',
      { ...stock, purpose, roles: ['no.such.role'] },
      ErrorCode.InvalidArgument,
    );
  });

  it('should answer access_approve, access_reject and access_cancel, and each of their refusals', async () => {
    const alice = await as('alice');
    const carol = await as('carol');
    const pending = await demoAgreementId(t.app, 'acme-carol-customers');
    await fail(carol, 'access_approve', { accessId: pending }, ErrorCode.Forbidden);
    await fail(alice, 'access_approve', { accessId: UNKNOWN_ID }, ErrorCode.NotFound);
    await fail(
      alice,
      'access_approve',
      { accessId: pending, startDate: '2099-02-01', endDate: '2099-01-01' },
      ErrorCode.InvalidArgument,
    );
    const approved = await succeed(alice, 'access_approve', {
      accessId: pending,
      comment: 'OK for churn analysis',
    });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: { name: 'Alice Adams' } });
    await fail(alice, 'access_approve', { accessId: pending }, ErrorCode.Conflict);

    const stockRequest = (await succeed(carol, 'access_list', { dataProductId: 'stock-levels' }))
      .items[0] as Structured;
    await fail(
      alice,
      'access_reject',
      { accessId: stockRequest.id, reason: ' ' },
      ErrorCode.InvalidArgument,
    );
    await fail(
      carol,
      'access_reject',
      { accessId: stockRequest.id, reason: 'No' },
      ErrorCode.Forbidden,
    );
    await fail(alice, 'access_reject', { accessId: UNKNOWN_ID, reason: 'No' }, ErrorCode.NotFound);
    const rejected = await succeed(alice, 'access_reject', {
      accessId: stockRequest.id,
      reason: 'Use shelf-warmers instead',
    });
    expect(rejected).toMatchObject({
      status: 'rejected',
      decisionComment: 'Use shelf-warmers instead',
    });
    await fail(
      alice,
      'access_reject',
      { accessId: stockRequest.id, reason: 'No' },
      ErrorCode.Conflict,
    );

    const cohortsOfBob = await demoAgreementId(t.app, 'acme-bob-customer-cohorts');
    await fail(carol, 'access_cancel', { accessId: cohortsOfBob }, ErrorCode.Forbidden);
    const rejectedOfCarol = await demoAgreementId(t.app, 'acme-carol-orders-pii');
    await fail(carol, 'access_cancel', { accessId: rejectedOfCarol }, ErrorCode.Conflict);
    await fail(carol, 'access_cancel', { accessId: UNKNOWN_ID }, ErrorCode.NotFound);
    await fail(
      carol,
      'access_cancel',
      { accessId: pending, endDate: '2000-01-01' },
      ErrorCode.InvalidArgument,
    );
    const ended = await succeed(carol, 'access_cancel', { accessId: pending, reason: 'Done' });
    expect(ended).toMatchObject({ status: 'approved', lifecycle: 'expired' });
    const request = await succeed(carol, 'request_access', {
      ...stock,
      purpose: 'Compare stock levels with campaign demand again',
    });
    const canceled = await succeed(carol, 'access_cancel', { accessId: request.accessId });
    expect(canceled).toMatchObject({ status: 'canceled', lifecycle: 'canceled' });
  });

  it('should answer datacontract_save: created, unchanged, from YAML, and each refusal', async () => {
    const alice = await as('alice');
    const [orders] = productsOf('acme');
    const { description: _missing, ...document } = toOdcsDocument(
      orders.outputPorts[0].contract,
      'checkout',
    );
    const contract = { ...document, id: 'schema_test_contract', version: '1.0.0' };
    const created = await succeed(alice, 'datacontract_save', { dataContract: contract });
    expect(created).toMatchObject({ created: true, status: 'active' });
    expect(created.warnings).toEqual([expect.stringMatching(/description/)]);
    const unchanged = await succeed(alice, 'datacontract_save', { dataContract: contract });
    expect(unchanged).toMatchObject({ created: false });
    const yaml = stringify({ ...contract, version: '1.1.0', status: 'draft' });
    expect(await succeed(alice, 'datacontract_save', { yaml })).toMatchObject({
      created: true,
      version: '1.1.0',
      status: 'draft',
    });

    await fail(
      alice,
      'datacontract_save',
      { dataContract: { ...contract, name: 'Changed' } },
      ErrorCode.Conflict,
    );
    await fail(
      alice,
      'datacontract_save',
      { dataContract: { kind: 'Contract' } },
      ErrorCode.InvalidArgument,
    );
    await fail(
      await as('carol'),
      'datacontract_save',
      { dataContract: { ...contract, id: 'carol_contract', team: { name: 'marketing' } } },
      ErrorCode.Forbidden,
    );
  });

  it.each(PEOPLE)(
    'should still answer fetch and access_list for %s after the writes',
    async (who) => {
      const principal = await as(who);
      for (const product of productsOf(orgOf(who))) {
        await succeed(principal, 'fetch', { dataProductId: product.externalId });
      }
      for (const view of ['mine', 'to_approve', 'all'])
        await allPages(principal, 'access_list', { view }, 'items');
    },
  );

  it('should have validated a success of every write tool', () => {
    const writes = t.app
      .get(ToolRegistry)
      .all()
      .filter((x) => !x.readOnly)
      .map((x) => x.definition.name);
    expect([...succeeded].filter((name) => writes.includes(name)).sort()).toEqual(writes.sort());
  });
});
