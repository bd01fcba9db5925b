import { Repository } from 'typeorm';
import { ClientService } from 'src/oauth/clients/client.service';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
import { AppConfig } from 'src/config/app.config';
import { OAuthClient } from 'src/oauth/entities';

describe('ClientService.findByClientId', () => {
  let repo: { findOneBy: jest.Mock };
  let documents: { resolve: jest.Mock };
  let sut: ClientService;

  beforeEach(() => {
    repo = { findOneBy: jest.fn().mockResolvedValue(null) };
    documents = { resolve: jest.fn().mockResolvedValue(null) };
    sut = new ClientService(
      repo as unknown as Repository<OAuthClient>,
      documents as unknown as MetadataDocumentService,
    );
  });

  it('should look a generated client_id up among dynamic clients only', async () => {
    await sut.findByClientId('kq3Y1f0yVb2d9Yg3uD6c8Z9xQ0aWm4sR');
    expect(repo.findOneBy).toHaveBeenCalledWith({
      clientId: 'kq3Y1f0yVb2d9Yg3uD6c8Z9xQ0aWm4sR',
      kind: 'dynamic',
    });
    expect(documents.resolve).not.toHaveBeenCalled();
  });

  it('should resolve an https client_id with a path as a metadata document', async () => {
    const url = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
    await sut.findByClientId(url);
    expect(documents.resolve).toHaveBeenCalledWith(url);
    expect(repo.findOneBy).not.toHaveBeenCalled();
  });

  it.each([
    'https://example.com',
    'https://example.com/',
    'https://example.com/a#b',
    'https://u@example.com/a',
    'https://example.com/a/../b',
  ])('should call the https client_id %s unknown without fetching or querying', async (id) => {
    await expect(sut.findByClientId(id)).resolves.toBeNull();
    expect(documents.resolve).not.toHaveBeenCalled();
    expect(repo.findOneBy).not.toHaveBeenCalled();
  });

  it.each([[''], ['x'.repeat(2001)], [undefined], [42]])(
    'should call %p unknown without querying',
    async (id) => {
      await expect(sut.findByClientId(id as string)).resolves.toBeNull();
      expect(repo.findOneBy).not.toHaveBeenCalled();
    },
  );

  it('should let database errors through', async () => {
    const down = new Error('Connection terminated unexpectedly');
    repo.findOneBy.mockRejectedValue(down);
    await expect(sut.findByClientId('abc')).rejects.toBe(down);
  });

  describe('with AUTH_CACHE_TTL_MS', () => {
    const client = { id: 'c1', clientId: 'kq3Y1f0yVb2d9Yg3uD6c8Z9xQ0aWm4sR' } as OAuthClient;
    let now: jest.SpyInstance<number, []>;

    beforeEach(() => {
      now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      sut = new ClientService(
        repo as unknown as Repository<OAuthClient>,
        documents as unknown as MetadataDocumentService,
        { authCacheTtlMs: 4000 } as AppConfig,
      );
    });
    afterEach(() => now.mockRestore());

    it('should remember a found client until the bound, then look it up again', async () => {
      repo.findOneBy.mockResolvedValue(client);
      await expect(sut.findByClientId(client.clientId)).resolves.toBe(client);
      now.mockReturnValue(1_003_999);
      await expect(sut.findByClientId(client.clientId)).resolves.toBe(client);
      expect(repo.findOneBy).toHaveBeenCalledTimes(1);
      now.mockReturnValue(1_004_000);
      repo.findOneBy.mockResolvedValue(null);
      await expect(sut.findByClientId(client.clientId)).resolves.toBeNull();
      expect(repo.findOneBy).toHaveBeenCalledTimes(2);
    });

    it('should never remember an unknown client_id', async () => {
      await expect(sut.findByClientId(client.clientId)).resolves.toBeNull();
      repo.findOneBy.mockResolvedValue(client);
      await expect(sut.findByClientId(client.clientId)).resolves.toBe(client);
      expect(repo.findOneBy).toHaveBeenCalledTimes(2);
    });

    it('should forget every client after deleting stale ones', async () => {
      repo.findOneBy.mockResolvedValue(client);
      await sut.findByClientId(client.clientId);
      const execute = jest.fn().mockResolvedValue({ affected: 1 });
      const qb: Record<string, jest.Mock> = {};
      for (const m of ['delete', 'from', 'where', 'andWhere']) qb[m] = jest.fn(() => qb);
      qb.execute = execute;
      Object.assign(repo, { createQueryBuilder: () => qb });
      await expect(sut.deleteStale()).resolves.toBe(1);
      await sut.findByClientId(client.clientId);
      expect(repo.findOneBy).toHaveBeenCalledTimes(2);
    });
  });
});
