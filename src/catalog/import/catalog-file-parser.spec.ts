import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataContract } from 'src/catalog/documents/data-contract.document';
import { readDataProduct } from 'src/catalog/documents/data-product.document';
import { readTeam } from 'src/catalog/documents/team.document';
import { exportPath } from 'src/catalog/import/catalog-export';
import { parseCatalogFile } from 'src/catalog/import/catalog-file-parser';
import { readCatalogPath } from 'src/catalog/import/catalog-folder';

const file = (name: string, text: string | Buffer) => ({
  name,
  content: Buffer.isBuffer(text) ? text : Buffer.from(text),
});

const TEAM = 'id: logistics\nname: Logistics\ntype: Team\n';
const CONTRACT = 'apiVersion: v3.1.0\nkind: DataContract\nid: c1\nversion: 1.0.0\nstatus: active\n';

describe('parseCatalogFile', () => {
  const sut = parseCatalogFile;

  it('should read every document of a YAML file, naming each by the line it starts on', () => {
    const parsed = sut(file('all.yaml', `${TEAM}---\n${CONTRACT}---\n`));
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents.map((d) => [d.kind, d.id, d.source])).toEqual([
      ['team', 'logistics', 'all.yaml:1'],
      ['datacontract', 'c1', 'all.yaml:5'],
    ]);
    expect(parsed.documents[0].body).toEqual({ id: 'logistics', name: 'Logistics', type: 'Team' });
  });

  it('should name a single document by its file only', () => {
    expect(sut(file('teams/logistics.yml', TEAM)).documents[0].source).toBe('teams/logistics.yml');
  });

  it('should report a YAML syntax error with its line and column and keep the other documents', () => {
    const parsed = sut(file('all.yaml', `${TEAM}---\nid: [unclosed\nname: x\n`));
    expect(parsed.documents.map((d) => d.id)).toEqual(['logistics']);
    expect(parsed.problems).toEqual([
      {
        source: 'all.yaml',
        path: expect.stringMatching(/^line [56], column \d+$/),
        message: expect.stringMatching(/^invalid YAML: /),
      },
    ]);
  });

  it('should report a duplicate key', () => {
    const parsed = sut(file('t.yaml', `${TEAM}name: Again\n`));
    expect(parsed.problems).toEqual([
      { source: 't.yaml', path: 'line 4, column 1', message: expect.stringMatching(/unique/i) },
    ]);
  });

  it('should report a JSON syntax error with its line and column', () => {
    const parsed = sut(file('c.json', '{\n  "id": "c1",\n  "kind" "DataContract"\n}'));
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([
      {
        source: 'c.json',
        path: 'line 3, column 10',
        message: expect.stringMatching(/^invalid JSON: /),
      },
    ]);
  });

  it('should refuse documents of unknown kind, lists and scalars', () => {
    const parsed = sut(file('x.yaml', 'kind: Pipeline\nid: p\n---\n- a\n---\nhello\n'));
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([
      {
        source: 'x.yaml:1',
        path: '$.kind',
        message: expect.stringMatching(/^unknown kind of document/),
      },
      { source: 'x.yaml:4', path: '$', message: expect.stringMatching(/must be an object/) },
      { source: 'x.yaml:6', path: '$', message: expect.stringMatching(/must be an object/) },
    ]);
  });

  it('should tell a team with an unknown type which types there are', () => {
    expect(sut(file('t.yaml', 'id: squad\nname: Squad\ntype: Squad\n')).problems).toEqual([
      { source: 't.yaml', path: '$.type', message: expect.stringMatching(/one of Domain, Team, /) },
    ]);
  });

  it('should refuse a document that expands aliases beyond the bound (billion laughs)', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const ref = `*${prev}`;
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(ref).join(', ')}]`,
      );
    }
    const parsed = sut(file('bomb.yaml', `${TEAM}${levels.join('\n')}\n`));
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([
      { source: 'bomb.yaml', path: '$', message: expect.stringMatching(/alias/i) },
    ]);
  });

  it('should refuse __proto__ keys with their path', () => {
    const parsed = sut(
      file('t.json', '{"id":"t","name":"T","type":"Team","links":{"__proto__":{"x":1}}}'),
    );
    expect(parsed.problems).toEqual([
      { source: 't.json', path: '$.links.__proto__', message: 'this key is not allowed' },
    ]);
  });

  it('should refuse text that is not UTF-8 and names of other types', () => {
    expect(sut(file('t.yaml', Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xff]))).problems).toEqual([
      { source: 't.yaml', path: '$', message: 'the file is not UTF-8 text' },
    ]);
    expect(sut(file('notes.txt', TEAM)).problems[0].message).toMatch(/not a catalog file/);
  });
});

describe('readCatalogPath', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-folder-'));
    await mkdir(join(dir, 'teams', 'nested'), { recursive: true });
    await mkdir(join(dir, '.git'), { recursive: true });
    await writeFile(join(dir, 'teams', 'nested', 'logistics.yaml'), TEAM);
    await writeFile(join(dir, 'teams', '.draft.yaml'), 'not: read');
    await writeFile(join(dir, '.git', 'HEAD.json'), '{');
    await writeFile(join(dir, 'README.md'), '# read me');
    await writeFile(join(dir, 'broken.json'), '{');
    await symlink(join(dir, 'teams', 'nested', 'logistics.yaml'), join(dir, 'teams', 'link.yaml'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('should read the catalog files under a folder, with paths relative to it, skipping dotfiles', async () => {
    const parsed = await readCatalogPath(dir);
    expect(parsed.documents.map((d) => d.source)).toEqual(['teams/nested/logistics.yaml']);
    expect(parsed.problems.map((p) => p.source)).toEqual(['broken.json']);
  });

  it('should follow a link given as the path, not links below it', async () => {
    await symlink(dir, `${dir}-link`);
    try {
      const parsed = await readCatalogPath(`${dir}-link`);
      expect(parsed.documents.map((d) => d.source)).toEqual(['teams/nested/logistics.yaml']);
    } finally {
      await rm(`${dir}-link`);
    }
  });

  it('should read one file given by its path', async () => {
    const parsed = await readCatalogPath(join(dir, 'teams', 'nested', 'logistics.yaml'));
    expect(parsed.documents.map((d) => [d.id, d.source])).toEqual([
      ['logistics', 'logistics.yaml'],
    ]);
  });

  it('should refuse a path that does not exist', async () => {
    await expect(readCatalogPath(join(dir, 'missing'))).rejects.toThrow(/No such file or folder/);
  });

  it('should read the shipped example catalog: three teams, three products, three valid contracts', async () => {
    const parsed = await readCatalogPath(join(__dirname, '../../../examples/catalog'));
    expect(parsed.problems).toEqual([]);
    // The examples use the export's layout, one document per file named by its id.
    expect(parsed.documents.map((d) => d.source)).toEqual(parsed.documents.map(exportPath));
    const kinds = parsed.documents.map((d) => d.kind);
    expect(
      ['team', 'dataproduct', 'datacontract'].map((k) => kinds.filter((x) => x === k).length),
    ).toEqual([3, 3, 3]);
    for (const d of parsed.documents) {
      const read = { team: readTeam, dataproduct: readDataProduct, datacontract: readDataContract }[
        d.kind
      ];
      const result = read(d.body);
      expect({ source: d.source, ...result }).toMatchObject({ ok: true, warnings: [] });
    }
  });
});
