import request from 'supertest';
import {
  createOrganizationKey,
  createUserKey,
  memberWithKey,
  addMember,
  createUser,
} from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('API key admin REST API (e2e)', () => {
  let t: TestApp;
  const api = () => request(t.url);

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false', AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should require authentication on every route', async () => {
    const res = await api().get('/api/v1/api-keys').expect(401);
    expect(res.headers['www-authenticate']).toBe('ApiKey header="x-api-key"');
    await api().post('/api/v1/api-keys').send({ name: 'x' }).expect(401);
    await api().delete('/api/v1/api-keys/00000000-0000-4000-8000-000000000000').expect(401);
  });

  it('should create a key, show the secret once with no-store, and make it usable for MCP', async () => {
    const m = await memberWithKey(t.app);
    const created = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', m.key)
      .send({ name: 'laptop', readOnly: true })
      .expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body.key).toMatch(/^ed_[0-9A-Za-z]{36}$/);
    expect(created.body).toMatchObject({
      name: 'laptop',
      kind: 'user',
      readOnly: true,
      userId: m.user.id,
    });
    expect(created.body.displayHint).toBe(
      `${created.body.key.slice(0, 7)}…${created.body.key.slice(-4)}`,
    );

    const list = await api().get('/api/v1/api-keys').set('x-api-key', m.key).expect(200);
    const listed = list.body.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toBeDefined();
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(JSON.stringify(list.body)).not.toMatch(/key_?hash/i);

    const mcp = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': created.body.key });
    expect(mcp.status).toBe(200);
    const stored = await t.dataSource.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [
      created.body.id,
    ]);
    expect(stored[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].key_hash).not.toContain(created.body.key.slice(3));
  });

  it('should reject unknown fields, bad types and past expiry with clear 400s', async () => {
    const m = await memberWithKey(t.app);
    const unknown = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', m.key)
      .send({ name: 'x', userId: m.user.id });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/userId should not exist/);
    const bad = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', m.key)
      .send({ name: '', readOnly: 'yes' });
    expect(bad.status).toBe(400);
    const past = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', m.key)
      .send({ name: 'old', expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/future/);
    const junk = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', m.key)
      .set('content-type', 'application/json')
      .send('{oops');
    expect(junk.status).toBe(400);
  });

  it('should not let a read-only key create or revoke keys', async () => {
    const m = await memberWithKey(t.app, 'owner', { readOnly: true });
    await api().post('/api/v1/api-keys').set('x-api-key', m.key).send({ name: 'more' }).expect(403);
    await api().delete(`/api/v1/api-keys/${m.keyId}`).set('x-api-key', m.key).expect(403);
  });

  it('should cap a new key’s expiry at the creating key’s expiry', async () => {
    const m = await memberWithKey(t.app);
    const soon = new Date(Date.now() + 3600_000);
    const parent = await createUserKey(t.app, m.org.id, m.user.id, { expiresAt: soon });
    const res = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', parent.key)
      .send({ name: 'child' })
      .expect(201);
    expect(new Date(res.body.expiresAt).getTime()).toBeLessThanOrEqual(soon.getTime());
  });

  it('should let only owners create organization-level keys', async () => {
    const member = await memberWithKey(t.app, 'admin');
    await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', member.key)
      .send({ name: 'org', kind: 'organization' })
      .expect(403);
    const owner = await memberWithKey(t.app, 'owner');
    const res = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', owner.key)
      .send({ name: 'org', kind: 'organization' })
      .expect(201);
    expect(res.body).toMatchObject({ kind: 'organization', userId: null });
  });

  it('should list the organization’s keys for owners, admins and organization keys, not for members', async () => {
    const owner = await memberWithKey(t.app, 'owner');
    const colleague = await createUser(t.app, 'colleague');
    await addMember(t.app, owner.org.slug, colleague.email, 'member');
    const colleagueKey = await createUserKey(t.app, owner.org.id, colleague.id);

    const all = await api()
      .get('/api/v1/api-keys?scope=organization')
      .set('x-api-key', owner.key)
      .expect(200);
    expect(all.body.map((k: { id: string }) => k.id)).toEqual(
      expect.arrayContaining([owner.keyId, colleagueKey.id]),
    );
    const mine = await api().get('/api/v1/api-keys').set('x-api-key', colleagueKey.key).expect(200);
    expect(mine.body.map((k: { id: string }) => k.id)).toEqual([colleagueKey.id]);
    await api()
      .get('/api/v1/api-keys?scope=organization')
      .set('x-api-key', colleagueKey.key)
      .expect(403);

    const orgKey = await createOrganizationKey(t.app, owner.org.id);
    const viaOrgKey = await api().get('/api/v1/api-keys').set('x-api-key', orgKey.key).expect(200);
    expect(viaOrgKey.body.length).toBeGreaterThanOrEqual(3);
    await api().get('/api/v1/api-keys?scope=everything').set('x-api-key', owner.key).expect(400);
  });

  it('should revoke a key so MCP refuses it, and let admins revoke members’ keys', async () => {
    const owner = await memberWithKey(t.app, 'owner');
    const colleague = await createUser(t.app, 'colleague');
    await addMember(t.app, owner.org.slug, colleague.email, 'member');
    const colleagueKey = await createUserKey(t.app, owner.org.id, colleague.id);
    // A member cannot revoke the owner's key…
    await api()
      .delete(`/api/v1/api-keys/${owner.keyId}`)
      .set('x-api-key', colleagueKey.key)
      .expect(404);
    // …but the owner can revoke the member's.
    const res = await api()
      .delete(`/api/v1/api-keys/${colleagueKey.id}`)
      .set('x-api-key', owner.key)
      .expect(200);
    expect(res.body.revokedAt).not.toBeNull();
    const mcp = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': colleagueKey.key });
    expect(mcp.status).toBe(401);
  });

  it('should answer another organization’s key id like a missing one', async () => {
    const a = await memberWithKey(t.app, 'owner');
    const b = await memberWithKey(t.app, 'owner');
    const res = await api()
      .delete(`/api/v1/api-keys/${b.keyId}`)
      .set('x-api-key', a.key)
      .expect(404);
    const missing = await api()
      .delete('/api/v1/api-keys/00000000-0000-4000-8000-000000000000')
      .set('x-api-key', a.key)
      .expect(404);
    expect(res.body).toEqual(missing.body);
    await api().delete('/api/v1/api-keys/not-a-uuid').set('x-api-key', a.key).expect(404);
    const list = await api()
      .get('/api/v1/api-keys?scope=organization')
      .set('x-api-key', a.key)
      .expect(200);
    expect(list.body.map((k: { id: string }) => k.id)).not.toContain(b.keyId);
  });

  it('should document the routes in Swagger with the x-api-key scheme', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
    });
    for (const [path, method] of [
      ['/api/v1/api-keys', 'post'],
      ['/api/v1/api-keys', 'get'],
      ['/api/v1/api-keys/{id}', 'delete'],
    ] as const) {
      expect(doc.paths[path][method].security).toEqual([{ 'api-key': [] }]);
    }
    expect(doc.components.schemas.CreatedApiKeyDto.properties.key.example).toMatch(/^ed_/);
  });

  it('should tell read routes from write routes in Swagger, across the admin API', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    const scopeOf = (path: string, method: string): unknown =>
      doc.paths[path][method]['x-required-scope'];
    const writes = [
      ['/api/v1/api-keys', 'post'],
      ['/api/v1/api-keys/{id}', 'delete'],
      ['/api/v1/organizations/{slug}/members', 'post'],
      ['/api/v1/organizations/{slug}/members/{userId}', 'patch'],
      ['/api/v1/organizations/{slug}/members/{userId}', 'delete'],
      ['/api/v1/dataproducts/{id}', 'put'],
      ['/api/v1/dataproducts/{id}', 'delete'],
      ['/api/v1/catalog/import', 'post'],
    ];
    for (const [path, method] of writes) {
      expect([path, method, scopeOf(path, method)]).toEqual([path, method, 'mcp:write']);
    }
    for (const [path, method] of [
      ['/api/v1/api-keys', 'get'],
      ['/api/v1/organizations/{slug}/members', 'get'],
      ['/api/v1/dataproducts/{id}', 'get'],
    ]) {
      expect([path, method, scopeOf(path, method)]).toEqual([path, method, undefined]);
    }
  });

  it('should say, without a credential, that the admin API takes an API key (and no access token)', async () => {
    const res = await api().get('/api/v1/api-keys').expect(401);
    expect(res.headers['www-authenticate']).toBe('ApiKey header="x-api-key"');
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'unauthorized',
      message:
        'Authentication required: send your API key in the x-api-key header (this API takes no OAuth access tokens).',
    });
  });

  it('should refuse a write route to a read-only key before the route runs, saying why', async () => {
    const owner = await memberWithKey(t.app, 'owner', { readOnly: true });
    const res = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', owner.key)
      .send({ name: 'from a read-only key' })
      .expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'forbidden',
      message: expect.stringMatching(/read-only key: .*without --read-only/),
    });
    await api().get('/api/v1/api-keys').set('x-api-key', owner.key).expect(200);
  });
});
