import request from 'supertest';
import {
  adminTeam,
  auditEvents,
  connectApp,
  grantState,
  insertClient,
  personIn,
} from 'test/factories/admin.factory';
import {
  addMember,
  createOrganizationKey,
  createUser,
  memberWithKey,
} from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('Members admin REST API (e2e)', () => {
  let t: TestApp;
  const api = () => request(t.url);
  const members = (slug: string, userId?: string) =>
    `/api/v1/organizations/${slug}/members${userId ? `/${userId}` : ''}`;

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false', AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should require authentication on every route', async () => {
    const { org, member } = await adminTeam(t.app);
    const res = await api().get(members(org.slug)).expect(401);
    expect(res.headers['www-authenticate']).toBe('ApiKey header="x-api-key"');
    await api().post(members(org.slug)).send({ email: member.email, role: 'admin' }).expect(401);
    await api().patch(members(org.slug, member.id)).send({ role: 'admin' }).expect(401);
    await api().delete(members(org.slug, member.id)).expect(401);
  });

  it('should list members with emails and roles for owners, admins and organization keys, and refuse members', async () => {
    const { org, owner, admin, member } = await adminTeam(t.app);
    const orgKey = await createOrganizationKey(t.app, org.id);
    for (const key of [owner.key, admin.key, orgKey.key]) {
      const res = await api().get(members(org.slug)).set('x-api-key', key).expect(200);
      expect(res.body.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
        [owner.email, 'owner'],
        [admin.email, 'admin'],
        [member.email, 'member'],
      ]);
      expect(res.body[0]).toMatchObject({ userId: owner.id, disabled: false });
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    }
    const denied = await api().get(members(org.slug)).set('x-api-key', member.key).expect(403);
    expect(denied.body).toMatchObject({ error: 'forbidden' });
    expect(denied.body.message).toMatch(/owners and admins/);
  });

  it('should answer another organization’s slug and members like unknown ones', async () => {
    const a = await adminTeam(t.app);
    const b = await adminTeam(t.app);
    const foreign = await api().get(members(b.org.slug)).set('x-api-key', a.owner.key).expect(404);
    const unknown = await api()
      .get(members('no-such-org'))
      .set('x-api-key', a.owner.key)
      .expect(404);
    expect(foreign.body).toEqual(unknown.body);
    await api()
      .post(members(b.org.slug))
      .set('x-api-key', a.owner.key)
      .send({ email: a.member.email, role: 'member' })
      .expect(404);
    await api()
      .patch(members(b.org.slug, b.member.id))
      .set('x-api-key', a.owner.key)
      .send({ role: 'admin' })
      .expect(404);
    await api().delete(members(b.org.slug, b.member.id)).set('x-api-key', a.owner.key).expect(404);
    // A user of organization B under A's slug is not a member there.
    const foreignUser = await api()
      .patch(members(a.org.slug, b.member.id))
      .set('x-api-key', a.owner.key)
      .send({ role: 'admin' })
      .expect(404);
    const unknownUser = await api()
      .patch(members(a.org.slug, UNKNOWN_ID))
      .set('x-api-key', a.owner.key)
      .send({ role: 'admin' })
      .expect(404);
    expect(foreignUser.body).toEqual(unknownUser.body);
    await api().delete(members(a.org.slug, 'not-a-uuid')).set('x-api-key', a.owner.key).expect(404);
    const [row] = await t.dataSource.query(
      `SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`,
      [b.org.id, b.member.id],
    );
    expect(row.role).toBe('member');
  });

  it('should add an existing user by email with a role, and audit it', async () => {
    const { org, admin } = await adminTeam(t.app);
    const newcomer = await createUser(t.app, 'newcomer');
    const res = await api()
      .post(members(org.slug))
      .set('x-api-key', admin.key)
      .send({ email: newcomer.email.toUpperCase(), role: 'admin' })
      .expect(201);
    expect(res.body).toMatchObject({ userId: newcomer.id, email: newcomer.email, role: 'admin' });
    const [event] = await auditEvents(t.app, t.dataSource, org.id, 'membership.added');
    expect(event).toMatchObject({
      actor_user_id: admin.id,
      actor_api_key_id: admin.keyId,
      target_type: 'user',
      target_id: newcomer.id,
      details: { role: 'admin' },
      ip: '127.0.0.1',
    });
    const again = await api()
      .post(members(org.slug))
      .set('x-api-key', admin.key)
      .send({ email: newcomer.email, role: 'member' })
      .expect(409);
    expect(again.body.message).toMatch(/already a member/);
    const unknown = await api()
      .post(members(org.slug))
      .set('x-api-key', admin.key)
      .send({ email: 'nobody-here@test.example', role: 'member' })
      .expect(404);
    expect(unknown.body.message).toMatch(/existing users/);
  });

  it('should refuse server-set fields, unknown roles and bad emails with 400', async () => {
    const { org, owner, member } = await adminTeam(t.app);
    const other = await createUser(t.app);
    for (const body of [
      { email: other.email, role: 'member', user_id: other.id },
      { email: other.email, role: 'member', organization_id: org.id },
      { email: other.email, role: 'superuser' },
      { email: 'not-an-email', role: 'member' },
      { role: 'member' },
    ]) {
      const res = await api().post(members(org.slug)).set('x-api-key', owner.key).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBeDefined();
    }
    const res = await api()
      .patch(members(org.slug, member.id))
      .set('x-api-key', owner.key)
      .send({ role: 'admin', userId: owner.id });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/userId should not exist/);
  });

  it('should let only owners grant, take away or remove the owner role', async () => {
    const { org, owner, admin, member } = await adminTeam(t.app);
    const orgKey = await createOrganizationKey(t.app, org.id);
    const outsider = await createUser(t.app);
    for (const key of [admin.key, orgKey.key]) {
      await api()
        .post(members(org.slug))
        .set('x-api-key', key)
        .send({ email: outsider.email, role: 'owner' })
        .expect(403);
      await api()
        .patch(members(org.slug, member.id))
        .set('x-api-key', key)
        .send({ role: 'owner' })
        .expect(403);
      await api()
        .patch(members(org.slug, owner.id))
        .set('x-api-key', key)
        .send({ role: 'member' })
        .expect(403);
      await api().delete(members(org.slug, owner.id)).set('x-api-key', key).expect(403);
    }
    // Admins manage the other roles…
    await api()
      .patch(members(org.slug, member.id))
      .set('x-api-key', admin.key)
      .send({ role: 'admin' })
      .expect(200);
    // …members manage nothing, and a read-only owner key changes nothing.
    const m2 = await personIn(t.app, org, 'member');
    await api()
      .patch(members(org.slug, m2.id))
      .set('x-api-key', m2.key)
      .send({ role: 'admin' })
      .expect(403);
    const readOnly = await personIn(t.app, org, 'owner', { readOnly: true });
    const ro = await api()
      .patch(members(org.slug, m2.id))
      .set('x-api-key', readOnly.key)
      .send({ role: 'admin' })
      .expect(403);
    expect(ro.body.message).toMatch(/read-only/);
    // The owner may make someone owner.
    const res = await api()
      .patch(members(org.slug, m2.id))
      .set('x-api-key', owner.key)
      .send({ role: 'owner' })
      .expect(200);
    expect(res.body.role).toBe('owner');
  });

  it('should never leave an organization without an owner (409)', async () => {
    const { org, owner } = await adminTeam(t.app);
    const demote = await api()
      .patch(members(org.slug, owner.id))
      .set('x-api-key', owner.key)
      .send({ role: 'admin' })
      .expect(409);
    expect(demote.body).toMatchObject({ statusCode: 409, error: 'conflict' });
    expect(demote.body.message).toMatch(/without an owner/);
    const leave = await api().delete(members(org.slug, owner.id)).set('x-api-key', owner.key);
    expect(leave.status).toBe(409);
    // With a second owner the first may step down, and the change is audited.
    const second = await personIn(t.app, org, 'owner');
    await api()
      .patch(members(org.slug, owner.id))
      .set('x-api-key', second.key)
      .send({ role: 'admin' })
      .expect(200);
    const [changed] = await auditEvents(t.app, t.dataSource, org.id, 'membership.role_changed');
    expect(changed).toMatchObject({
      actor_user_id: second.id,
      target_id: owner.id,
      details: { from: 'owner', to: 'admin' },
    });
  });

  it('should remove a member: their key stops at /mcp and their grants here are revoked', async () => {
    const { org, owner, member } = await adminTeam(t.app);
    const elsewhere = await memberWithKey(t.app, 'owner');
    await addMember(t.app, elsewhere.org.slug, member.email, 'member');
    const client = await insertClient(t.dataSource, { name: 'Claude' });
    const here = await connectApp(t.dataSource, member.id, org.id, client.id);
    const there = await connectApp(t.dataSource, member.id, elsewhere.org.id, client.id);
    expect((await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': member.key })).status).toBe(
      200,
    );

    const res = await api().delete(members(org.slug, member.id)).set('x-api-key', owner.key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: member.id, role: 'member', revokedGrants: 1 });

    const mcp = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': member.key });
    expect(mcp.status).toBe(403);
    expect(await grantState(t.dataSource, here.grantId)).toEqual({
      revoked: true,
      reason: 'membership_removed',
      refreshTokensRevoked: true,
    });
    expect((await grantState(t.dataSource, there.grantId)).revoked).toBe(false);
    const list = await api().get(members(org.slug)).set('x-api-key', owner.key).expect(200);
    expect(list.body.map((m: { userId: string }) => m.userId)).not.toContain(member.id);

    const [removed] = await auditEvents(t.app, t.dataSource, org.id, 'membership.removed');
    expect(removed).toMatchObject({
      actor_user_id: owner.id,
      target_id: member.id,
      details: { role: 'member', revokedGrants: 1 },
    });
    const revoked = await auditEvents(t.app, t.dataSource, org.id, 'oauth.grant.revoked');
    expect(revoked.map((e) => e.target_id)).toEqual([here.grantId]);
    await api().delete(members(org.slug, member.id)).set('x-api-key', owner.key).expect(404);
  });

  it('should document the routes in Swagger with the api-key scheme', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/api/v1/organizations/{slug}/members', 'get'],
      ['/api/v1/organizations/{slug}/members', 'post'],
      ['/api/v1/organizations/{slug}/members/{userId}', 'patch'],
      ['/api/v1/organizations/{slug}/members/{userId}', 'delete'],
    ] as const) {
      expect(doc.paths[path][method].security).toEqual([{ 'api-key': [] }]);
      expect(doc.paths[path][method].responses['401']).toBeDefined();
    }
    expect(doc.components.schemas.AddMemberDto.properties.role.enum).toEqual([
      'owner',
      'admin',
      'member',
    ]);
    expect(doc.components.schemas.MemberDto.properties.email.example).toMatch(/@/);
    expect(doc.components.schemas.RemovedMemberDto.properties.revokedGrants).toBeDefined();
  });
});
