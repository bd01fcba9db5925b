import { ClientService } from 'src/oauth/clients/client.service';
import { FetchedDocument, MetadataFetcher } from 'src/oauth/clients/cimd/cimd.types';
import { MetadataDocumentService } from 'src/oauth/clients/cimd/metadata-document.service';
import { OAuthClient } from 'src/oauth/entities';
import { startTestApp, TestApp } from 'test/support/test-app';

/** A fetcher serving documents from memory, counting requests. */
class StubFetcher implements MetadataFetcher {
  readonly documents = new Map<string, FetchedDocument | Error>();
  readonly requested: string[] = [];

  fetch(url: URL): Promise<FetchedDocument> {
    this.requested.push(url.href);
    const doc = this.documents.get(url.href);
    if (!doc) return Promise.reject(new Error('ENOTFOUND'));
    return doc instanceof Error ? Promise.reject(doc) : Promise.resolve(doc);
  }
}

const doc = (url: string, patch: Record<string, unknown> = {}) =>
  JSON.stringify({
    client_id: url,
    client_name: 'Claude',
    redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...patch,
  });

describe('Client ID Metadata Documents in PostgreSQL (e2e)', () => {
  let t: TestApp;
  let fetcher: StubFetcher;
  let sut: ClientService;
  let n = 0;
  const nextUrl = () => `https://cimd.example/clients/${Date.now()}-${n++}.json`;

  const rows = (clientId: string) =>
    t.dataSource.query<Record<string, any>[]>(`SELECT * FROM oauth_clients WHERE client_id = $1`, [
      clientId,
    ]);

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    fetcher = new StubFetcher();
    const repo = t.dataSource.getRepository(OAuthClient);
    sut = new ClientService(repo, new MetadataDocumentService(repo, fetcher, t.config), t.config);
  });

  it('should store a fetched document as a public metadata_document client', async () => {
    const url = nextUrl();
    fetcher.documents.set(url, { body: doc(url), cacheControl: 'public, max-age=600' });
    const before = Date.now();
    const client = await sut.findByClientId(url);
    expect(client).toMatchObject({
      clientId: url,
      kind: 'metadata_document',
      clientName: 'Claude',
      redirectUris: ['https://claude.ai/api/mcp/auth_callback'],
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
    });
    const [row] = await rows(url);
    expect(row.client_secret_hash).toBeNull();
    const expires = new Date(row.metadata_expires_at).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 600_000 + 1000);
    expect(row.metadata).toMatchObject({ client_id: url, token_endpoint_auth_method: 'none' });
  });

  it('should serve the cached row while it is fresh, without fetching', async () => {
    const url = nextUrl();
    fetcher.documents.set(url, { body: doc(url), cacheControl: 'max-age=600' });
    const first = await sut.findByClientId(url);
    fetcher.documents.set(url, {
      body: doc(url, { client_name: 'Changed' }),
      cacheControl: undefined,
    });
    const second = await sut.findByClientId(url);
    expect(fetcher.requested).toEqual([url]);
    expect(second?.id).toBe(first?.id);
    expect(second?.clientName).toBe('Claude');
  });

  it('should fetch again after expiry and update the same row in place', async () => {
    const url = nextUrl();
    fetcher.documents.set(url, { body: doc(url), cacheControl: 'no-store' });
    const first = await sut.findByClientId(url);
    fetcher.documents.set(url, {
      body: doc(url, { client_name: 'Claude (renamed)' }),
      cacheControl: 'max-age=60',
    });
    const second = await sut.findByClientId(url);
    expect(fetcher.requested).toEqual([url, url]);
    expect(second?.id).toBe(first?.id);
    expect(second?.clientName).toBe('Claude (renamed)');
    expect(await rows(url)).toHaveLength(1);
  });

  it('should never cache a failure: unknown now, found once the document is served', async () => {
    const url = nextUrl();
    fetcher.documents.set(url, new Error('timed out'));
    await expect(sut.findByClientId(url)).resolves.toBeNull();
    expect(await rows(url)).toHaveLength(0);
    fetcher.documents.set(url, { body: doc(url), cacheControl: undefined });
    await expect(sut.findByClientId(url)).resolves.not.toBeNull();
    expect(fetcher.requested).toEqual([url, url]);
  });

  it.each([
    ['a client_id that differs', (url: string) => doc(`${url}x`)],
    [
      'private_key_jwt only',
      (url: string) => doc(url, { token_endpoint_auth_method: 'private_key_jwt' }),
    ],
    ['an http redirect URI', (url: string) => doc(url, { redirect_uris: ['http://claude.ai/cb'] })],
    ['no client_name', (url: string) => doc(url, { client_name: undefined })],
    ['not JSON', () => '<html></html>'],
  ])('should refuse and store nothing for a document with %s', async (_label, body) => {
    const url = nextUrl();
    fetcher.documents.set(url, { body: body(url), cacheControl: undefined });
    await expect(sut.findByClientId(url)).resolves.toBeNull();
    expect(await rows(url)).toHaveLength(0);
  });

  it('should accept ChatGPT’s document as a public client', async () => {
    const url = nextUrl();
    fetcher.documents.set(url, {
      body: doc(url, {
        client_name: 'ChatGPT',
        redirect_uris: ['https://chatgpt.com/connector/oauth/abc'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_methods_supported: ['private_key_jwt', 'none'],
        jwks_uri: 'https://chatgpt.com/oauth/jwks.json',
      }),
      cacheControl: undefined,
    });
    const client = await sut.findByClientId(url);
    expect(client?.tokenEndpointAuthMethod).toBe('none');
    expect(client?.clientName).toBe('ChatGPT');
  });

  it('should find a dynamic client in the table without fetching anything', async () => {
    fetcher.documents.clear();
    const [{ client_id: dynamicId }] = await t.dataSource.query<{ client_id: string }[]>(
      `INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris,
         token_endpoint_auth_method, grant_types, response_types)
       VALUES ('dyn-' || gen_random_uuid(), 'dynamic', 'd', '["https://a.example/cb"]', 'none',
         '["authorization_code"]', '["code"]') RETURNING client_id`,
    );
    expect((await sut.findByClientId(dynamicId))?.kind).toBe('dynamic');
    expect(fetcher.requested).toEqual([]);
  });

  describe('with the production network layer', () => {
    it.each([
      'https://localhost/client.json',
      'https://127.0.0.1/client.json',
      'https://10.0.0.1/client.json',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/client.json',
    ])('should refuse %s as unknown and store nothing', async (url) => {
      await expect(t.app.get(ClientService).findByClientId(url)).resolves.toBeNull();
      expect(await rows(url)).toHaveLength(0);
    });
  });
});
