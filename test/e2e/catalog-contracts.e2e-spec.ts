import { stringify } from 'yaml';
import { ErrorCode } from 'src/common/errors/domain-error';
import { DataContractsService } from 'src/catalog/data-contracts.service';
import { demoPrincipal, domainError } from 'test/factories/catalog.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

const contract = (overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'returns_v1_contract',
  name: 'Returns',
  version: '1.0.0',
  status: 'draft',
  team: { name: 'checkout' },
  description: { purpose: 'One row per returned order' },
  schema: [
    {
      name: 'returns',
      properties: [
        { name: 'order_id', logicalType: 'string' },
        { name: 'returned_at', logicalType: 'timestamp' },
      ],
    },
  ],
  ...overrides,
});

describe('datacontract_save and versions (e2e)', () => {
  let t: TestApp;
  let sut: DataContractsService;

  beforeAll(async () => {
    t = await startTestApp();
    sut = t.app.get(DataContractsService);
  });
  afterAll(async () => {
    await t.close();
  });

  const versions = async (externalId: string): Promise<string[]> =>
    (
      await t.dataSource.query(
        `SELECT v.version FROM data_contract_versions v JOIN data_contracts c ON c.id = v.data_contract_id
          WHERE c.external_id = $1 ORDER BY v.created_at, v.version`,
        [externalId],
      )
    ).map((r: { version: string }) => r.version);

  it('should create a contract for an owner of the team and keep every version', async () => {
    const alice = await demoPrincipal(t.app, 'alice');
    expect(await sut.save(alice, { dataContract: contract() })).toEqual({
      id: 'returns_v1_contract',
      version: '1.0.0',
      status: 'draft',
      created: true,
      warnings: [],
    });
    expect(await sut.save(alice, { dataContract: contract() })).toMatchObject({ created: false });
    const conflict = await domainError(
      sut.save(alice, { dataContract: contract({ name: 'Changed' }) }),
      ErrorCode.Conflict,
    );
    expect(conflict.message).toMatch(/increase the version/);
    const yaml = stringify(contract({ version: '1.1.0', status: 'active' }));
    expect(await sut.save(alice, { yaml })).toMatchObject({
      version: '1.1.0',
      status: 'active',
      created: true,
    });
    expect(await versions('returns_v1_contract')).toEqual(['1.0.0', '1.1.0']);
    const current = await sut.get(alice, { dataContractId: 'returns_v1_contract' });
    expect('dataContract' in current && current.dataContract.version).toBe('1.1.0');
    expect(current.implementedBy).toEqual([]);
  });

  it('should need RESOURCES_ADD for a new and RESOURCES_EDIT for an existing contract', async () => {
    const carol = await demoPrincipal(t.app, 'carol');
    const err = await domainError(
      sut.save(carol, {
        dataContract: contract({ id: 'carol_contract', team: { name: 'marketing' } }),
      }),
      ErrorCode.Forbidden,
    );
    expect(err.message).toMatch(/RESOURCES_ADD.*marketing/);
    const bob = await demoPrincipal(t.app, 'bob');
    await domainError(
      sut.save(bob, { dataContract: contract({ id: 'bob_contract' }) }),
      ErrorCode.Forbidden,
    );
    const seeded = await sut.get(bob, { dataContractId: 'orders_npii_v1_contract' });
    const doc = 'dataContract' in seeded ? seeded.dataContract : {};
    const saved = await sut.save(bob, {
      dataContract: { ...doc, version: '1.0.1', status: 'active' },
    });
    expect(saved).toMatchObject({ created: true, version: '1.0.1' });
    expect(await versions('orders_npii_v1_contract')).toContain('1.0.1');
  });

  it('should need the permission in both teams to move a contract to another owner', async () => {
    const bob = await demoPrincipal(t.app, 'bob');
    const seeded = await sut.get(bob, { dataContractId: 'shelf_warmers_v1_contract' });
    const doc = 'dataContract' in seeded ? seeded.dataContract : {};
    const moved = { ...doc, version: '9.0.0', team: { name: 'checkout' } };
    await domainError(
      sut.save(await demoPrincipal(t.app, 'dave'), { dataContract: moved }),
      ErrorCode.Forbidden,
    );
    expect(await sut.save(bob, { dataContract: moved })).toMatchObject({ created: true });
  });

  it.each([
    [{ apiVersion: 'v2.2.2' }, /apiVersion/],
    [{ kind: 'Contract' }, /kind/],
    [{ status: 'live' }, /status/],
    [{ team: { name: 'nope' } }, /team.name "nope" is not a team/],
    [
      { schema: [{ name: 'r', properties: [{ name: 'x', logicalType: 'varchar' }] }] },
      /logicalType/,
    ],
  ])('should refuse an invalid contract %j', async (overrides, message) => {
    const alice = await demoPrincipal(t.app, 'alice');
    const err = await domainError(
      sut.save(alice, { dataContract: contract({ id: 'invalid_contract', ...overrides }) }),
      ErrorCode.InvalidArgument,
    );
    expect(err.message).toMatch(message);
  });

  it('should refuse both or neither of dataContract and yaml', async () => {
    const alice = await demoPrincipal(t.app, 'alice');
    await domainError(sut.save(alice, {}), ErrorCode.InvalidArgument);
    await domainError(
      sut.save(alice, { dataContract: contract(), yaml: stringify(contract()) }),
      ErrorCode.InvalidArgument,
    );
  });

  it("should not save into or read another organization's team or contract", async () => {
    const erin = await demoPrincipal(t.app, 'erin');
    await domainError(sut.save(erin, { dataContract: contract() }), ErrorCode.InvalidArgument);
    await domainError(sut.get(erin, { dataContractId: 'returns_v1_contract' }), ErrorCode.NotFound);
    const own = await sut.save(erin, {
      dataContract: contract({ team: { name: 'payments' } }),
    });
    expect(own).toMatchObject({ id: 'returns_v1_contract', created: true });
    expect(await versions('returns_v1_contract')).toHaveLength(3);
  });
});
