import { Repository } from 'typeorm';
import { ClientService } from 'src/oauth/clients/client.service';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
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
});
