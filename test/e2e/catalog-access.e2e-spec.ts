import { ErrorCode } from 'src/common/errors/domain-error';
import { AccessService } from 'src/catalog/access.service';
import { todayUtc } from 'src/catalog/access-rules';
import { demoAgreementId, demoPrincipal, domainError } from 'test/factories/catalog.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('catalog access agreements (e2e)', () => {
  let t: TestApp;
  let sut: AccessService;

  beforeAll(async () => {
    t = await startTestApp();
    sut = t.app.get(AccessService);
  });
  afterAll(async () => {
    await t.close();
  });

  const principal = (who: Parameters<typeof demoPrincipal>[1]) => demoPrincipal(t.app, who);

  describe('list', () => {
    it("should list carol's agreements as a user, through her team and her team's products", async () => {
      const { items } = await sut.list(await principal('carol'), {});
      const summary = items.map(
        (i) => `${i.consumer.type}:${i.consumer.id}→${i.provider.outputPortId}:${i.lifecycle}`,
      );
      expect(summary.sort()).toEqual(
        [
          'data_product:customer-cohorts→orders_npii_v1:active',
          'team:marketing→customers_v1:canceled',
          `user:${(await principal('carol')).userId}→customers_v1:requested`,
          `user:${(await principal('carol')).userId}→orders_pii_v1:rejected`,
        ].sort(),
      );
      const rejected = items.find((i) => i.status === 'rejected')!;
      expect(rejected).toMatchObject({
        provider: { dataProductId: 'orders', outputPortId: 'orders_pii_v1', teamId: 'checkout' },
        requestedBy: { email: 'carol@acme.example' },
        decidedBy: { email: 'alice@acme.example' },
        decisionComment: 'PII not needed, use orders_npii_v1',
        canApprove: false,
        canCancel: false,
      });
      const pending = items.find((i) => i.status === 'requested')!;
      expect(pending).toMatchObject({ canApprove: false, canCancel: true, startDate: null });
    });

    it('should show alice and bob the request they can decide, and nobody else', async () => {
      for (const who of ['alice', 'bob'] as const) {
        const { items } = await sut.list(await principal(who), { view: 'to_approve' });
        expect(items.map((i) => [i.provider.outputPortId, i.consumer.name, i.canApprove])).toEqual([
          ['customers_v1', expect.any(String), true],
        ]);
      }
      expect((await sut.list(await principal('carol'), { view: 'to_approve' })).items).toEqual([]);
      expect((await sut.list(await principal('dave'), { view: 'to_approve' })).items).toEqual([]);
    });

    it('should filter the whole organization by status, lifecycle and product', async () => {
      const carol = await principal('carol');
      const all = await sut.list(carol, { view: 'all' });
      expect(all.items).toHaveLength(8);
      const lifecycles = (await sut.list(carol, { view: 'all', lifecycle: 'expired' })).items;
      expect(lifecycles.map((i) => i.provider.outputPortId)).toEqual(['shelf_warmers_v1']);
      const upcoming = (await sut.list(carol, { view: 'all', lifecycle: 'upcoming' })).items;
      expect(upcoming.map((i) => i.provider.outputPortId)).toEqual(['customer_cohorts_v1']);
      const active = (await sut.list(carol, { view: 'all', lifecycle: 'active' })).items;
      expect(active).toHaveLength(3);
      const approved = (await sut.list(carol, { view: 'all', status: 'approved' })).items;
      expect(approved).toHaveLength(5);
      const orders = (await sut.list(carol, { view: 'all', dataProductId: 'orders' })).items;
      expect(orders.map((i) => i.provider.outputPortId).sort()).toEqual([
        'orders_npii_v1',
        'orders_npii_v1',
        'orders_pii_v1',
      ]);
      const page = await sut.list(carol, { view: 'all', limit: 5 });
      const rest = await sut.list(carol, { view: 'all', limit: 5, cursor: page.nextCursor });
      expect([...page.items, ...rest.items].map((i) => i.id).sort()).toEqual(
        all.items.map((i) => i.id).sort(),
      );
      await domainError(
        sut.list(carol, { view: 'everything' as never }),
        ErrorCode.InvalidArgument,
      );
    });
  });

  describe('request', () => {
    it('should return the open request instead of creating a second one', async () => {
      const carol = await principal('carol');
      const res = await sut.request(carol, {
        dataProductId: 'customers',
        outputPortId: 'customers_v1',
        purpose: 'Analyse churn of top customers again',
      });
      expect(res).toMatchObject({
        accessId: await demoAgreementId(t.app, 'acme-carol-customers'),
        status: 'requested',
        created: false,
        autoApproved: false,
      });
      expect(res.approvers?.map((a) => a.email).sort()).toEqual([
        'alice@acme.example',
        'bob@acme.example',
      ]);
    });

    it('should refuse a short purpose, unknown roles and a past end date', async () => {
      const carol = await principal('carol');
      const base = { dataProductId: 'stock-levels', outputPortId: 'stock_levels_v1' };
      await domainError(
        sut.request(carol, { ...base, purpose: 'too short' }),
        ErrorCode.InvalidArgument,
      );
      const roles = await domainError(
        sut.request(carol, { ...base, purpose: 'Plan the replenishment', roles: ['admin'] }),
        ErrorCode.InvalidArgument,
      );
      expect(roles.message).toMatch(/stock_levels\.read/);
      await domainError(
        sut.request(carol, { ...base, purpose: 'Plan the replenishment', endDate: todayUtc() }),
        ErrorCode.InvalidArgument,
      );
      await domainError(
        sut.request(carol, {
          ...base,
          outputPortId: 'orders_pii_v1',
          purpose: 'Plan the replenishment',
        }),
        ErrorCode.NotFound,
      );
    });

    it("should auto-approve dave's new request on Shelf Warmers after his access expired", async () => {
      const dave = await principal('dave');
      const res = await sut.request(dave, {
        dataProductId: 'shelf-warmers',
        outputPortId: 'shelf_warmers_v1',
        purpose: 'Plan clearance discounts for the winter sale',
        roles: ['shelf_warmers.read'],
      });
      expect(res).toMatchObject({
        status: 'approved',
        lifecycle: 'active',
        autoApproved: true,
        created: true,
      });
      expect(res.approvers).toBeUndefined();
      expect(res.message).toMatch(/execute_query/);
      const again = await sut.request(dave, {
        dataProductId: 'shelf-warmers',
        outputPortId: 'shelf_warmers_v1',
        purpose: 'Plan clearance discounts for the winter sale',
      });
      expect(again).toMatchObject({ accessId: res.accessId, created: false, lifecycle: 'active' });
    });

    it('should auto-approve a member of the provider team even on a port without auto-approve', async () => {
      const bob = await principal('bob');
      const res = await sut.request(bob, {
        dataProductId: 'stock-levels',
        outputPortId: 'stock_levels_v1',
        purpose: 'Check counted stock before a transfer',
      });
      expect(res).toMatchObject({ status: 'approved', autoApproved: true, created: true });
    });

    it('should request for a team only with ACCESS_REQUEST in it', async () => {
      const carol = await principal('carol');
      const forbidden = await domainError(
        sut.request(carol, {
          dataProductId: 'stock-levels',
          outputPortId: 'stock_levels_v1',
          purpose: 'Plan the replenishment',
          consumerTeamId: 'checkout',
        }),
        ErrorCode.Forbidden,
      );
      expect(forbidden.message).toMatch(/ACCESS_REQUEST/);
      const res = await sut.request(carol, {
        dataProductId: 'stock-levels',
        outputPortId: 'stock_levels_v1',
        purpose: 'Plan the replenishment for campaigns',
        consumerTeamId: 'marketing',
      });
      expect(res).toMatchObject({ status: 'requested', created: true });
      expect(res.approvers?.map((a) => a.email).sort()).toEqual([
        'alice@acme.example',
        'bob@acme.example',
      ]);
    });
  });

  describe('decisions', () => {
    it("should let bob approve carol's pending request, and not carol", async () => {
      const id = await demoAgreementId(t.app, 'acme-carol-customers');
      const carolErr = await domainError(
        sut.approve(await principal('carol'), { accessId: id }),
        ErrorCode.Forbidden,
      );
      expect(carolErr.message).toMatch(/to_approve/);
      await domainError(
        sut.approve(await principal('dave'), { accessId: id }),
        ErrorCode.Forbidden,
      );
      const item = await sut.approve(await principal('bob'), {
        accessId: id,
        comment: 'For churn analysis only',
      });
      expect(item).toMatchObject({
        id,
        status: 'approved',
        lifecycle: 'active',
        startDate: todayUtc(),
        decidedBy: { email: 'bob@acme.example' },
        decisionComment: 'For churn analysis only',
        canApprove: false,
      });
      const twice = await domainError(
        sut.approve(await principal('alice'), { accessId: id }),
        ErrorCode.Conflict,
      );
      expect(twice.message).toMatch(/already approved/);
      await domainError(
        sut.reject(await principal('alice'), { accessId: id, reason: 'no' }),
        ErrorCode.Conflict,
      );
    });

    it('should approve without a comment, for a limited time', async () => {
      const carol = await principal('carol');
      const { accessId } = await sut.request(carol, {
        dataProductId: 'stock-levels',
        outputPortId: 'stock_levels_v1',
        purpose: 'Plan the autumn campaign segments',
        consumerDataProductId: 'customer-cohorts',
        roles: ['stock_levels.read'],
      });
      const alice = await principal('alice');
      await domainError(
        sut.approve(alice, { accessId, startDate: '2030-01-10', endDate: '2030-01-01' }),
        ErrorCode.InvalidArgument,
      );
      const item = await sut.approve(alice, { accessId, endDate: '2099-12-31' });
      expect(item).toMatchObject({
        status: 'approved',
        lifecycle: 'active',
        roles: ['stock_levels.read'],
        consumer: { type: 'data_product', id: 'customer-cohorts' },
        endDate: '2099-12-31',
        decidedBy: { email: 'alice@acme.example' },
      });
      expect(item.decisionComment).toBeUndefined();
    });

    it("should let erin reject carol's globex request with a reason", async () => {
      const id = await demoAgreementId(t.app, 'globex-carol-payments');
      const erin = await principal('erin');
      await domainError(
        sut.reject(erin, { accessId: id, reason: '  ' }),
        ErrorCode.InvalidArgument,
      );
      await domainError(
        sut.reject(await principal('frank'), { accessId: id, reason: 'x' }),
        ErrorCode.Forbidden,
      );
      const item = await sut.reject(erin, {
        accessId: id,
        reason: 'Use the team agreement of risk',
      });
      expect(item).toMatchObject({
        status: 'rejected',
        lifecycle: 'rejected',
        decisionComment: 'Use the team agreement of risk',
      });
    });

    it('should cancel a pending request to canceled and end an approved agreement today', async () => {
      const carol = await principal('carol');
      const { accessId } = await sut.request(carol, {
        dataProductId: 'customers',
        outputPortId: 'customers_v1',
        purpose: 'Support a customer complaint',
        consumerTeamId: 'marketing',
      });
      await domainError(
        sut.cancel(carol, {
          accessId: '00000000-0000-4000-8000-000000000000',
        }),
        ErrorCode.NotFound,
      );
      const canceled = await sut.cancel(carol, { accessId, reason: 'Not needed any more' });
      expect(canceled).toMatchObject({
        status: 'canceled',
        lifecycle: 'canceled',
        canCancel: false,
      });
      await domainError(sut.cancel(carol, { accessId }), ErrorCode.Conflict);

      const dave = await principal('dave');
      const cohorts = await demoAgreementId(t.app, 'acme-customer-cohorts-orders-npii');
      await domainError(
        sut.cancel(carol, {
          accessId: await demoAgreementId(t.app, 'acme-bob-customer-cohorts'),
        }),
        ErrorCode.Forbidden,
      );
      const ended = await sut.cancel(dave, { accessId: cohorts });
      expect(ended).toMatchObject({
        status: 'approved',
        lifecycle: 'expired',
        endDate: todayUtc(),
      });
    });

    it('should not decide an agreement of another organization: not_found', async () => {
      const acmePending = await demoAgreementId(t.app, 'acme-bob-customer-cohorts');
      const erin = await principal('erin');
      const err = await domainError(
        sut.cancel(erin, { accessId: acmePending }),
        ErrorCode.NotFound,
      );
      const unknown = await domainError(
        sut.cancel(erin, { accessId: '00000000-0000-4000-8000-000000000000' }),
        ErrorCode.NotFound,
      );
      expect(err.message.replace(acmePending, 'X')).toBe(
        unknown.message.replace('00000000-0000-4000-8000-000000000000', 'X'),
      );
      await domainError(sut.approve(erin, { accessId: 'not-a-uuid' }), ErrorCode.NotFound);
      await domainError(
        sut.request(erin, {
          dataProductId: 'orders',
          outputPortId: 'orders_npii_v1',
          purpose: 'Compare with our payments',
        }),
        ErrorCode.NotFound,
      );
      const { items } = await sut.list(erin, { view: 'all' });
      expect(
        items.every((i) =>
          ['payments', 'monthly-revenue', 'fraud-scores'].includes(i.provider.dataProductId),
        ),
      ).toBe(true);
    });
  });
});
