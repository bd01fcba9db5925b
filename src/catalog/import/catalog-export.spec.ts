import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogDocument } from 'src/catalog/documents/catalog-model';
import { exportPath, writeCatalogFolder } from 'src/catalog/import/catalog-export';
import { parseCatalogFile } from 'src/catalog/import/catalog-file-parser';

const server = { server: 'warehouse', type: 'postgres', host: 'localhost', port: 5432 };
const TEAM: CatalogDocument = {
  kind: 'team',
  id: 'web-shop',
  body: { id: 'web-shop', name: 'Web Shop', type: 'Team' },
};
const CONTRACT: CatalogDocument = {
  kind: 'datacontract',
  id: 'c1',
  // In the order PostgreSQL's jsonb keeps keys (shorter first), as the store hands documents out.
  body: {
    id: 'c1',
    kind: 'DataContract',
    status: 'active',
    version: '1.0.0',
    apiVersion: 'v3.1.0',
    description: { purpose: `A long purpose ${'that goes on '.repeat(20)}` },
    // The same object twice: written out twice, not as a YAML anchor and alias.
    servers: [server, server],
  },
};

describe('writeCatalogFolder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-export-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should write one YAML file per document that reads back as the same document', async () => {
    const result = await writeCatalogFolder(join(dir, 'new'), [TEAM, CONTRACT]);
    expect(result).toEqual({
      written: ['datacontracts/c1.yaml', 'teams/web-shop.yaml'],
      removed: [],
    });
    const text = await readFile(join(dir, 'new', 'datacontracts', 'c1.yaml'), 'utf8');
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text).toMatch(
      /^apiVersion: v3\.1\.0\nkind: DataContract\nid: c1\nversion: 1\.0\.0\nstatus: /,
    );
    const back = parseCatalogFile({ name: 'datacontracts/c1.yaml', content: Buffer.from(text) });
    expect(back.documents).toEqual([{ ...CONTRACT, source: 'datacontracts/c1.yaml' }]);
  });

  it('should refuse a folder that is not empty', async () => {
    await writeFile(join(dir, 'README.md'), 'mine');
    await expect(writeCatalogFolder(dir, [TEAM])).rejects.toThrow(/is not empty.*--force/);
    expect(await readdir(dir)).toEqual(['README.md']);
  });

  it('should replace only the catalog files of the kind folders with force', async () => {
    await mkdir(join(dir, 'teams'));
    await writeFile(join(dir, 'README.md'), 'mine');
    await writeFile(join(dir, 'teams', 'gone.yaml'), 'id: gone');
    await writeFile(join(dir, 'teams', 'notes.txt'), 'kept');
    const result = await writeCatalogFolder(dir, [TEAM], { force: true });
    expect(result).toEqual({ written: ['teams/web-shop.yaml'], removed: ['teams/gone.yaml'] });
    expect((await readdir(join(dir, 'teams'))).sort()).toEqual(['notes.txt', 'web-shop.yaml']);
    expect(await readdir(dir)).toContain('README.md');
  });

  it('should never let an id name a path outside its folder', () => {
    expect(exportPath({ kind: 'team', id: '../etc/passwd' })).toBe(
      'teams/%2E.%2Fetc%2Fpasswd.yaml',
    );
    expect(exportPath({ kind: 'dataproduct', id: '.hidden' })).toBe('dataproducts/%2Ehidden.yaml');
    expect(exportPath({ kind: 'datacontract', id: 'urn:c:1' })).toBe(
      'datacontracts/urn%3Ac%3A1.yaml',
    );
  });
});
