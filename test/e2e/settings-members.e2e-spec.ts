import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LAST_OWNER_MESSAGE } from 'src/members/members.rules';
import { adminTeam } from 'test/factories/admin.factory';
import { createUser, PASSWORD } from 'test/factories/identity.factory';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import {
  alertText,
  connectWithOAuth,
  csrfOf,
  formActions,
  noticeText,
  SettingsClient,
} from 'test/support/settings-client';
import { startTestApp, TestApp } from 'test/support/test-app';

/** `/settings/members`: owners and admins manage the selected organization's members. */
describe('settings pages: members (e2e)', () => {
  let t: TestApp;
  const open: Client[] = [];

  async function signedIn(email: string): Promise<SettingsClient> {
    const c = new SettingsClient(t.url);
    expect((await c.signIn(email, PASSWORD)).status).toBe(303);
    return c;
  }

  const whoami = (key: string) => mcpPost(t.url, toolCall('whoami'), { 'x-api-key': key });

  /** The `<tr>` of the members table that mentions `email`. */
  const row = (html: string, email: string): string =>
    [...html.matchAll(/<tr>[\s\S]*?<\/tr>/g)].map((m) => m[0]).find((r) => r.includes(email)) ?? '';

  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false', AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await t.close();
  });

  it('should let an owner add an existing user, change a role and refuse unknown or duplicate emails', async () => {
    const { owner, admin, member } = await adminTeam(t.app);
    const newcomer = await createUser(t.app, 'newcomer');
    const c = await signedIn(owner.email);
    let html = await c.html('/settings/members');
    for (const [person, role] of [
      [owner, 'owner'],
      [admin, 'admin'],
      [member, 'member'],
    ] as const) {
      expect(row(html, person.email)).toContain(`<td>${role}</td>`);
    }

    const added = await c.submit(html, '/settings/members', {
      email: newcomer.email.toUpperCase(),
      role: 'member',
    });
    expect(added.status).toBe(303);
    html = await c.html(added.location!);
    expect(noticeText(html)).toBe('The member was added.');
    expect(row(html, newcomer.email)).toContain('<td>member</td>');

    const again = await c.submit(html, '/settings/members', {
      email: newcomer.email,
      role: 'admin',
    });
    expect(again.status).toBe(409);
    expect(alertText(again.html)).toMatch(/is already a member of Org .*: change their role/);
    const unknown = await c.submit(html, '/settings/members', {
      email: 'nobody@nowhere.example',
      role: 'member',
    });
    expect(unknown.status).toBe(404);
    expect(alertText(unknown.html)).toMatch(/No account with the email nobody@nowhere.example/);
    expect(unknown.html).toContain('value="nobody@nowhere.example"');

    const action = `/settings/members/${newcomer.id}/role`;
    const changed = await c.submit(html, action, { role: 'admin' });
    expect(changed.status).toBe(303);
    expect(row(await c.html('/settings/members'), newcomer.email)).toContain('<td>admin</td>');
  });

  it('should remove a member after a confirmation: their key and their app stop at once', async () => {
    const { owner, member } = await adminTeam(t.app);
    const { client, provider } = await connectWithOAuth(t.url, {
      email: member.email,
      password: PASSWORD,
    });
    open.push(client);
    const token = provider.savedTokens!.access_token;
    expect((await whoami(member.key)).status).toBe(200);
    expect(
      (await mcpPost(t.url, toolCall('whoami'), { authorization: `Bearer ${token}` })).status,
    ).toBe(200);

    const c = await signedIn(owner.email);
    const confirm = await c.html(`/settings/members/${member.id}/remove`);
    expect(confirm).toContain(member.email);
    expect((await whoami(member.key)).status).toBe(200); // the GET changed nothing
    const removed = await c.submit(confirm, `/settings/members/${member.id}/remove`);
    expect(removed.status).toBe(303);
    const html = await c.html(removed.location!);
    expect(noticeText(html)).toMatch(/The member was removed/);
    expect(row(html, member.email)).toBe('');

    expect((await whoami(member.key)).status).toBe(403);
    const after = await mcpPost(t.url, toolCall('whoami'), { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
  });

  it('should answer the last-owner rule with a clear message and change nothing', async () => {
    const { owner } = await adminTeam(t.app);
    const c = await signedIn(owner.email);
    const html = await c.html('/settings/members');
    const demote = await c.submit(html, `/settings/members/${owner.id}/role`, { role: 'admin' });
    expect(demote.status).toBe(409);
    expect(alertText(demote.html)).toBe(LAST_OWNER_MESSAGE);
    const confirm = await c.html(`/settings/members/${owner.id}/remove`);
    const leave = await c.submit(confirm, `/settings/members/${owner.id}/remove`);
    expect(leave.status).toBe(409);
    expect(alertText(leave.html)).toBe(LAST_OWNER_MESSAGE);
    expect(row(await c.html('/settings/members'), owner.email)).toContain('<td>owner</td>');
  });

  it('should keep the owner role to owners when an admin manages members', async () => {
    const { owner, admin, member } = await adminTeam(t.app);
    const c = await signedIn(admin.email);
    const html = await c.html('/settings/members');
    expect(html).not.toContain('<option value="owner"');
    expect(row(html, owner.email)).toContain('Only owners can change owners');
    expect(formActions(html)).not.toContain(`/settings/members/${owner.id}/role`);

    const promote = await c.submit(html, `/settings/members/${member.id}/role`, { role: 'owner' });
    expect(promote.status).toBe(403);
    expect(alertText(promote.html)).toMatch(/Only an owner can/);
    const forged = await c.submit(html, '/settings/members', {
      email: (await createUser(t.app)).email,
      role: 'owner',
    });
    expect(forged.status).toBe(403);
    const csrf = csrfOf(html);
    const direct = await c.post(`/settings/members/${owner.id}/remove`, { csrf_token: csrf });
    expect(direct.status).toBe(403);
    expect(alertText(direct.html)).toBe('Only an owner can remove an owner');
    const removeMember = await c.post(`/settings/members/${member.id}/remove`, {
      csrf_token: csrf,
    });
    expect(removeMember.status).toBe(303);
  });

  it('should treat a member of another organization like an unknown one', async () => {
    const { owner } = await adminTeam(t.app);
    const elsewhere = await adminTeam(t.app);
    const c = await signedIn(owner.email);
    const html = await c.html('/settings/members');
    const res = await c.post(`/settings/members/${elsewhere.member.id}/role`, {
      csrf_token: csrfOf(html),
      role: 'admin',
    });
    expect(res.status).toBe(404);
    expect(alertText(res.html)).toBe('Member not found');
    expect((await c.get(`/settings/members/${elsewhere.member.id}/remove`)).status).toBe(404);
  });
});
