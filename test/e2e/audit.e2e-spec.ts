import request from 'supertest';
import { generateApiKey } from 'src/api-keys/api-key.format';
import { AuditService } from 'src/audit/audit.service';
import { adminTeam, auditEvents } from 'test/factories/admin.factory';
import { createOrganizationKey, createUser } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import { startTestApp, TestApp } from 'test/support/test-app';

describe('Audit log (e2e)', () => {
  let t: TestApp;
  const api = () => request(t.url);
  const flush = () => t.app.get(AuditService).flush();

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false', AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Inserts events of one organization at fixed times (several share a timestamp). */
  async function seedEvents(organizationId: string, actorUserId: string, n: number) {
    for (let i = 0; i < n; i++) {
      const at = new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 2)));
      await t.dataSource.query(
        `INSERT INTO audit_events (created_at, organization_id, actor_user_id, type, details)
         VALUES ($1::timestamptz, $2, $3, $4, $5::jsonb)`,
        [
          at.toISOString(),
          organizationId,
          i % 3 === 0 ? actorUserId : null,
          i % 2 === 0 ? 'api_key.created' : 'api_key.revoked',
          JSON.stringify({ seq: i }),
        ],
      );
    }
  }

  it('should require authentication', async () => {
    const res = await api().get('/api/v1/audit-events').expect(401);
    expect(res.headers['www-authenticate']).toBe('ApiKey header="x-api-key"');
  });

  it('should show the log to owners, admins and organization keys, not to members', async () => {
    const { org, owner, admin, member } = await adminTeam(t.app);
    const orgKey = await createOrganizationKey(t.app, org.id);
    for (const key of [owner.key, admin.key, orgKey.key]) {
      await api().get('/api/v1/audit-events').set('x-api-key', key).expect(200);
    }
    const res = await api().get('/api/v1/audit-events').set('x-api-key', member.key).expect(403);
    expect(res.body.message).toMatch(/owners and admins/);
  });

  it('should record api_key.created and api_key.revoked with actor, target, IP and user agent, never the key', async () => {
    const { org, admin } = await adminTeam(t.app);
    const created = await api()
      .post('/api/v1/api-keys')
      .set('x-api-key', admin.key)
      .set('user-agent', 'audit-e2e/1.0')
      .send({ name: 'laptop', readOnly: true })
      .expect(201);
    await api()
      .delete(`/api/v1/api-keys/${created.body.id}`)
      .set('x-api-key', admin.key)
      .expect(200);
    await flush();
    const res = await api()
      .get('/api/v1/audit-events?type=api_key.created')
      .set('x-api-key', admin.key)
      .expect(200);
    const event = res.body.items.find((e: { targetId: string }) => e.targetId === created.body.id);
    expect(event).toMatchObject({
      type: 'api_key.created',
      organizationId: org.id,
      actorUserId: admin.id,
      actorEmail: admin.email,
      actorApiKeyId: admin.keyId,
      targetType: 'api_key',
      ip: '127.0.0.1',
      userAgent: 'audit-e2e/1.0',
      details: { name: 'laptop', kind: 'user', readOnly: true },
    });
    const revoked = await auditEvents(t.app, t.dataSource, org.id, 'api_key.revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actor_user_id: admin.id, target_id: created.body.id });
    const all = JSON.stringify(
      await t.dataSource.query(`SELECT * FROM audit_events WHERE organization_id = $1`, [org.id]),
    );
    expect(all).not.toContain(created.body.key);
    expect(all).not.toContain(created.body.key.slice(3, 20));
  });

  it('should record api_key.refused with the reason for revoked, expired, removed-member and unknown keys', async () => {
    const { org, owner, member, admin } = await adminTeam(t.app);
    await t.dataSource.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [admin.keyId]);
    await t.dataSource.query(
      `UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [owner.keyId],
    );
    await t.dataSource.query(`DELETE FROM memberships WHERE user_id = $1`, [member.id]);
    for (const key of [admin.key, owner.key, member.key]) {
      const res = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': key });
      expect([401, 403]).toContain(res.status);
    }
    const unknownKey = generateApiKey();
    await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': unknownKey });
    const refused = await auditEvents(t.app, t.dataSource, org.id, 'api_key.refused');
    expect(
      refused.map((e) => [e.actor_api_key_id, e.actor_user_id, e.details.reason, e.ip]),
    ).toEqual([
      [admin.keyId, admin.id, 'revoked', '127.0.0.1'],
      [owner.keyId, owner.id, 'expired', '127.0.0.1'],
      [member.keyId, member.id, 'not_member', '127.0.0.1'],
    ]);
    const anonymous = await auditEvents(t.app, t.dataSource, null, 'api_key.refused');
    expect(anonymous.length).toBeGreaterThanOrEqual(1);
    expect(anonymous[anonymous.length - 1].details).toEqual({ reason: 'invalid' });
    expect(JSON.stringify(anonymous)).not.toContain(unknownKey);
  });

  it('should record membership.added, role_changed and removed through the REST API', async () => {
    const { org, owner } = await adminTeam(t.app);
    const user = await createUser(t.app, 'joiner');
    const base = `/api/v1/organizations/${org.slug}/members`;
    await api()
      .post(base)
      .set('x-api-key', owner.key)
      .send({ email: user.email, role: 'member' })
      .expect(201);
    await api()
      .patch(`${base}/${user.id}`)
      .set('x-api-key', owner.key)
      .send({ role: 'admin' })
      .expect(200);
    await api().delete(`${base}/${user.id}`).set('x-api-key', owner.key).expect(200);
    await flush();
    const res = await api()
      .get(`/api/v1/audit-events?userId=${user.id}`)
      .set('x-api-key', owner.key)
      .expect(200);
    expect(
      res.body.items.map((e: { type: string; details: object }) => [e.type, e.details]),
    ).toEqual([
      ['membership.removed', { role: 'admin', revokedGrants: 0 }],
      ['membership.role_changed', { from: 'member', to: 'admin' }],
      ['membership.added', { role: 'member' }],
    ]);
    expect(res.body.items.every((e: { actorUserId: string }) => e.actorUserId === owner.id)).toBe(
      true,
    );
  });

  it('should page newest first with a cursor, without gaps or repeats, also across equal timestamps', async () => {
    const { org, owner } = await adminTeam(t.app);
    await flush();
    await seedEvents(org.id, owner.id, 9);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/audit-events?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await api().get(url).set('x-api-key', owner.key).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.items.map((e: { details: { seq: number } }) => e.details.seq));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const times = seen.map((s) => Math.floor(s / 2));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('should filter by type, user and time range', async () => {
    const { org, owner } = await adminTeam(t.app);
    await seedEvents(org.id, owner.id, 9);
    const get = async (query: string) =>
      (
        await api().get(`/api/v1/audit-events?${query}`).set('x-api-key', owner.key).expect(200)
      ).body.items
        .map((e: { details: { seq?: number } }) => e.details.seq)
        .filter((s: number | undefined) => s !== undefined)
        .sort((a: number, b: number) => a - b);
    expect(await get('type=api_key.revoked&to=2026-02-01T00:00:00Z')).toEqual([1, 3, 5, 7]);
    expect(await get(`userId=${owner.id}&to=2026-02-01T00:00:00Z`)).toEqual([0, 3, 6]);
    expect(await get('from=2026-01-02T00:00:00Z&to=2026-01-04T00:00:00Z')).toEqual([2, 3, 4, 5]);
    expect(await get('from=2026-01-05')).toEqual([8]);
  });

  it('should never show another organization’s events', async () => {
    const a = await adminTeam(t.app);
    const b = await adminTeam(t.app);
    await seedEvents(b.org.id, b.owner.id, 3);
    const res = await api()
      .get('/api/v1/audit-events?limit=100&to=2026-02-01T00:00:00Z')
      .set('x-api-key', a.owner.key)
      .expect(200);
    expect(res.body.items).toEqual([]);
    const byUser = await api()
      .get(`/api/v1/audit-events?userId=${b.owner.id}`)
      .set('x-api-key', a.owner.key)
      .expect(200);
    expect(byUser.body.items).toEqual([]);
  });

  describe('with bad query parameters', () => {
    let ownerKey: string;
    beforeAll(async () => {
      ownerKey = (await adminTeam(t.app)).owner.key;
    });

    it.each([
      'limit=0',
      'limit=101',
      'limit=ten',
      'type=api_key.deleted',
      'userId=not-a-uuid',
      'from=yesterday',
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'cursor=bm90LWEtY3Vyc29y',
      'organizationId=00000000-0000-4000-8000-000000000000',
    ])('should answer %s with a clear 400', async (query) => {
      const res = await api().get(`/api/v1/audit-events?${query}`).set('x-api-key', ownerKey);
      expect(res.status).toBe(400);
      expect(typeof res.body.message).toBe('string');
    });
  });

  it('should document the route in Swagger with the api-key scheme and an example page', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    const op = doc.paths['/api/v1/audit-events'].get;
    expect(op.security).toEqual([{ 'api-key': [] }]);
    const names = op.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['type', 'userId', 'from', 'to', 'limit', 'cursor']),
    );
    expect(doc.components.schemas.AuditEventPageDto.properties.nextCursor).toBeDefined();
    expect(doc.components.schemas.AuditEventDto.properties.type.enum).toContain(
      'oauth.refresh_reuse.detected',
    );
  });

  it('should write buffered events during shutdown, before the pool closes', async () => {
    const other = await startTestApp({ SEED_DEMO: 'false' });
    const query = jest.spyOn(other.dataSource, 'query');
    other.app.get(AuditService).record({ type: 'auth.sign_in.failed', organizationId: null });
    expect(query).not.toHaveBeenCalled();
    await other.close();
    const inserts = query.mock.calls
      .map(([sql], i) => ({ sql, result: query.mock.results[i].value as Promise<unknown> }))
      .filter(({ sql }) => sql.startsWith('INSERT INTO audit_events'));
    expect(inserts).toHaveLength(1);
    await expect(inserts[0].result).resolves.toBeDefined();
  });
});
