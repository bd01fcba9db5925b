import { readDataContract } from 'src/catalog/documents/data-contract.document';
import {
  fieldPaths,
  loadDocument,
  problemsOf as problems,
} from 'test/fixtures/catalog-documents/catalog-fixtures';

type Doc = Record<string, any>;

const full = (): Doc => loadDocument('full-contract.odcs.yaml');

const ANCILLARY = [
  'customProperties[].id',
  'customProperties[].property',
  'customProperties[].value',
  'customProperties[].description',
];
const DEFINITIONS = [
  'authoritativeDefinitions[].id',
  'authoritativeDefinitions[].type',
  'authoritativeDefinitions[].url',
  'authoritativeDefinitions[].description',
];
const under = (prefix: string, fields: string[]) => fields.map((f) => `${prefix}.${f}`);
const ELEMENT = [
  'id',
  'name',
  'physicalType',
  'physicalName',
  'description',
  'businessName',
  'tags',
  'authoritativeDefinitions[].url',
  'customProperties[].value',
];
const PROPERTY = [
  ...ELEMENT,
  'primaryKey',
  'primaryKeyPosition',
  'logicalType',
  'required',
  'unique',
  'partitioned',
  'partitionKeyPosition',
  'classification',
  'encryptedName',
  'transformSourceObjects',
  'transformLogic',
  'transformDescription',
  'examples',
  'criticalDataElement',
  'relationships[].to',
  'quality[].metric',
  'properties[].name',
  'items.logicalType',
  ...under('logicalTypeOptions', [
    'minLength',
    'maxLength',
    'pattern',
    'format',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'multipleOf',
    'timezone',
    'defaultTimezone',
    'minProperties',
    'maxProperties',
    'required',
    'minItems',
    'maxItems',
    'uniqueItems',
  ]),
];
const QUALITY = [
  'id',
  'name',
  'description',
  'type',
  'dimension',
  'method',
  'businessImpact',
  'severity',
  'unit',
  'schedule',
  'scheduler',
  'tags',
  'metric',
  'arguments',
  'query',
  'engine',
  'implementation',
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
  'customProperties[].value',
  'authoritativeDefinitions[].url',
];
const MEMBER = [
  'id',
  'username',
  'name',
  'description',
  'role',
  'dateIn',
  'dateOut',
  'replacedByUsername',
  'tags',
  'customProperties[].value',
  'authoritativeDefinitions[].url',
];
/** The fields ODCS v3.1.0 defines, from "Fundamentals" to "Custom and other properties". */
const ODCS_FIELDS = [
  'apiVersion',
  'kind',
  'id',
  'name',
  'version',
  'status',
  'tenant',
  'tags',
  'domain',
  'dataProduct',
  'contractCreatedTs',
  'slaDefaultElement',
  ...ANCILLARY,
  ...DEFINITIONS,
  ...under('description', ['purpose', 'limitations', 'usage', ...ANCILLARY, ...DEFINITIONS]),
  ...under('servers[]', [
    'id',
    'server',
    'type',
    'description',
    'environment',
    'roles[].role',
    'customProperties[].value',
    'host',
    'port',
    'database',
    'schema',
    'location',
    'endpointUrl',
    'format',
    'delimiter',
    'account',
    'catalog',
    'dataset',
    'path',
    'project',
    'region',
    'regionName',
    'serviceName',
    'stagingDir',
    'warehouse',
    'stream',
  ]),
  ...under('schema[]', [
    ...ELEMENT,
    'logicalType',
    'dataGranularityDescription',
    'properties[].name',
    'relationships[].type',
    'relationships[].from',
    'relationships[].to',
    'relationships[].customProperties[].value',
  ]),
  ...under('schema[].properties[]', PROPERTY),
  ...under('schema[].quality[]', QUALITY),
  ...under('support[]', [
    'id',
    'channel',
    'url',
    'description',
    'tool',
    'scope',
    'invitationUrl',
    'customProperties[].value',
  ]),
  ...under('price', ['id', 'priceAmount', 'priceCurrency', 'priceUnit']),
  ...under('team', [
    'id',
    'name',
    'description',
    'tags',
    'customProperties[].value',
    'authoritativeDefinitions[].url',
  ]),
  ...under('team.members[]', MEMBER),
  ...under('roles[]', [
    'id',
    'role',
    'description',
    'access',
    'firstLevelApprovers',
    'secondLevelApprovers',
    'customProperties[].value',
  ]),
  ...under('slaProperties[]', [
    'id',
    'property',
    'value',
    'valueExt',
    'unit',
    'element',
    'driver',
    'description',
    'scheduler',
    'schedule',
  ]),
];

