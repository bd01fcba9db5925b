import { demoAgreementId } from 'test/factories/catalog.factory';
import {
  CallerErrorCase,
  expectToolError,
  expectToolSuccess,
  fails,
  textOf,
} from 'test/support/mcp-client-assertions';
import { describeEachClient } from 'test/support/mcp-clients';
import { startTestApp, TestApp } from 'test/support/test-app';

/**
 * The demo people each combination connects as (README, Demo data): alice owns Acme, so every
 * decision is hers to make; carol is a plain member of Acme, so hers are refused.
 */
const PEOPLE = ['alice', 'carol'] as const;
type Person = (typeof PEOPLE)[number];

type Structured = Record<string, any>;

const stockLevels = { dataProductId: 'stock-levels', outputPortId: 'stock_levels_v1' };
const NO_SUCH_ACCESS = '00000000-0000-4000-8000-000000000000';

/** Error paths of the write tools, on seeded agreements and contracts: none changes the database. */
function writeErrors(
  ids: { pending: string; decided: string; bobs: string },
  contract: Structured,
): Array<CallerErrorCase<Person>> {
  const stock = { ...stockLevels, purpose: 'Forecast shelf stock' };
  const newer = { dataContract: { ...contract, version: '9.9.9' } };
  return [
    fails('alice', 'request_access', { ...stock, roles: ['admin'] }, 'invalid_argument'),
    fails('alice', 'request_access', { ...stock, dataProductId: 'nope' }, 'not_found'),
    fails('alice', 'access_approve', { accessId: NO_SUCH_ACCESS }, 'not_found', {
      next: 'access_list',
    }),
    fails('alice', 'access_approve', { accessId: ids.decided }, 'conflict'),
    fails('carol', 'access_approve', { accessId: ids.pending }, 'forbidden'),
    fails('alice', 'access_reject', { accessId: NO_SUCH_ACCESS, reason: 'No' }, 'not_found'),
    fails('alice', 'access_reject', { accessId: ids.decided, reason: 'No' }, 'conflict'),
    fails('carol', 'access_reject', { accessId: ids.pending, reason: 'No' }, 'forbidden'),
    fails('alice', 'access_cancel', { accessId: NO_SUCH_ACCESS }, 'not_found'),
    fails('alice', 'access_cancel', { accessId: ids.decided }, 'conflict'),
    fails('carol', 'access_cancel', { accessId: ids.bobs }, 'forbidden', { next: 'whoami' }),
    fails('carol', 'datacontract_save', newer, 'forbidden'),
    fails(
      'alice',
      'datacontract_save',
      { dataContract: { ...newer.dataContract, apiVersion: 'v9' } },
      'invalid_argument',
      {
        details: { errors: [expect.stringMatching(/apiVersion/)] },
      },
    ),
    fails('alice', 'datacontract_save', {}, 'invalid_argument'),
  ];
}

/**
 * SDK 1.x and the v2 client in its legacy, auto and pinned 2026-07-28 modes, each with an API key and
 * with an OAuth token, call every write tool on its success and error paths against one server. Each
 * success test leaves no open request behind, so the combinations share the seeded catalog.
 */
describe('the real MCP SDK clients in both protocol eras: write tools (e2e)', () => {
  let t: TestApp;
  /** Each saved contract gets a version of its own, so every save creates one. */
  let contractSaves = 0;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describeEachClient(
    () => t,
    PEOPLE,
    (c) => {
      it('should call every write tool on its success path, leaving no open request behind', async () => {
        const requested = await expectToolSuccess(c.as.alice, 'request_access', {
          ...stockLevels,
          purpose: 'Forecast shelf stock for promotions',
        });
        expect(requested).toMatchObject({
          status: 'requested',
          created: true,
          autoApproved: false,
        });
        expect(requested.approvers.map((a: Structured) => a.email)).toContain('alice@acme.example');

        const approved = await expectToolSuccess(c.as.alice, 'access_approve', {
          accessId: requested.accessId,
          comment: 'Fine for the promotion',
        });
        expect(approved).toMatchObject({
          id: requested.accessId,
          status: 'approved',
          lifecycle: 'active',
        });
        const ended = await expectToolSuccess(c.as.alice, 'access_cancel', {
          accessId: requested.accessId,
          reason: 'Promotion planned',
        });
        expect(ended).toMatchObject({
          id: requested.accessId,
          status: 'approved',
          lifecycle: 'expired',
        });

        const again = await expectToolSuccess(c.as.alice, 'request_access', {
          ...stockLevels,
          purpose: 'Forecast shelf stock for the next season',
        });
        expect(again).toMatchObject({ status: 'requested', created: true });
        const rejected = await expectToolSuccess(c.as.alice, 'access_reject', {
          accessId: again.accessId,
          reason: 'Use Shelf Warmers instead',
        });
        expect(rejected).toMatchObject({ id: again.accessId, status: 'rejected' });

        const third = await expectToolSuccess(c.as.alice, 'request_access', {
          ...stockLevels,
          purpose: 'Forecast shelf stock once more',
        });
        const canceled = await expectToolSuccess(c.as.alice, 'access_cancel', {
          accessId: third.accessId,
        });
        expect(canceled).toMatchObject({ id: third.accessId, status: 'canceled' });
        const mine = await expectToolSuccess(c.as.alice, 'access_list', {
          dataProductId: 'stock-levels',
        });
        expect(
          mine.items.filter(
            (i: Structured) => i.status === 'requested' || i.lifecycle === 'active',
          ),
        ).toEqual([]);

        const current = await expectToolSuccess(c.as.alice, 'datacontract_get', {
          dataContractId: 'orders_npii_v1_contract',
        });
        const version = `2.${++contractSaves}.0`;
        const saved = await expectToolSuccess(c.as.alice, 'datacontract_save', {
          dataContract: { ...current.dataContract, version },
        });
        expect(saved).toEqual({
          id: 'orders_npii_v1_contract',
          version,
          status: 'active',
          created: true,
          warnings: [],
        });
      });

      it('should answer every write tool’s error paths with tool errors the client accepts', async () => {
        const ids = {
          pending: await demoAgreementId(t.app, 'acme-carol-customers'),
          decided: await demoAgreementId(t.app, 'acme-carol-orders-pii'),
          bobs: await demoAgreementId(t.app, 'acme-bob-customer-cohorts'),
        };
        const { dataContract } = await expectToolSuccess(c.as.alice, 'datacontract_get', {
          dataContractId: 'orders_npii_v1_contract',
        });
        for (const e of writeErrors(ids, dataContract)) await expectToolError(c.as[e.as], e);
      });

      it('should answer arguments its input schema refuses with a tool error, not a thrown one', async () => {
        const result = await c.as.alice.callTool('request_access', {
          ...stockLevels,
          purpose: 'short',
        });
        expect({ isError: result.isError, structuredContent: result.structuredContent }).toEqual({
          isError: true,
          structuredContent: undefined,
        });
        expect(textOf(result)).toMatch(/purpose/);
      });
    },
  );
});
