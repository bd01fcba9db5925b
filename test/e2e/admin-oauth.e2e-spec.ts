import request from 'supertest';
import {
  adminTeam,
  auditEvents,
  connectApp,
  grantState,
  insertClient,
  insertGrant,
  personIn,
} from 'test/factories/admin.factory';
import { addMember, createOrganizationKey } from 'test/factories/identity.factory';
import { startTestApp, TestApp } from 'test/support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('Connected apps admin REST API (e2e)', () => {
  let t: TestApp;
  const api = () => request(t.url);

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false', AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should require authentication on every route', async () => {
    for (const [method, path] of [
      ['get', '/api/v1/oauth/clients'],
      ['delete', `/api/v1/oauth/clients/${UNKNOWN_ID}`],
      ['get', '/api/v1/oauth/grants'],
      ['delete', `/api/v1/oauth/grants/${UNKNOWN_ID}`],
    ] as const) {
      const res = await api()[method](path);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('ApiKey header="x-api-key"');
    }
  });

  describe('grants', () => {
    it('should list my active grants in this organization with client, hosts, scope and organization', async () => {
      const { org, member, admin } = await adminTeam(t.app);
      const other = await adminTeam(t.app);
      await addMember(t.app, other.org.slug, member.email, 'member');
      const claude = await insertClient(t.dataSource, {
        name: 'Claude',
        redirectUris: ['https://claude.ai/api/mcp/auth_callback'],
        kind: 'metadata_document',
      });
      const cursor = await insertClient(t.dataSource, {
        name: 'Cursor',
        redirectUris: ['cursor://anysphere.cursor-retrieval/oauth/callback'],
      });
      const mine = await connectApp(t.dataSource, member.id, org.id, claude.id);
      await insertGrant(t.dataSource, {
        userId: member.id,
        organizationId: org.id,
        clientRowId: cursor.id,
        scope: 'mcp:read',
        lastUsedAt: new Date('2026-01-02T03:04:05Z'),
      });
      const revoked = await connectApp(t.dataSource, member.id, org.id, cursor.id);
      await t.dataSource.query(`UPDATE oauth_grants SET revoked_at = now() WHERE id = $1`, [
        revoked.grantId,
      ]);
      const elsewhere = await connectApp(t.dataSource, member.id, other.org.id, claude.id);
      const colleagues = await connectApp(t.dataSource, admin.id, org.id, claude.id);

      const res = await api().get('/api/v1/oauth/grants').set('x-api-key', member.key).expect(200);
      const ids = res.body.map((g: { id: string }) => g.id);
      expect(ids).toHaveLength(2);
      expect(ids).toContain(mine.grantId);
      expect(ids).not.toContain(revoked.grantId);
      expect(ids).not.toContain(elsewhere.grantId);
      expect(ids).not.toContain(colleagues.grantId);
      const cursorGrant = res.body.find((g: { clientName: string }) => g.clientName === 'Cursor');
      expect(cursorGrant).toMatchObject({
        clientId: cursor.clientId,
        redirectHosts: ['anysphere.cursor-retrieval'],
        scope: 'mcp:read',
        organization: { id: org.id, slug: org.slug },
        userId: member.id,
        userEmail: member.email,
        lastUsedAt: '2026-01-02T03:04:05.000Z',
        revokedAt: null,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/hash|secret/i);
    });

    it('should list everyone’s grants for owners, admins and organization keys only', async () => {
      const { org, owner, admin, member } = await adminTeam(t.app);
      const client = await insertClient(t.dataSource);
      const a = await connectApp(t.dataSource, owner.id, org.id, client.id);
      const b = await connectApp(t.dataSource, member.id, org.id, client.id);
      const orgKey = await createOrganizationKey(t.app, org.id);
      for (const [key, url] of [
        [admin.key, '/api/v1/oauth/grants?scope=organization'],
        [orgKey.key, '/api/v1/oauth/grants'],
      ]) {
        const res = await api().get(url).set('x-api-key', key).expect(200);
        expect(res.body.map((g: { id: string }) => g.id).sort()).toEqual(
          [a.grantId, b.grantId].sort(),
        );
      }
      await api()
        .get('/api/v1/oauth/grants?scope=organization')
        .set('x-api-key', member.key)
        .expect(403);
      await api().get('/api/v1/oauth/grants?scope=all').set('x-api-key', admin.key).expect(400);
    });

    it('should revoke my grant: refresh tokens die, it leaves the list, and it is audited', async () => {
      const { org, member } = await adminTeam(t.app);
      const client = await insertClient(t.dataSource);
      const g = await connectApp(t.dataSource, member.id, org.id, client.id);
      const res = await api()
        .delete(`/api/v1/oauth/grants/${g.grantId}`)
        .set('x-api-key', member.key)
        .expect(200);
      expect(res.body.id).toBe(g.grantId);
      expect(res.body.revokedAt).not.toBeNull();
      expect(await grantState(t.dataSource, g.grantId)).toEqual({
        revoked: true,
        reason: 'revoked_by_user',
        refreshTokensRevoked: true,
      });
      const list = await api().get('/api/v1/oauth/grants').set('x-api-key', member.key).expect(200);
      expect(list.body).toEqual([]);
      // Idempotent.
      await api()
        .delete(`/api/v1/oauth/grants/${g.grantId}`)
        .set('x-api-key', member.key)
        .expect(200);
      const events = await auditEvents(t.app, t.dataSource, org.id, 'oauth.grant.revoked');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor_user_id: member.id,
        target_type: 'oauth_grant',
        target_id: g.grantId,
        details: { reason: 'revoked_by_user', clientId: client.clientId, userId: member.id },
      });
    });

    it('should let admins revoke any grant here, and answer others’ and foreign grants with 404', async () => {
      const { org, owner, admin, member } = await adminTeam(t.app);
      const other = await adminTeam(t.app);
      const client = await insertClient(t.dataSource);
      const owners = await connectApp(t.dataSource, owner.id, org.id, client.id);
      const foreign = await connectApp(t.dataSource, other.member.id, other.org.id, client.id);

      const byMember = await api()
        .delete(`/api/v1/oauth/grants/${owners.grantId}`)
        .set('x-api-key', member.key)
        .expect(404);
      const unknown = await api()
        .delete(`/api/v1/oauth/grants/${UNKNOWN_ID}`)
        .set('x-api-key', member.key)
        .expect(404);
      expect(byMember.body).toEqual(unknown.body);
      const cross = await api()
        .delete(`/api/v1/oauth/grants/${foreign.grantId}`)
        .set('x-api-key', owner.key)
        .expect(404);
      expect(cross.body).toEqual(unknown.body);
      expect((await grantState(t.dataSource, foreign.grantId)).revoked).toBe(false);
      await api().delete('/api/v1/oauth/grants/not-a-uuid').set('x-api-key', owner.key).expect(404);

      const readOnly = await personIn(t.app, org, 'admin', { readOnly: true });
      await api()
        .delete(`/api/v1/oauth/grants/${owners.grantId}`)
        .set('x-api-key', readOnly.key)
        .expect(403);
      await api()
        .delete(`/api/v1/oauth/grants/${owners.grantId}`)
        .set('x-api-key', admin.key)
        .expect(200);
      expect(await grantState(t.dataSource, owners.grantId)).toMatchObject({
        revoked: true,
        reason: 'revoked_by_admin',
        refreshTokensRevoked: true,
      });
    });
  });

  describe('clients', () => {
    it('should list the apps with active grants here, with counts and last use, for owners and admins', async () => {
      const { org, owner, admin, member } = await adminTeam(t.app);
      const other = await adminTeam(t.app);
      const claude = await insertClient(t.dataSource, {
        name: 'Claude',
        redirectUris: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.ai/b'],
      });
      const onlyElsewhere = await insertClient(t.dataSource, { name: 'Elsewhere' });
      const gone = await insertClient(t.dataSource, { name: 'Gone' });
      await connectApp(t.dataSource, owner.id, org.id, claude.id);
      await insertGrant(t.dataSource, {
        userId: member.id,
        organizationId: org.id,
        clientRowId: claude.id,
        lastUsedAt: new Date('2026-03-04T05:06:07Z'),
      });
      await connectApp(t.dataSource, other.owner.id, other.org.id, onlyElsewhere.id);
      const old = await connectApp(t.dataSource, member.id, org.id, gone.id);
      await t.dataSource.query(`UPDATE oauth_grants SET revoked_at = now() WHERE id = $1`, [
        old.grantId,
      ]);

      const res = await api().get('/api/v1/oauth/clients').set('x-api-key', admin.key).expect(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({
        id: claude.id,
        clientId: claude.clientId,
        clientName: 'Claude',
        kind: 'dynamic',
        redirectHosts: ['claude.ai'],
        activeGrants: 2,
        users: 2,
        lastUsedAt: '2026-03-04T05:06:07.000Z',
      });
      const orgKey = await createOrganizationKey(t.app, org.id);
      await api().get('/api/v1/oauth/clients').set('x-api-key', orgKey.key).expect(200);
      const denied = await api()
        .get('/api/v1/oauth/clients')
        .set('x-api-key', member.key)
        .expect(403);
      expect(denied.body.message).toMatch(/owners and admins/);
    });

    it('should disconnect an app from this organization only, keeping the client row', async () => {
      const { org, owner, admin, member } = await adminTeam(t.app);
      const other = await adminTeam(t.app);
      const client = await insertClient(t.dataSource, { name: 'Claude' });
      const a = await connectApp(t.dataSource, owner.id, org.id, client.id);
      const b = await connectApp(t.dataSource, member.id, org.id, client.id);
      const there = await connectApp(t.dataSource, other.member.id, other.org.id, client.id);

      await api()
        .delete(`/api/v1/oauth/clients/${client.id}`)
        .set('x-api-key', member.key)
        .expect(403);
      const res = await api()
        .delete(`/api/v1/oauth/clients/${client.id}`)
        .set('x-api-key', admin.key)
        .expect(200);
      expect(res.body).toEqual({
        id: client.id,
        clientId: client.clientId,
        clientName: 'Claude',
        revokedGrants: 2,
      });
      for (const g of [a, b]) {
        expect(await grantState(t.dataSource, g.grantId)).toEqual({
          revoked: true,
          reason: 'client_revoked_by_admin',
          refreshTokensRevoked: true,
        });
      }
      expect((await grantState(t.dataSource, there.grantId)).revoked).toBe(false);
      const [row] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM oauth_clients WHERE id = $1`,
        [client.id],
      );
      expect(row.n).toBe(1);
      const list = await api().get('/api/v1/oauth/clients').set('x-api-key', admin.key).expect(200);
      expect(list.body).toEqual([]);
      const again = await api()
        .delete(`/api/v1/oauth/clients/${client.id}`)
        .set('x-api-key', admin.key)
        .expect(200);
      expect(again.body.revokedGrants).toBe(0);
      const events = await auditEvents(t.app, t.dataSource, org.id, 'oauth.grant.revoked');
      expect(events.map((e) => e.target_id).sort()).toEqual([a.grantId, b.grantId].sort());
    });

    it('should answer a client without grants here like an unknown one', async () => {
      const { owner } = await adminTeam(t.app);
      const other = await adminTeam(t.app);
      const client = await insertClient(t.dataSource);
      const there = await connectApp(t.dataSource, other.member.id, other.org.id, client.id);
      const foreign = await api()
        .delete(`/api/v1/oauth/clients/${client.id}`)
        .set('x-api-key', owner.key)
        .expect(404);
      const unknown = await api()
        .delete(`/api/v1/oauth/clients/${UNKNOWN_ID}`)
        .set('x-api-key', owner.key)
        .expect(404);
      expect(foreign.body).toEqual(unknown.body);
      expect((await grantState(t.dataSource, there.grantId)).revoked).toBe(false);
    });
  });

  it('should document the routes in Swagger with the api-key scheme', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/api/v1/oauth/clients', 'get'],
      ['/api/v1/oauth/clients/{id}', 'delete'],
      ['/api/v1/oauth/grants', 'get'],
      ['/api/v1/oauth/grants/{id}', 'delete'],
    ] as const) {
      expect(doc.paths[path][method].security).toEqual([{ 'api-key': [] }]);
    }
    expect(doc.components.schemas.GrantDto.properties.scope.example).toBe('mcp:read mcp:write');
    expect(doc.components.schemas.ConnectedClientDto.properties.redirectHosts).toBeDefined();
  });
});
