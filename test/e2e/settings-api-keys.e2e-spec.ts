import { adminTeam } from 'test/factories/admin.factory';
import { PASSWORD } from 'test/factories/identity.factory';
import { demoKey } from 'test/factories/demo.factory';
import { connectMcp, mcpPost, toolCall } from 'test/support/mcp-client';
import {
  alertText,
  createdKey,
  csrfOf,
  noticeText,
  SettingsClient,
  switcherOptions,
} from 'test/support/settings-client';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

/** `/settings/api-keys`: create (shown once), list, use at /mcp, revoke with a confirmation. */
describe('settings pages: API keys (e2e)', () => {
  let t: TestApp;

  async function signedIn(email: string, password = DEMO_PASSWORD): Promise<SettingsClient> {
    const c = new SettingsClient(t.url);
    expect((await c.signIn(email, password)).status).toBe(303);
    return c;
  }

  const whoami = (key: string) => mcpPost(t.url, toolCall('whoami'), { 'x-api-key': key });

  /** Creates a key through the form; returns the created page. */
  async function createKey(c: SettingsClient, fields: Record<string, string>) {
    const html = await c.html('/settings/api-keys');
    return c.submit(html, '/settings/api-keys', fields);
  }

  beforeAll(async () => {
    t = await startTestApp({ AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('should show a new key once, let it work at /mcp, and refuse it after revocation', async () => {
    const c = await signedIn('dave@acme.example');
    const created = await createKey(c, { name: 'Laptop <CLI>' });
    expect(created.status).toBe(201);
    expect(created.res.headers.get('cache-control')).toBe('no-store');
    expect(created.res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(created.html).toContain('<script src="/settings/assets/copy-key.js" defer></script>');
    expect(alertText(created.html)).toMatch(/Copy this key now\. It is shown only once/);
    expect(created.html).toContain('Laptop &lt;CLI&gt;');
    const key = createdKey(created.html);
    expect(created.html).toContain(`--header "x-api-key: ${key}"`);

    const list = await c.html('/settings/api-keys');
    expect(list).not.toContain(key);
    expect(list).not.toMatch(/ed_[0-9A-Za-z]{36}/);
    expect(list).toContain(`<code>${key.slice(0, 7)}…${key.slice(-4)}</code>`);
    expect(list).toContain('Laptop &lt;CLI&gt;');
    expect(list).toContain('<td>Acme Retail</td>');

    const client = await connectMcp(t.url, { 'x-api-key': key });
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect((who.structuredContent as { user: { email: string } }).user.email).toBe(
      'dave@acme.example',
    );
    await client.close();

    const id = /href="\/settings\/api-keys\/([0-9a-f-]{36})\/revoke\?organization=/.exec(list)![1];
    const confirmPath = /href="(\/settings\/api-keys\/[^"]+\/revoke\?organization=[^"]+)"/.exec(
      list,
    )![1];
    const confirm = await c.html(confirmPath.replace(/&amp;/g, '&'));
    expect(confirm).toContain('Revoke API key?');
    expect(confirm).toContain('Laptop &lt;CLI&gt;');
    expect((await whoami(key)).status).toBe(200); // showing the confirmation changed nothing
    const revoked = await c.submit(confirm, `/settings/api-keys/${id}/revoke`);
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe('/settings/api-keys?notice=key-revoked');
    const after = await c.html(revoked.location!);
    expect(noticeText(after)).toMatch(/The API key was revoked/);
    expect(after).not.toContain('Laptop &lt;CLI&gt;');
    expect((await whoami(key)).status).toBe(401);
  });

  it('should create read-only keys with an expiry and refuse a past date with a message', async () => {
    const c = await signedIn('bob@acme.example');
    const created = await createKey(c, {
      name: 'Read only',
      read_only: 'yes',
      expires_on: '2099-12-31',
    });
    expect(created.status).toBe(201);
    const key = createdKey(created.html);
    expect(created.html).toContain('<time datetime="2100-01-01T00:00:00.000Z">');
    const write = await mcpPost(
      t.url,
      toolCall('request_access', {
        dataProductId: 'orders',
        outputPortId: 'orders_npii_v1',
        purpose: 'Settings e2e',
      }),
      { 'x-api-key': key },
    );
    expect(write.status).toBe(403);
    const list = await c.html('/settings/api-keys');
    expect(list).toMatch(
      /Read only <span class="badge">Personal<\/span>[\s\S]*?<td>Read-only<\/td>/,
    );

    const past = await createKey(c, { name: 'Old', expires_on: '2001-01-01' });
    expect(past.status).toBe(400);
    expect(alertText(past.html)).toMatch(/The expiry date is in the past/);
    expect(past.html).toContain('value="Old"');
  });

  it('should list keys of every organization of the person, created in the selected one', async () => {
    const c = await signedIn('carol@acme.example');
    const html = await c.html('/settings/api-keys');
    const globex = switcherOptions(html).find((o) => o.label === 'Globex Financial')!;
    await c.submit(html, '/settings/organization', { organization: globex.value });
    expect((await createKey(c, { name: 'Globex key' })).status).toBe(201);
    const list = await c.html('/settings/api-keys');
    expect(list).toMatch(/Globex key [\s\S]*?<td>Globex Financial<\/td>/);
    expect(list).toContain('The key is created in <strong>Globex Financial</strong>');
  });

  it('should let owners create organization keys (not usable for MCP) and refuse them to admins', async () => {
    const alice = await signedIn('alice@acme.example');
    const form = await alice.html('/settings/api-keys');
    expect(form).toContain('Organization key: admin API only, not usable for MCP');
    const created = await alice.submit(form, '/settings/api-keys', {
      name: 'Reporting job',
      kind: 'organization',
    });
    expect(created.status).toBe(201);
    expect(created.html).toContain('Organization key (not usable for MCP)');
    const orgKey = createdKey(created.html);
    expect((await whoami(orgKey)).status).toBe(403);
    const list = await alice.html('/settings/api-keys');
    expect(list).toMatch(
      /Reporting job <span class="badge badge-warn">Organization key · not usable for MCP/,
    );

    const { admin } = await adminTeam(t.app);
    const c = await signedIn(admin.email, PASSWORD);
    const adminForm = await c.html('/settings/api-keys');
    expect(adminForm).not.toContain('name="kind"');
    const forged = await c.submit(adminForm, '/settings/api-keys', {
      name: 'Sneaky',
      kind: 'organization',
    });
    expect(forged.status).toBe(403);
    expect(alertText(forged.html)).toBe(
      'Creating organization-level keys needs the organization owner role',
    );
  });

  it('should show admins the organization’s other keys and let them revoke them, members not', async () => {
    const { org, admin, member } = await adminTeam(t.app);
    const c = await signedIn(admin.email, PASSWORD);
    const html = await c.html('/settings/api-keys');
    expect(html).toContain(`Other keys in ${org.name}`);
    expect(html).toContain(`<td>${member.email}</td>`);
    const confirm = await c.html(
      `/settings/api-keys/${member.keyId}/revoke?organization=${org.id}`,
    );
    const res = await c.submit(confirm, `/settings/api-keys/${member.keyId}/revoke`);
    expect(res.status).toBe(303);
    expect((await whoami(member.key)).status).toBe(401);

    const m = await signedIn(member.email, PASSWORD);
    const mine = await m.html('/settings/api-keys');
    expect(mine).not.toContain('Other keys in');
    expect(mine).not.toContain(admin.email);
    const other = await m.get(`/settings/api-keys/${admin.keyId}/revoke?organization=${org.id}`);
    expect(other.status).toBe(404);
    const post = await m.post(`/settings/api-keys/${admin.keyId}/revoke`, {
      csrf_token: csrfOf(mine),
      organization: org.id,
    });
    expect(post.status).toBe(404);
    expect((await whoami(admin.key)).status).toBe(200);
  });

  it('should not reveal or revoke another organization’s key, whatever organization is posted', async () => {
    const erinKey = await demoKey(t.app, 'erin@globex.example', 'globex');
    const [row] = await t.dataSource.query<Array<{ id: string; organization_id: string }>>(
      `SELECT id, organization_id FROM api_keys WHERE display_hint = $1`,
      [`${erinKey.slice(0, 7)}…${erinKey.slice(-4)}`],
    );
    const alice = await signedIn('alice@acme.example');
    const html = await alice.html('/settings/api-keys');
    const acme = switcherOptions(html)[0].value;
    const asAcme = await alice.post(`/settings/api-keys/${row.id}/revoke`, {
      csrf_token: csrfOf(html),
      organization: acme,
    });
    expect(asAcme.status).toBe(404);
    const asGlobex = await alice.post(`/settings/api-keys/${row.id}/revoke`, {
      csrf_token: csrfOf(html),
      organization: row.organization_id,
    });
    expect(asGlobex.status).toBe(403);
    expect((await whoami(erinKey)).status).toBe(200);
  });

  it('should serve the copy script as a same-origin file', async () => {
    const res = await fetch(`${t.url}/settings/assets/copy-key.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toContain('navigator.clipboard');
    const css = await fetch(`${t.url}/settings/assets/settings.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });
});
