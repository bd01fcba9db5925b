import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArchiveError, readTarGz } from 'src/catalog/import/catalog-archive';
import { IMPORT_LIMITS } from 'src/catalog/import/catalog-files';

/** Archives made by GNU tar, as a CI job would make them. */
describe('readTarGz', () => {
  let dir: string;
  // Longer than ustar's 100-byte name field: a prefix (ustar), a pax path or a GNU long name.
  const longFolder = `${'deep-folder-name-'.repeat(4)}one/${'deep-folder-name-'.repeat(4)}two`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-archive-'));
    const root = join(dir, 'catalog');
    await mkdir(join(root, 'teams'), { recursive: true });
    await mkdir(join(root, '.git'), { recursive: true });
    await mkdir(join(root, longFolder), { recursive: true });
    await writeFile(join(root, 'teams', 'web-shop.yaml'), 'id: web-shop\n');
    await writeFile(join(root, 'teams', '.hidden.yaml'), 'id: hidden\n');
    await writeFile(join(root, '.git', 'config.yml'), 'id: git\n');
    await writeFile(join(root, 'README.md'), '# not a catalog file\n');
    await writeFile(join(root, longFolder, 'contract.json'), '{"id":"long"}');
    await symlink(join(root, 'teams', 'web-shop.yaml'), join(root, 'teams', 'link.yaml'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const tarGz = (...args: string[]): Buffer =>
    execFileSync('tar', ['-czf', '-', ...args, '-C', dir, 'catalog']);

  it.each([['gnu'], ['posix'], ['ustar']])(
    'should read the regular catalog files of a %s archive and skip dotfiles, links and others',
    (format) => {
      const files = readTarGz(tarGz(`--format=${format}`));
      const byName = Object.fromEntries(files.map((f) => [f.name, f.content.toString()]));
      expect(byName).toEqual({
        'catalog/teams/web-shop.yaml': 'id: web-shop\n',
        [`catalog/${longFolder}/contract.json`]: '{"id":"long"}',
      });
    },
  );

  it('should name files without a leading ./', () => {
    const tar = execFileSync('tar', ['-czf', '-', '-C', join(dir, 'catalog'), './teams']);
    expect(readTarGz(tar).map((f) => f.name)).toEqual(['teams/web-shop.yaml']);
  });

  it('should refuse a body that is not gzip, or gzip that is not tar', () => {
    const notGzip = catchArchiveError(() => readTarGz(Buffer.from('id: x\n')));
    expect(notGzip).toMatchObject({ tooLarge: false, message: expect.stringMatching(/gzip/) });
    const notTar = catchArchiveError(() => readTarGz(gzipSync(Buffer.alloc(1024, 'x'))));
    expect(notTar).toMatchObject({ tooLarge: false, message: expect.stringMatching(/tar/) });
  });

  it('should refuse a truncated archive', () => {
    const tar = execFileSync('tar', ['-cf', '-', '-C', dir, 'catalog']);
    const cut = catchArchiveError(() => readTarGz(gzipSync(tar.subarray(0, 1024 + 100))));
    expect(cut).toMatchObject({ tooLarge: false, message: expect.stringMatching(/truncated/) });
  });

  it('should stop decompressing beyond the import bound (a gzip bomb is 413, not memory)', () => {
    const bomb = gzipSync(Buffer.alloc(IMPORT_LIMITS.totalBytes + 1));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(catchArchiveError(() => readTarGz(bomb))).toMatchObject({ tooLarge: true });
  });
});

function catchArchiveError(fn: () => unknown): ArchiveError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ArchiveError) return err;
    throw err;
  }
  throw new Error('expected an ArchiveError');
}
