import { ClientService } from 'src/oauth/clients/client.service';
import { OAuthClient, TokenEndpointAuthMethod } from 'src/oauth/entities';
import { OAuthError } from 'src/oauth/oauth.errors';
import { ClientAuthenticator } from 'src/oauth/tokens/client-auth';

const SECRET = 'the secret: with+odd%chars';
const basic = (id: string, secret: string, encode = true): string => {
  const e = (v: string) => (encode ? encodeURIComponent(v).replace(/%20/g, '+') : v);
  return `Basic ${Buffer.from(`${e(id)}:${e(secret)}`).toString('base64')}`;
};

describe('ClientAuthenticator', () => {
  const clients = new Map<string, OAuthClient>();
  const register = (clientId: string, method: TokenEndpointAuthMethod) =>
    clients.set(clientId, {
      id: `row-${clientId}`,
      clientId,
      tokenEndpointAuthMethod: method,
    } as OAuthClient);
  const clientService = {
    findByClientId: jest.fn(async (id: string) => clients.get(id) ?? null),
    verifySecret: jest.fn(async (_client: OAuthClient, secret: string) => secret === SECRET),
  };
  const sut = new ClientAuthenticator(clientService as unknown as ClientService);

  const failure = async (authorization: unknown, form: Record<string, string>) => {
    try {
      await sut.authenticate(authorization, form);
    } catch (err) {
      if (err instanceof OAuthError) return err;
      throw err;
    }
    throw new Error('expected a failure');
  };

  beforeAll(() => {
    register('public', 'none');
    register('post', 'client_secret_post');
    register('basic', 'client_secret_basic');
    register('a b:c', 'client_secret_basic');
  });

  it('should authenticate each client with its registered method', async () => {
    expect((await sut.authenticate(undefined, { client_id: 'public' })).clientId).toBe('public');
    expect(
      (await sut.authenticate(undefined, { client_id: 'post', client_secret: SECRET })).clientId,
    ).toBe('post');
    expect((await sut.authenticate(basic('basic', SECRET), {})).clientId).toBe('basic');
    expect((await sut.authenticate(basic('basic', SECRET), { client_id: 'basic' })).clientId).toBe(
      'basic',
    );
  });

  it('should url-decode Basic credentials (RFC 6749 §2.3.1)', async () => {
    expect((await sut.authenticate(basic('a b:c', SECRET), {})).clientId).toBe('a b:c');
    expect(clientService.verifySecret).toHaveBeenLastCalledWith(expect.anything(), SECRET);
  });

  it('should refuse a wrong secret with 401 invalid_client, with the Basic challenge after Basic', async () => {
    const post = await failure(undefined, { client_id: 'post', client_secret: 'wrong' });
    expect([post.error, post.status, post.basicChallenge]).toEqual(['invalid_client', 401, false]);
    const viaBasic = await failure(basic('basic', 'wrong'), {});
    expect([viaBasic.error, viaBasic.status, viaBasic.basicChallenge]).toEqual([
      'invalid_client',
      401,
      true,
    ]);
    // Not url-encoded: "+" and "%" decode to something else.
    expect((await failure(basic('basic', SECRET, false), {})).error).toBe('invalid_client');
  });

  it('should refuse an unknown client', async () => {
    expect((await failure(undefined, { client_id: 'nobody' })).error).toBe('invalid_client');
    const viaBasic = await failure(basic('nobody', SECRET), {});
    expect([viaBasic.error, viaBasic.basicChallenge]).toEqual(['invalid_client', true]);
  });

  it('should refuse any method other than the registered one', async () => {
    const cases: Array<[unknown, Record<string, string>]> = [
      [undefined, { client_id: 'post' }],
      [basic('post', SECRET), {}],
      [undefined, { client_id: 'basic', client_secret: SECRET }],
      [undefined, { client_id: 'basic' }],
      [undefined, { client_id: 'public', client_secret: SECRET }],
      [basic('public', ''), {}],
    ];
    for (const [authorization, form] of cases) {
      expect((await failure(authorization, form)).error).toBe('invalid_client');
    }
  });

  it('should answer invalid_request for a secret in both places or two different client ids', async () => {
    const both = await failure(basic('basic', SECRET), { client_secret: SECRET });
    expect([both.error, both.status]).toEqual(['invalid_request', 400]);
    expect((await failure(basic('basic', SECRET), { client_id: 'post' })).error).toBe(
      'invalid_request',
    );
    expect((await failure(undefined, {})).error).toBe('invalid_request');
  });

  it('should refuse malformed Authorization headers with invalid_client and the Basic challenge', async () => {
    for (const header of [
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from(':secret').toString('base64')}`,
      `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`,
      'Bearer abc',
      ['Basic a', 'Basic b'],
    ]) {
      const err = await failure(header, {});
      expect([err.error, err.status, err.basicChallenge]).toEqual(['invalid_client', 401, true]);
    }
  });

  it('should let database errors through (they become 503, never invalid_client)', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    clientService.findByClientId.mockRejectedValueOnce(down);
    await expect(sut.authenticate(undefined, { client_id: 'public' })).rejects.toBe(down);
  });
});
