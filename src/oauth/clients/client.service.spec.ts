import { Repository } from 'typeorm';
import { ClientService } from 'src/oauth/clients/client.service';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
import { AppConfig } from 'src/config/app.config';
import { OAuthClient } from 'src/oauth/entities';

const ISSUER = 'https://app.example.com';
const config = (authCacheTtlMs: number) =>
  ({ authCacheTtlMs, oauth: { issuer: ISSUER } }) as AppConfig;
const dynamicClient = (issuer: string | null) =>
  ({
    id: 'c1',
    clientId: 'kq3Y1f0yVb2d9Yg3uD6c8Z9xQ0aWm4sR',
    kind: 'dynamic',
    issuer,
  }) as OAuthClient;

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
      config(0),
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

  describe('bound to the issuer (RFC 6749 §2.2; MCP 2026-07-28 › Authorization Server Binding)', () => {
    it('should find a dynamic client registered under this issuer', async () => {
      const client = dynamicClient(ISSUER);
      repo.findOneBy.mockResolvedValue(client);
      await expect(sut.findByClientId(client.clientId)).resolves.toBe(client);
      await expect(sut.findByRowId(client.id)).resolves.toBe(client);
    });

    it.each(['https://old.example.com', `${ISSUER}/`, 'http://app.example.com'])(
      'should call a dynamic client registered under %s unknown, by client_id and by row',
      async (other) => {
        const client = dynamicClient(other);
        repo.findOneBy.mockResolvedValue(client);
        await expect(sut.findByClientId(client.clientId)).resolves.toBeNull();
        await expect(sut.findByRowId(client.id)).resolves.toBeNull();
      },
    );

    it('should take a dynamic client not bound yet (NULL) as registered here', async () => {
      const client = dynamicClient(null);
      repo.findOneBy.mockResolvedValue(client);
      await expect(sut.findByClientId(client.clientId)).resolves.toBe(client);
    });

    it('should never bind a metadata-document client: its row is found under any issuer', async () => {
      const cimd = {
        id: 'c2',
        clientId: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
        kind: 'metadata_document',
        issuer: null,
      } as OAuthClient;
      repo.findOneBy.mockResolvedValue(cimd);
      await expect(sut.findByRowId(cimd.id)).resolves.toBe(cimd);
    });

    it('should bind only unbound dynamic clients, to this issuer', async () => {
      const qb: Record<string, jest.Mock> = {};
      for (const m of ['update', 'set', 'where', 'andWhere']) qb[m] = jest.fn(() => qb);
      qb.execute = jest.fn().mockResolvedValue({ affected: 3 });
      Object.assign(repo, { createQueryBuilder: () => qb });
      await expect(sut.bindUnboundClients()).resolves.toBe(3);
      expect(qb.set).toHaveBeenCalledWith({ issuer: ISSUER });
      expect(qb.where).toHaveBeenCalledWith(`kind = 'dynamic'`);
      expect(qb.andWhere).toHaveBeenCalledWith('issuer IS NULL');
    });
  });

  it('should let database errors through', async () => {
    const down = new Error('Connection terminated unexpectedly');
    repo.findOneBy.mockRejectedValue(down);
    await expect(sut.findByClientId('abc')).rejects.toBe(down);
  });

  describe('with AUTH_CACHE_TTL_MS', () => {
    const client = dynamicClient(ISSUER);
    let now: jest.SpyInstance<number, []>;

    beforeEach(() => {
      now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      sut = new ClientService(
        repo as unknown as Repository<OAuthClient>,
        documents as unknown as MetadataDocumentService,
        config(4000),
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

    it('should never remember a client registered under another issuer', async () => {
      repo.findOneBy.mockResolvedValue(dynamicClient('https://old.example.com'));
      await expect(sut.findByClientId(client.clientId)).resolves.toBeNull();
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
