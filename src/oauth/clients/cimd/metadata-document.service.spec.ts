import { QueryFailedError, Repository } from 'typeorm';
import { loadAppConfig } from 'src/config/app.config';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
import { OAuthClient } from 'src/oauth/entities';

const URL_ = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
const DOC = JSON.stringify({
  client_id: URL_,
  client_name: 'Claude',
  redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
  token_endpoint_auth_method: 'none',
});

describe('MetadataDocumentService', () => {
  const config = loadAppConfig({ PUBLIC_URL: 'https://app.example.com' });
  let repo: { findOneBy: jest.Mock; query: jest.Mock };
  let fetcher: { fetch: jest.Mock };
  let sut: MetadataDocumentService;

  const stored = { id: 'row-1', clientId: URL_, kind: 'metadata_document' } as OAuthClient;

  beforeEach(() => {
    repo = {
      findOneBy: jest.fn().mockImplementation(({ id }: { id?: string }) => (id ? stored : null)),
      query: jest.fn().mockResolvedValue([{ id: 'row-1' }]),
    };
    fetcher = { fetch: jest.fn().mockResolvedValue({ body: DOC, cacheControl: 'max-age=60' }) };
    sut = new MetadataDocumentService(repo as unknown as Repository<OAuthClient>, fetcher, config);
  });

  it('should fetch, validate and store an unknown document, expiring per max-age', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    await expect(sut.resolve(URL_, now)).resolves.toBe(stored);
    expect(fetcher.fetch).toHaveBeenCalledWith(new URL(URL_));
    const params = repo.query.mock.calls[0][1] as unknown[];
    expect(params[0]).toBe(URL_);
    expect(params[1]).toBe('Claude');
    expect(params[params.length - 1]).toEqual(new Date('2026-01-01T00:01:00Z'));
  });

  it('should serve a fresh cached row without fetching', async () => {
    const cached = { ...stored, metadataExpiresAt: new Date(Date.now() + 60_000) };
    repo.findOneBy.mockResolvedValue(cached);
    await expect(sut.resolve(URL_)).resolves.toBe(cached);
    expect(fetcher.fetch).not.toHaveBeenCalled();
    expect(repo.query).not.toHaveBeenCalled();
  });

  it('should fetch again once the cached row has expired', async () => {
    repo.findOneBy.mockImplementation(({ id }: { id?: string }) =>
      id ? stored : { ...stored, metadataExpiresAt: new Date(Date.now() - 1) },
    );
    await sut.resolve(URL_);
    expect(fetcher.fetch).toHaveBeenCalledTimes(1);
    expect(repo.query).toHaveBeenCalledTimes(1);
  });

  it('should answer null for a failed fetch, store nothing, and fetch again next time', async () => {
    fetcher.fetch.mockRejectedValue(new Error('connect ECONNREFUSED'));
    await expect(sut.resolve(URL_)).resolves.toBeNull();
    await expect(sut.resolve(URL_)).resolves.toBeNull();
    expect(fetcher.fetch).toHaveBeenCalledTimes(2);
    expect(repo.query).not.toHaveBeenCalled();
  });

  it('should answer null for an invalid document and store nothing', async () => {
    fetcher.fetch.mockResolvedValue({
      body: DOC.replace(URL_, 'https://evil.example/x'),
      cacheControl: undefined,
    });
    await expect(sut.resolve(URL_)).resolves.toBeNull();
    expect(repo.query).not.toHaveBeenCalled();
  });

  it('should answer null, not the stale row, when refreshing an expired document fails', async () => {
    repo.findOneBy.mockResolvedValue({ ...stored, metadataExpiresAt: new Date(Date.now() - 1) });
    fetcher.fetch.mockRejectedValue(new Error('timed out'));
    await expect(sut.resolve(URL_)).resolves.toBeNull();
  });

  it('should let a database error through instead of calling the client unknown', async () => {
    const down = new QueryFailedError(
      'SELECT',
      [],
      Object.assign(new Error('down'), { code: '57P01' }),
    );
    repo.findOneBy.mockRejectedValue(down);
    await expect(sut.resolve(URL_)).rejects.toBe(down);
    expect(fetcher.fetch).not.toHaveBeenCalled();
  });

  it('should let a database error while storing through', async () => {
    const down = new Error('Connection terminated unexpectedly');
    repo.query.mockRejectedValue(down);
    await expect(sut.resolve(URL_)).rejects.toBe(down);
  });

  it('should share one fetch between concurrent lookups of the same document', async () => {
    let release!: (v: unknown) => void;
    fetcher.fetch.mockReturnValue(
      new Promise((resolve) => {
        release = () => resolve({ body: DOC, cacheControl: undefined });
      }),
    );
    const both = Promise.all([sut.resolve(URL_), sut.resolve(URL_)]);
    await new Promise((r) => setImmediate(r));
    release(undefined);
    await expect(both).resolves.toEqual([stored, stored]);
    expect(fetcher.fetch).toHaveBeenCalledTimes(1);
  });
});
