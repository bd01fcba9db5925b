import { readDataProduct } from 'src/catalog/documents/data-product.document';
import {
  fieldPaths,
  loadDocument,
  problemsOf as problems,
} from 'test/fixtures/catalog-documents/catalog-fixtures';

type Doc = Record<string, any>;

const full = (): Doc => loadDocument('full-product.odps.yaml');

/** The fields ODPS v1.0.0 defines ("Fundamentals" to "Other Properties"). */
const ANCILLARY = ['customProperties[].property', 'customProperties[].value'];
const DEFINITIONS = ['authoritativeDefinitions[].type', 'authoritativeDefinitions[].url'];
const ODPS_FIELDS = [
  'apiVersion',
  'kind',
  'id',
  'name',
  'version',
  'status',
  'domain',
  'tenant',
  'tags',
  ...DEFINITIONS,
  'authoritativeDefinitions[].description',
  'description.purpose',
  'description.limitations',
  'description.usage',
  ...DEFINITIONS.map((f) => `description.${f}`),
  ...ANCILLARY.map((f) => `description.${f}`),
  ...ANCILLARY,
  'customProperties[].description',
  'inputPorts[].name',
  'inputPorts[].version',
  'inputPorts[].contractId',
  'inputPorts[].tags',
  ...[...ANCILLARY, ...DEFINITIONS].map((f) => `inputPorts[].${f}`),
  'outputPorts[].name',
  'outputPorts[].description',
  'outputPorts[].type',
  'outputPorts[].version',
  'outputPorts[].contractId',
  'outputPorts[].sbom[].type',
  'outputPorts[].sbom[].url',
  'outputPorts[].inputContracts[].id',
  'outputPorts[].inputContracts[].version',
  'outputPorts[].tags',
  ...[...ANCILLARY, ...DEFINITIONS].map((f) => `outputPorts[].${f}`),
  'managementPorts[].name',
  'managementPorts[].content',
  'managementPorts[].type',
  'managementPorts[].url',
  'managementPorts[].channel',
  'managementPorts[].description',
  'managementPorts[].tags',
  ...[...ANCILLARY, ...DEFINITIONS].map((f) => `managementPorts[].${f}`),
  'support[].channel',
  'support[].url',
  'support[].description',
  'support[].tool',
  'support[].scope',
  'support[].invitationUrl',
  'support[].tags',
  ...[...ANCILLARY, ...DEFINITIONS].map((f) => `support[].${f}`),
  'team.name',
  'team.description',
  'team.tags',
  ...[...ANCILLARY, ...DEFINITIONS].map((f) => `team.${f}`),
  ...[
    'username',
    'name',
    'description',
    'role',
    'dateIn',
    'dateOut',
    'replacedByUsername',
    'tags',
  ].map((f) => `team.members[].${f}`),
  ...[...ANCILLARY, ...DEFINITIONS].map((f) => `team.members[].${f}`),
  'productCreatedTs',
];

const problemsOf = (doc: unknown, expectedId?: string) =>
  problems(readDataProduct, doc, expectedId);

