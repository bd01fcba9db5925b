import type { TeamModel } from 'src/catalog/documents/catalog-model';
import { readTeam, teamDocumentFromModel } from 'src/catalog/documents/team.document';
import {
  expectIdRule,
  fieldPaths,
  loadDocument,
  problemsOf as problems,
} from 'test/fixtures/catalog-documents/catalog-fixtures';

type Doc = Record<string, any>;

const full = (): Doc => loadDocument('full-team.team.yaml');

const TEAM_FIELDS = [
  'kind',
  'apiVersion',
  'id',
  'name',
  'type',
  'parent',
  'description',
  'members[].emailAddress',
  'members[].role',
  'tags',
  'links.homepage',
  'custom.slack-channel',
];

const expectedModel: TeamModel = {
  id: 'checkout',
  name: 'Checkout',
  type: 'Team',
  parentId: 'sales',
  members: [
    { email: 'alice@acme.example', role: 'owner' },
    { email: 'bob@acme.example', role: 'approver' },
    { email: 'carol@acme.example', role: 'editor' },
    { email: 'dave@acme.example', role: 'member' },
    { email: 'erin@acme.example', role: 'steward' },
  ],
};

const problemsOf = (doc: unknown, expectedId?: string) => problems(readTeam, doc, expectedId);

describe('readTeam', () => {
  it('should use every field of a team document in the full example', () => {
    const present = fieldPaths(full());
    expect(TEAM_FIELDS.filter((f) => !present.has(f))).toEqual([]);
  });

  it('should accept the full example, roles in any case, emails lower-cased', () => {
    expect(readTeam(full(), 'checkout')).toEqual({ ok: true, model: expectedModel, warnings: [] });
  });

  it('should accept a minimal team without parent or members', () => {
    const result = readTeam({ id: 'sales', name: 'Sales', type: 'Domain' });
    expect(result.ok && result.model).toEqual({
      id: 'sales',
      name: 'Sales',
      type: 'Domain',
      parentId: null,
      members: [],
    });
  });

  it('should leave the body as it was, unknown fields included', () => {
    const doc = { ...full(), 'x-slack': { channel: 'c' } };
    const before = structuredClone(doc);
    expect(readTeam(doc).ok).toBe(true);
    expect(doc).toEqual(before);
  });

  it.each<[string, (d: Doc) => void, string, RegExp]>([
    ['no id', (d) => delete d.id, '$.id', /must be 1 to 200/],
    ['no name', (d) => delete d.name, '$.name', /is required/],
    ['an empty name', (d) => (d.name = ''), '$.name', /must not be empty/],
    ['no type', (d) => delete d.type, '$.type', /must be one of Domain, Team, Domain Team/],
    [
      'a lower-case type',
      (d) => (d.type = 'team'),
      '$.type',
      /Enabling Team, Platform Team, Governance Group/,
    ],
    ['another kind', (d) => (d.kind = 'DataProduct'), '$.kind', /"Team"/],
    [
      'a parent that is not an id',
      (d) => (d.parent = 'the sales domain'),
      '$.parent',
      /must be 1 to 200/,
    ],
    ['itself as parent', (d) => (d.parent = 'checkout'), '$.parent', /team itself/],
    ['members as an object', (d) => (d.members = {}), '$.members', /must be a list/],
    [
      'a member without email',
      (d) => delete d.members[1].emailAddress,
      '$.members[1].emailAddress',
      /is required/,
    ],
    [
      'a member email without domain',
      (d) => (d.members[1].emailAddress = 'bob'),
      '$.members[1].emailAddress',
      /email address/,
    ],
    [
      'an unknown role',
      (d) => (d.members[1].role = 'boss'),
      '$.members[1].role',
      /owner, approver, editor, member, steward/,
    ],
    [
      'a member twice',
      (d) => (d.members[3].emailAddress = 'ALICE@acme.example'),
      '$.members[3].emailAddress',
      /already listed in \$\.members\[0\]/,
    ],
    ['tags as text', (d) => (d.tags = 'web'), '$.tags', /must be a list/],
    ['a link that is not text', (d) => (d.links.homepage = 1), '$.links.homepage', /must be text/],
    ['custom as a list', (d) => (d.custom = ['a']), '$.custom', /must be an object/],
  ])('should report %s', (_case, mutate, path, message) => {
    const doc = full();
    mutate(doc);
    expect(problemsOf(doc)).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('should list every problem at once', () => {
    const doc = full();
    doc.type = 'Squad';
    doc.members[0].role = 'boss';
    doc.links = [];
    expect(problemsOf(doc).map((p) => p.path)).toEqual(['$.type', '$.members[0].role', '$.links']);
  });

  it('should refuse an id other than the expected one and take the expected id when there is none', () => {
    expectIdRule(readTeam, full);
  });
});

describe('teamDocumentFromModel', () => {
  it('should round-trip a model through a document', () => {
    const doc = teamDocumentFromModel(expectedModel);
    expect(readTeam(doc)).toEqual({ ok: true, model: expectedModel, warnings: [] });
    expect(doc).toEqual({
      id: 'checkout',
      name: 'Checkout',
      type: 'Team',
      parent: 'sales',
      members: [
        { emailAddress: 'alice@acme.example', role: 'Owner' },
        { emailAddress: 'bob@acme.example', role: 'Approver' },
        { emailAddress: 'carol@acme.example', role: 'Editor' },
        { emailAddress: 'dave@acme.example', role: 'Member' },
        { emailAddress: 'erin@acme.example', role: 'Steward' },
      ],
    });
  });

  it('should keep the stored document around the model: fields, unknown fields, role spelling', () => {
    const base = full();
    const changed: TeamModel = {
      ...expectedModel,
      name: 'Checkout & Payments',
      parentId: null,
      members: [
        { email: 'alice@acme.example', role: 'owner' },
        { email: 'bob@acme.example', role: 'owner' },
      ],
    };
    const doc = teamDocumentFromModel(changed, base);
    expect(doc).toEqual({
      kind: 'Team',
      apiVersion: 'v1',
      id: 'checkout',
      name: 'Checkout & Payments',
      type: 'Team',
      description: base.description,
      members: [
        { emailAddress: 'alice@acme.example', role: 'Owner' },
        { emailAddress: 'bob@acme.example', role: 'Owner' },
      ],
      tags: base.tags,
      links: base.links,
      custom: base.custom,
    });
    expect(readTeam(doc)).toEqual({ ok: true, model: changed, warnings: [] });
  });
});
