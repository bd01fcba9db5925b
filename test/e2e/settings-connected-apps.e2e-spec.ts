import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { mcpPost, toolCall } from 'test/support/mcp-client';
import {
  connectWithOAuth,
  csrfOf,
  formActions,
  noticeText,
  SettingsClient,
} from 'test/support/settings-client';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

/** `/settings/connected-apps`: the person's OAuth grants, revoked from the page. */
describe('settings pages: connected apps (e2e)', () => {
  let t: TestApp;
  const open: Client[] = [];

  async function signedIn(email: string): Promise<SettingsClient> {
    const c = new SettingsClient(t.url);
    expect((await c.signIn(email)).status).toBe(303);
    return c;
  }

  const withToken = (token: string) =>
    mcpPost(t.url, toolCall('whoami'), { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
    await t.close();
  });

  it('should list an app connected with OAuth and revoke it: its next /mcp call is 401', async () => {
    const name = 'Evil <script>alert(1)</script> & Co';
    const { client, provider } = await connectWithOAuth(t.url, {
      email: 'carol@acme.example',
      password: DEMO_PASSWORD,
      organization: 'Globex Financial',
      clientName: name,
    });
    open.push(client);
    await client.callTool({ name: 'whoami', arguments: {} });

    const c = await signedIn('carol@acme.example');
    const html = await c.html('/settings/connected-apps');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain(
      '<strong class="client-name">Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</strong>',
    );
    expect(html).toContain('<span class="host">127.0.0.1:53682</span>');
    expect(html).toContain('<td>Globex Financial</td>');
    expect(html).toContain('(<code>mcp:read mcp:write</code>)');
    expect(html).toMatch(/<td><time datetime="[^"]+">[^<]+ UTC<\/time><\/td>\s*<td><time/);

    const [action] = formActions(html).filter((a) => a.startsWith('/settings/connected-apps/'));
    expect((await withToken(provider.savedTokens!.access_token)).status).toBe(200);
    const revoked = await c.submit(html, action);
    expect(revoked.status).toBe(303);
    const after = await c.html(revoked.location!);
    expect(noticeText(after)).toMatch(/Access was revoked/);
    expect(after).toContain('No apps are connected.');

    const res = await withToken(provider.savedTokens!.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow();
  });

  it('should list only the person’s own grants and refuse another person’s grant as not found', async () => {
    const { provider } = await connectWithOAuth(t.url, {
      email: 'dave@acme.example',
      password: DEMO_PASSWORD,
      clientName: 'Dave’s app',
    });
    const dave = await signedIn('dave@acme.example');
    const daveHtml = await dave.html('/settings/connected-apps');
    const [action] = formActions(daveHtml).filter((a) => a.startsWith('/settings/connected-apps/'));
    const { organization } = Object.fromEntries(
      [...daveHtml.matchAll(/name="(organization)" value="([^"]+)"/g)].map((m) => [m[1], m[2]]),
    );

    const bob = await signedIn('bob@acme.example');
    const bobHtml = await bob.html('/settings/connected-apps');
    expect(bobHtml).not.toContain('Dave’s app');
    const res = await bob.post(action, { csrf_token: csrfOf(bobHtml), organization });
    expect(res.status).toBe(404);
    expect((await withToken(provider.savedTokens!.access_token)).status).toBe(200);

    const erin = await signedIn('erin@globex.example');
    const tampered = await erin.post(action, {
      csrf_token: csrfOf(await erin.html('/settings/connected-apps')),
      organization,
    });
    expect(tampered.status).toBe(403);
    expect((await withToken(provider.savedTokens!.access_token)).status).toBe(200);
  });
});