describe('our ODPS v1.0.0 schema', () => {
  it('should use every field ODPS v1.0.0 defines in the full example', () => {
    const present = fieldPaths(full());
    expect(ODPS_FIELDS.filter((f) => !present.has(f))).toEqual([]);
  });

  it.each<[string, (d: Doc) => void, string, RegExp]>([
    ['no apiVersion', (d) => delete d.apiVersion, '$.apiVersion', /is required/],
    ['ODPS v0.9.0', (d) => (d.apiVersion = 'v0.9.0'), '$.apiVersion', /one of v1\.0\.0/],
    ['another kind', (d) => (d.kind = 'DataContract'), '$.kind', /"DataProduct"/],
    ['no id', (d) => delete d.id, '$.id', /must be 1 to 200 letters/],
    ['an id with a slash', (d) => (d.id = 'a/b'), '$.id', /must be 1 to 200/],
    ['no status', (d) => delete d.status, '$.status', /is required/],
    [
      'an unknown status',
      (d) => (d.status = 'live'),
      '$.status',
      /proposed, draft, active, deprecated, retired/,
    ],
    ['a numeric name', (d) => (d.name = 42), '$.name', /must be text/],
    ['tags as text', (d) => (d.tags = 'sales'), '$.tags', /must be a list/],
    ['a numeric tag', (d) => (d.tags = ['a', 1]), '$.tags[1]', /must be text/],
    ['a description as text', (d) => (d.description = 'x'), '$.description', /must be an object/],
    [
      'a numeric purpose',
      (d) => (d.description.purpose = 1),
      '$.description.purpose',
      /must be text/,
    ],
    [
      'a definition without url',
      (d) => delete d.authoritativeDefinitions[0].url,
      '$.authoritativeDefinitions[0].url',
      /is required/,
    ],
    [
      'a definition url that is no URL',
      (d) => (d.authoritativeDefinitions[0].url = 'wiki page'),
      '$.authoritativeDefinitions[0].url',
      /must be a URL/,
    ],
    [
      'a custom property without property',
      (d) => delete d.customProperties[2].property,
      '$.customProperties[2].property',
      /is required/,
    ],
    [
      'a custom property without value',
      (d) => delete d.customProperties[2].value,
      '$.customProperties[2].value',
      /is required/,
    ],
    [
      'a numeric certification',
      (d) => (d.customProperties[1].value = 1),
      '$.customProperties[1].value',
      /must be text/,
    ],
    [
      'an archetype twice',
      (d) => d.customProperties.push({ property: 'archetype', value: 'x' }),
      '$.customProperties[3].property',
      /already set in \$\.customProperties\[0\]/,
    ],
    ['no owner team', (d) => delete d.team, '$.team.name', /owner team/],
    [
      'an owner that is not team.name',
      (d) => d.customProperties.push({ property: 'owner', value: 'marketing' }),
      '$.customProperties[3].value',
      /must be team.name \("checkout"\)/,
    ],
    [
      'an input port without name',
      (d) => delete d.inputPorts[0].name,
      '$.inputPorts[0].name',
      /is required/,
    ],
    [
      'an output port list as object',
      (d) => (d.outputPorts = {}),
      '$.outputPorts',
      /must be a list/,
    ],
    [
      'an output port without name',
      (d) => delete d.outputPorts[1].name,
      '$.outputPorts[1].name',
      /must be 1 to 200/,
    ],
    [
      'an output port name with spaces',
      (d) => (d.outputPorts[1].name = 'orders v1'),
      '$.outputPorts[1].name',
      /must be 1 to 200/,
    ],
    [
      'two ports of one name',
      (d) => (d.outputPorts[1].name = 'orders_pii_v1'),
      '$.outputPorts[1].name',
      /already the name of \$\.outputPorts\[0\]/,
    ],
    [
      'a numeric port version',
      (d) => (d.outputPorts[0].version = 1),
      '$.outputPorts[0].version',
      /must be text: quote it in YAML \("1"\)/,
    ],
    [
      'an sbom of another type',
      (d) => (d.outputPorts[0].sbom[0].type = 'internal'),
      '$.outputPorts[0].sbom[0].type',
      /"external"/,
    ],
    [
      'an sbom without url',
      (d) => delete d.outputPorts[0].sbom[0].url,
      '$.outputPorts[0].sbom[0].url',
      /is required/,
    ],
    [
      'an input contract without version',
      (d) => delete d.outputPorts[0].inputContracts[0].version,
      '$.outputPorts[0].inputContracts[0].version',
      /is required/,
    ],
    [
      'an unknown port status',
      (d) => (d.outputPorts[0].customProperties[0].value = 'draft'),
      '$.outputPorts[0].customProperties[0].value',
      /one of proposed, active, deprecated, retired/,
    ],
    [
      'autoApprove as text',
      (d) => (d.outputPorts[0].customProperties[1].value = 'no'),
      '$.outputPorts[0].customProperties[1].value',
      /true or false/,
    ],
    [
      'containsPii as a number',
      (d) => (d.outputPorts[0].customProperties[2].value = 1),
      '$.outputPorts[0].customProperties[2].value',
      /true or false/,
    ],
    [
      'a server as text',
      (d) => (d.outputPorts[0].customProperties[3].value = 'db'),
      '$.outputPorts[0].customProperties[3].value',
      /must be an object/,
    ],
    [
      'a server port as text',
      (d) => (d.outputPorts[0].customProperties[3].value.port = '5432'),
      '$.outputPorts[0].customProperties[3].value.port',
      /must be an integer/,
    ],
    [
      'a numeric environment',
      (d) => (d.outputPorts[0].customProperties[4].value = 1),
      '$.outputPorts[0].customProperties[4].value',
      /must be text/,
    ],
    [
      'a management port without content',
      (d) => delete d.managementPorts[0].content,
      '$.managementPorts[0].content',
      /is required/,
    ],
    [
      'a management port url that is no URL',
      (d) => (d.managementPorts[0].url = 'topic'),
      '$.managementPorts[0].url',
      /must be a URL/,
    ],
    [
      'support without channel',
      (d) => delete d.support[0].channel,
      '$.support[0].channel',
      /is required/,
    ],
    ['support without url', (d) => delete d.support[0].url, '$.support[0].url', /is required/],
    ['support as an object', (d) => (d.support = d.support[0]), '$.support', /must be a list/],
    [
      'a member without username',
      (d) => delete d.team.members[0].username,
      '$.team.members[0].username',
      /is required/,
    ],
    [
      'a member dateIn that is no date',
      (d) => (d.team.members[0].dateIn = '01.01.2023'),
      '$.team.members[0].dateIn',
      /YYYY-MM-DD/,
    ],
    [
      'a created time without zone',
      (d) => (d.productCreatedTs = '2024-05-01T09:30:00'),
      '$.productCreatedTs',
      /date-time/,
    ],
  ])('should report %s', (_case, mutate, path, message) => {
    const doc = full();
    mutate(doc);
    const problems = problemsOf(doc);
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it.each([['text'], [['a list']], [null]])('should refuse %j: not an object', (body) => {
    expect(problemsOf(body)).toEqual([
      { path: '$', message: expect.stringMatching(/must be an object/) },
    ]);
  });

  it('should list every problem at once', () => {
    const doc = full();
    doc.status = 'live';
    doc.outputPorts[0].customProperties[1].value = 'no';
    delete doc.team;
    doc.support[0].url = 'not a url';
    expect(problemsOf(doc).map((p) => p.path)).toEqual(
      expect.arrayContaining([
        '$.status',
        '$.outputPorts[0].customProperties[1].value',
        '$.team.name',
        '$.support[0].url',
      ]),
    );
    expect(problemsOf(doc)).toHaveLength(4);
  });
});
