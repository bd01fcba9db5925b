import {
  canonicalJson,
  parseContractInput,
  validateContract,
} from 'src/catalog/data-contract-validation';
import type { OdcsDocument } from 'src/catalog/entities';

const valid = (): OdcsDocument => ({
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'orders_npii_v1',
  version: '1.0.0',
  status: 'active',
  team: { name: 'checkout' },
  description: { purpose: 'Orders without PII' },
  schema: [
    {
      name: 'orders',
      properties: [
        { name: 'order_id', logicalType: 'string' },
        {
          name: 'address',
          logicalType: 'object',
          properties: [{ name: 'city', logicalType: 'string' }],
        },
        { name: 'tags', logicalType: 'array', items: { logicalType: 'string' } },
      ],
    },
  ],
  roles: [{ role: 'orders.read', access: 'read' }],
});

describe('validateContract', () => {
  it('should accept a valid ODCS v3 document and read its header', () => {
    expect(validateContract(valid())).toEqual({
      ok: true,
      header: { id: 'orders_npii_v1', version: '1.0.0', status: 'active', teamName: 'checkout' },
      warnings: [],
    });
  });

  it.each<[string, (d: OdcsDocument) => void, RegExp]>([
    ['apiVersion v2', (d) => (d.apiVersion = 'v2.2.2'), /apiVersion/],
    ['no apiVersion', (d) => delete d.apiVersion, /apiVersion/],
    ['another kind', (d) => (d.kind = 'DataProduct'), /kind must be "DataContract"/],
    ['no id', (d) => delete d.id, /^id must be/],
    ['an id with spaces', (d) => (d.id = 'orders v1'), /^id must be/],
    ['no version', (d) => delete d.version, /version must be/],
    ['a numeric version', (d) => (d.version = 1), /version must be/],
    ['an unknown status', (d) => (d.status = 'live'), /status must be one of/],
    ['no team', (d) => delete d.team, /team.name/],
    ['a team list (ODCS 3.0)', (d) => (d.team = [{ username: 'x' }]), /team.name/],
    ['a schema that is not a list', (d) => (d.schema = {}), /schema must be a list/],
    ['a table without name', (d) => (d.schema = [{ properties: [] }]), /schema\[0\] must be/],
    [
      'an unknown logicalType',
      (d) => (d.schema = [{ name: 't', properties: [{ name: 'c', logicalType: 'varchar' }] }]),
      /schema\[0\]\.properties\[0\] \(c\)\.logicalType must be one of/,
    ],
    [
      'an unknown nested logicalType',
      (d) =>
        (d.schema = [
          {
            name: 't',
            properties: [
              { name: 'o', logicalType: 'object', properties: [{ name: 'x', logicalType: 'int' }] },
            ],
          },
        ]),
      /\(x\)\.logicalType/,
    ],
    [
      'an unknown array item logicalType',
      (d) =>
        (d.schema = [
          {
            name: 't',
            properties: [{ name: 'a', logicalType: 'array', items: { logicalType: 'x' } }],
          },
        ]),
      /\.items\.logicalType/,
    ],
    ['a role without name', (d) => (d.roles = [{ access: 'read' }]), /roles\[0\]/],
  ])('should refuse %s', (_case, mutate, error) => {
    const doc = valid();
    mutate(doc);
    const result = validateContract(doc);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.some((e) => error.test(e))).toBe(true);
  });

  it('should warn about soft problems without refusing', () => {
    const doc = valid();
    doc.version = 'v1';
    delete doc.description;
    doc.schema = [{ name: 't', properties: [{ name: 'c' }] }];
    doc.roles = [
      {
        role: 'r',
        customProperties: [{ property: 'restrictedColumns', value: ['nope'] }],
      },
    ];
    const result = validateContract(doc);
    expect(result.ok && result.warnings).toEqual([
      'version "v1" is not semantic versioning (MAJOR.MINOR.PATCH)',
      'schema[0].properties[0] (c) has no logicalType',
      'roles[0] (r) lists restricted column nope, which is not in the schema',
      'description is missing (purpose, usage, limitations)',
    ]);
  });
});

describe('parseContractInput', () => {
  it('should take exactly one of dataContract and yaml', () => {
    expect(() => parseContractInput({})).toThrow(/exactly one/);
    expect(() => parseContractInput({ dataContract: valid(), yaml: 'id: x' })).toThrow(
      /exactly one/,
    );
  });

  it('should parse YAML into the same document as JSON', () => {
    const yaml = [
      'apiVersion: v3.1.0',
      'kind: DataContract',
      'id: orders_npii_v1',
      "version: '1.0.0'",
      'status: active',
      'team:',
      '  name: checkout',
    ].join('\n');
    expect(parseContractInput({ yaml })).toEqual({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'orders_npii_v1',
      version: '1.0.0',
      status: 'active',
      team: { name: 'checkout' },
    });
  });

  it.each([
    ['broken YAML', 'id: [unclosed', /could not be parsed/],
    ['duplicate keys', 'id: a\nid: b', /could not be parsed/],
    ['a list', '- a\n- b', /must be an object/],
    ['a scalar', 'just text', /must be an object/],
    [
      'alias bombs',
      `a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]`,
      /could not be parsed|too large/,
    ],
  ])('should refuse %s', (_case, yaml, error) => {
    expect(() => parseContractInput({ yaml })).toThrow(error);
  });

  it('should refuse prototype keys anywhere in the document', () => {
    const doc = JSON.parse('{"id":"x","schema":[{"__proto__":{"polluted":true}}]}');
    expect(() => parseContractInput({ dataContract: doc })).toThrow(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('canonicalJson', () => {
  it('should ignore key order but not array order', () => {
    expect(canonicalJson({ a: 1, b: { c: [1, 2], d: null } })).toBe(
      canonicalJson({ b: { d: null, c: [1, 2] }, a: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
