import type { DataProductModel, TeamModel } from 'src/catalog/documents/catalog-model';
import { CatalogIndex, checkRules, ModelEntry, overlay } from 'src/catalog/store/catalog-index';

const index = (): CatalogIndex => ({
  teams: new Map<string, string | null>([
    ['sales', null],
    ['checkout', 'sales'],
  ]),
  contracts: new Set(['orders_v1_contract']),
  products: new Set(['orders']),
  ports: new Map([['orders_v1', 'orders']]),
  emails: new Set(['alice@acme.example']),
});

const team = (id: string, parentId: string | null, emails: string[] = []): ModelEntry => ({
  kind: 'team',
  id,
  model: {
    id,
    name: id,
    type: 'Team',
    parentId,
    members: emails.map((email) => ({ email, role: 'owner' })),
  } satisfies TeamModel,
});

const product = (id: string, owner: string, ports: Array<[string, string | null]>): ModelEntry => ({
  kind: 'dataproduct',
  id,
  source: `${id}.yaml`,
  model: {
    id,
    name: id,
    status: 'active',
    archetype: null,
    certification: null,
    description: {},
    ownerTeamId: owner,
    tags: [],
    inputPorts: [],
    outputPorts: ports.map(([portId, contractId]) => ({
      id: portId,
      name: portId,
      type: 'postgres',
      status: 'active',
      autoApprove: false,
      containsPii: false,
      server: {},
      contractId,
    })),
  } satisfies DataProductModel,
});

const check = (base: CatalogIndex, entries: ModelEntry[], replaceAll = false) =>
  checkRules(overlay(base, entries, replaceAll), entries);

describe('checkRules', () => {
  it('should accept documents that only reference what exists in the database or the bundle', () => {
    const entries = [
      team('returns', 'checkout', ['Alice@acme.example']),
      product('returns', 'returns', [['returns_v1', 'orders_v1_contract']]),
    ];
    expect(check(index(), entries)).toEqual([]);
  });

  it('should report a missing owner team, parent team and contract with their paths and source', () => {
    const entries = [
      team('orphan', 'nowhere'),
      product('p', 'nobody', [['p_v1', 'missing_contract']]),
    ];
    expect(check(index(), entries)).toEqual([
      { path: '$.parent', message: 'parent team "nowhere" does not exist' },
      { path: '$.team.name', message: 'owner team "nobody" does not exist', source: 'p.yaml' },
      {
        path: '$.outputPorts[0].contractId',
        message: 'data contract "missing_contract" does not exist',
        source: 'p.yaml',
      },
    ]);
  });

  it('should refuse a parent chain that makes a cycle, whatever the order of the documents', () => {
    const problems = check(index(), [team('sales', 'checkout')]);
    expect(problems).toEqual([
      { path: '$.parent', message: expect.stringContaining('sales → checkout → sales') },
    ]);
    const pair = check(index(), [team('b', 'a'), team('a', 'b')]);
    expect(pair.map((p) => p.path)).toEqual(['$.parent', '$.parent']);
  });

  it('should refuse a port id another product uses, but let a port move between products of the bundle', () => {
    expect(check(index(), [product('other', 'checkout', [['orders_v1', null]])])).toEqual([
      {
        path: '$.outputPorts[0].name',
        message: expect.stringContaining('already used by data product "orders"'),
        source: 'other.yaml',
      },
    ]);
    const moved = [
      product('orders', 'checkout', []),
      product('other', 'checkout', [['orders_v1', null]]),
    ];
    expect(check(index(), moved)).toEqual([]);
  });

  it('should refuse team members who are not members of the organization', () => {
    expect(check(index(), [team('t', null, ['alice@acme.example', 'eve@evil.example'])])).toEqual([
      {
        path: '$.members[1].emailAddress',
        message: expect.stringContaining('eve@evil.example is not a member'),
      },
    ]);
  });

  it('should check a pruning bundle against itself only', () => {
    expect(check(index(), [product('p', 'checkout', [])], true)).toEqual([
      { path: '$.team.name', message: 'owner team "checkout" does not exist', source: 'p.yaml' },
    ]);
  });
});