const problemsOf = (doc: unknown, expectedId?: string) =>
  problems(readDataContract, doc, expectedId);

describe('our ODCS v3.1.0 schema', () => {
  it('should use every field ODCS v3.1.0 defines in the full example', () => {
    const present = fieldPaths(full());
    // A quality check may sit on an object or on a property.
    for (const p of present)
      present.add(p.replace('schema[].properties[].quality[]', 'schema[].quality[]'));
    expect(ODCS_FIELDS.filter((f) => !present.has(f))).toEqual([]);
  });

  it.each<[string, (d: Doc) => void, string, RegExp]>([
    ['ODCS v2', (d) => (d.apiVersion = 'v2.2.2'), '$.apiVersion', /ODCS v3 version/],
    [
      'ODCS v3.2.0',
      (d) => (d.apiVersion = 'v3.2.0'),
      '$.apiVersion',
      /v3\.1\.0, v3\.0\.2, v3\.0\.1, v3\.0\.0/,
    ],
    ['another kind', (d) => (d.kind = 'DataProduct'), '$.kind', /"DataContract"/],
    ['no id', (d) => delete d.id, '$.id', /must be 1 to 200/],
    ['no version', (d) => delete d.version, '$.version', /non-empty string/],
    ['a blank version', (d) => (d.version = ' '), '$.version', /non-empty string/],
    ['a numeric version', (d) => (d.version = 1.2), '$.version', /non-empty string/],
    ['no status', (d) => delete d.status, '$.status', /is required/],
    [
      'an unknown status',
      (d) => (d.status = 'live'),
      '$.status',
      /proposed, draft, active, deprecated, retired/,
    ],
    [
      'no owner at all',
      (d) => {
        delete d.team;
        delete d.domain;
        d.customProperties.pop();
      },
      '$.team.name',
      /owner team/,
    ],
    [
      'an owner that is not team.name',
      (d) => (d.customProperties[1].value = 'marketing'),
      '$.customProperties[1].value',
      /team.name \("checkout"\)/,
    ],
    ['team as text', (d) => (d.team = 'checkout'), '$.team', /object with a name and members/],
    [
      'a member without username',
      (d) => delete d.team.members[0].username,
      '$.team.members[0].username',
      /is required/,
    ],
    ['a stable id with a space', (d) => (d.team.id = 'a b'), '$.team.id', /letters, digits/],
    ['a server without type', (d) => delete d.servers[0].type, '$.servers[0].type', /is required/],
    [
      'an unknown server type',
      (d) => (d.servers[0].type = 'oracle-xe'),
      '$.servers[0].type',
      /one of api, athena/,
    ],
    [
      'a postgres server without database',
      (d) => delete d.servers[0].database,
      '$.servers[0].database',
      /required for a postgres server/,
    ],
    [
      'an s3 server without location',
      (d) => delete d.servers[1].location,
      '$.servers[1].location',
      /required for a s3 server/,
    ],
    [
      'a server port as text',
      (d) => (d.servers[0].port = '5432'),
      '$.servers[0].port',
      /must be an integer/,
    ],
    [
      'a server role without role',
      (d) => delete d.servers[0].roles[0].role,
      '$.servers[0].roles[0].role',
      /is required/,
    ],
    ['schema as an object', (d) => (d.schema = {}), '$.schema', /must be a list/],
    ['a table without name', (d) => delete d.schema[1].name, '$.schema[1].name', /is required/],
    [
      'a table of logicalType array',
      (d) => (d.schema[0].logicalType = 'array'),
      '$.schema[0].logicalType',
      /"object"/,
    ],
    [
      'a column without name',
      (d) => delete d.schema[0].properties[1].name,
      '$.schema[0].properties[1].name',
      /is required/,
    ],
    [
      'an unknown logicalType',
      (d) => (d.schema[0].properties[1].logicalType = 'varchar'),
      '$.schema[0].properties[1].logicalType',
      /one of string, date, timestamp, time/,
    ],
    [
      'an unknown nested logicalType',
      (d) => (d.schema[0].properties[9].properties[0].logicalType = 'text'),
      '$.schema[0].properties[9].properties[0].logicalType',
      /must be one of/,
    ],
    [
      'an unknown item logicalType',
      (d) => (d.schema[0].properties[10].items.logicalType = 'text'),
      '$.schema[0].properties[10].items.logicalType',
      /must be one of/,
    ],
    [
      'required as text',
      (d) => (d.schema[0].properties[0].required = 'yes'),
      '$.schema[0].properties[0].required',
      /true or false/,
    ],
    [
      'a fractional key position',
      (d) => (d.schema[0].properties[0].primaryKeyPosition = 1.5),
      '$.schema[0].properties[0].primaryKeyPosition',
      /integer/,
    ],
    [
      'examples as text',
      (d) => (d.schema[0].properties[0].examples = 'x'),
      '$.schema[0].properties[0].examples',
      /must be a list/,
    ],
    [
      'a negative maxLength',
      (d) => (d.schema[0].properties[0].logicalTypeOptions.maxLength = -1),
      '$.schema[0].properties[0].logicalTypeOptions.maxLength',
      /at least 0/,
    ],
    [
      'an unknown integer format',
      (d) => (d.schema[0].properties[3].logicalTypeOptions.format = 'i33'),
      '$.schema[0].properties[3].logicalTypeOptions.format',
      /one of i8/,
    ],
    [
      'a text minimum for a number',
      (d) => (d.schema[0].properties[4].logicalTypeOptions.exclusiveMinimum = '0'),
      '$.schema[0].properties[4].logicalTypeOptions.exclusiveMinimum',
      /must be a number/,
    ],
    [
      'a numeric minimum for a date',
      (d) => (d.schema[0].properties[5].logicalTypeOptions.minimum = 2020),
      '$.schema[0].properties[5].logicalTypeOptions.minimum',
      /must be text/,
    ],
    [
      'timezone as text',
      (d) => (d.schema[0].properties[6].logicalTypeOptions.timezone = 'UTC'),
      '$.schema[0].properties[6].logicalTypeOptions.timezone',
      /true or false/,
    ],
    [
      'an empty required list',
      (d) => (d.schema[0].properties[9].logicalTypeOptions.required = []),
      '$.schema[0].properties[9].logicalTypeOptions.required',
      /at least 1/,
    ],
    [
      'a relationship of another type',
      (d) => (d.schema[0].relationships[0].type = 'primaryKey'),
      '$.schema[0].relationships[0].type',
      /"foreignKey"/,
    ],
    [
      'a schema relationship without from',
      (d) => delete d.schema[0].relationships[0].from,
      '$.schema[0].relationships[0].from',
      /is required/,
    ],
    [
      'a property relationship with from',
      (d) => (d.schema[0].properties[1].relationships[0].from = 'orders.customer_id'),
      '$.schema[0].properties[1].relationships[0].from',
      /must not be set/,
    ],
    [
      'a reference that is neither shorthand nor qualified',
      (d) => (d.schema[0].relationships[0].to = 'customers id'),
      '$.schema[0].relationships[0].to',
      /table\.column/,
    ],
    [
      'a composite key of two columns to one',
      (d) => (d.schema[0].relationships[0].from = ['orders.customer_id', 'orders.shop_id']),
      '$.schema[0].relationships[0].to',
      /as many references as from \(2\), not one/,
    ],
    [
      'an unknown quality dimension',
      (d) => (d.schema[0].quality[0].dimension = 'freshness'),
      '$.schema[0].quality[0].dimension',
      /accuracy, completeness/,
    ],
    [
      'an unknown quality type',
      (d) => (d.schema[0].quality[0].type = 'dbt'),
      '$.schema[0].quality[0].type',
      /text, library, sql, custom/,
    ],
    [
      'an unknown metric',
      (d) => (d.schema[0].quality[0].metric = 'rowCountCheck'),
      '$.schema[0].quality[0].metric',
      /nullValues, missingValues/,
    ],
    [
      'a sql check without query',
      (d) => delete d.schema[0].quality[1].query,
      '$.schema[0].quality[1].query',
      /required for a sql check/,
    ],
    [
      'a custom check without engine',
      (d) => delete d.schema[0].quality[2].engine,
      '$.schema[0].quality[2].engine',
      /required for a custom check/,
    ],
    [
      'a library check without metric',
      (d) => delete d.schema[0].quality[0].metric,
      '$.schema[0].quality[0].metric',
      /required for a library check/,
    ],
    [
      'a between of three',
      (d) => (d.schema[0].properties[3].quality[0].mustBeBetween = [1, 2, 3]),
      '$.schema[0].properties[3].quality[0].mustBeBetween',
      /at most 2/,
    ],
    [
      'a text threshold',
      (d) => (d.schema[0].quality[0].mustBeGreaterThan = 'zero'),
      '$.schema[0].quality[0].mustBeGreaterThan',
      /must be a number/,
    ],
    [
      'support without channel',
      (d) => delete d.support[0].channel,
      '$.support[0].channel',
      /is required/,
    ],
    [
      'a price as text',
      (d) => (d.price.priceAmount = '0.01'),
      '$.price.priceAmount',
      /must be a number/,
    ],
    ['a role without role', (d) => delete d.roles[1].role, '$.roles[1].role', /is required/],
    [
      'an SLA without value',
      (d) => delete d.slaProperties[1].value,
      '$.slaProperties[1].value',
      /is required/,
    ],
    [
      'an SLA value that is a list',
      (d) => (d.slaProperties[1].value = [1]),
      '$.slaProperties[1].value',
      /text, a number/,
    ],
    [
      'a custom property without property',
      (d) => delete d.customProperties[0].property,
      '$.customProperties[0].property',
      /is required/,
    ],
    [
      'a numeric owner',
      (d) => {
        delete d.team.name;
        d.customProperties[1].value = 7;
      },
      '$.customProperties[1].value',
      /must be text/,
    ],
    [
      'a created time that is no time',
      (d) => (d.contractCreatedTs = 'yesterday'),
      '$.contractCreatedTs',
      /date-time/,
    ],
    [
      'a member dateOut that is no date',
      (d) => (d.team.members[0].dateOut = 'soon'),
      '$.team.members[0].dateOut',
      /YYYY-MM-DD/,
    ],
  ])('should report %s', (_case, mutate, path, message) => {
    const doc = full();
    mutate(doc);
    expect(problemsOf(doc)).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('should accept fully qualified references and composite keys', () => {
    const doc = full();
    doc.schema[0].relationships.push({
      from: ['schema/orders_tbl/properties/order_id_col', 'orders.customer_id'],
      to: ['customer-contract.yaml#/schema/customers_tbl/properties/id', 'customers.shop.id'],
    });
    expect(readDataContract(doc).ok).toBe(true);
  });

  it('should list every problem at once', () => {
    const doc = full();
    doc.kind = 'Contract';
    doc.schema[0].properties[1].logicalType = 'varchar';
    doc.servers[0].port = 'x';
    delete doc.roles[0].role;
    expect(
      problemsOf(doc)
        .map((p) => p.path)
        .sort(),
    ).toEqual([
      '$.kind',
      '$.roles[0].role',
      '$.schema[0].properties[1].logicalType',
      '$.servers[0].port',
    ]);
  });
});
