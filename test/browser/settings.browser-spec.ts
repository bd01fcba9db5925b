import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, watchProblems } from 'test/browser/support/chromium';
import { connectMcp, mcpPost, toolCall } from 'test/support/mcp-client';
import { connectWithOAuth } from 'test/support/settings-client';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-results');

describe('settings pages in Chromium (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const shot = (name: string) =>
    page.screenshot({ path: resolve(SCREENSHOTS, `settings-${name}.png`), fullPage: true });

  async function signIn(email: string, path = '/settings'): Promise<void> {
    await page.goto(`${t.url}${path}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).waitFor();
  }

  /** Presses Tab until `target` has the focus (fails after `max` presses). */
  async function tabTo(target: Locator, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((el: any) => el === el.ownerDocument.activeElement)) return;
    }
    throw new Error(`could not reach ${target.toString()} with Tab`);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [t, browser] = await Promise.all([startTestApp({ AUTH_CACHE_TTL_MS: '0' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    problems = watchProblems(page);
  });
  afterEach(async () => {
    await context.close();
    expect(problems).toEqual([]);
  });

  it('should sign in and move between pages with the keyboard only', async () => {
    await page.goto(`${t.url}/settings/mcp`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('sign-in');
    await tabTo(page.getByLabel('Email'));
    await page.keyboard.type('dave@acme.example');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add an MCP client' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/mcp');

    await tabTo(page.getByRole('link', { name: 'Connected apps' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connected apps' }).waitFor();
    await tabTo(page.getByRole('link', { name: 'API keys' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await expect(
      page.getByRole('link', { name: 'API keys' }).getAttribute('aria-current'),
    ).resolves.toBe('page');

    await tabTo(page.getByRole('button', { name: 'Sign out' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('should create a key, show it once with a copy button, use it with the SDK, revoke it', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await signIn('bob@acme.example', '/settings/api-keys');
    await page.getByLabel('Name').fill('Browser key');
    await page.getByRole('checkbox', { name: /Read-only/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'API key created' }).waitFor();
    const key = await page.getByLabel('Your new API key').inputValue();
    expect(key).toMatch(/^ed_[0-9A-Za-z]{36}$/);
    const copy = page.getByRole('button', { name: 'Copy to clipboard' });
    await copy.click();
    await page.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(key);
    await shot('api-key-created');

    const client = await connectMcp(t.url, { 'x-api-key': key });
    const { tools } = await client.listTools();
    expect(tools.every((tool) => tool.annotations?.readOnlyHint)).toBe(true);
    await client.close();

    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    expect(await page.content()).not.toContain(key);
    await page.reload();
    expect(await page.content()).not.toContain(key);
    await shot('api-keys');
    const row = page.getByRole('row').filter({ hasText: 'Browser key' });
    await expect(row.getByRole('cell', { name: 'Read-only' }).count()).resolves.toBe(1);
    await row.getByRole('link', { name: 'Revoke Browser key' }).click();
    await page.getByRole('heading', { name: 'Revoke API key?' }).waitFor();
    await shot('api-key-revoke');
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('status').filter({ hasText: 'The API key was revoked' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Browser key' }).count()).toBe(0);

    const refused = await mcpPost(t.url, toolCall('whoami'), { 'x-api-key': key });
    expect(refused.status).toBe(401);
    await expect(connectMcp(t.url, { 'x-api-key': key })).rejects.toThrow();
  });

  it('should list an app connected with OAuth and revoke it from the page', async () => {
    const { client, provider } = await connectWithOAuth(t.url, {
      email: 'carol@acme.example',
      password: DEMO_PASSWORD,
      organization: 'Globex Financial',
      clientName: 'Browser <i>OAuth</i> client',
    });
    await client.callTool({ name: 'whoami', arguments: {} });
    await signIn('carol@acme.example', '/settings/connected-apps');
    const row = page.getByRole('row').filter({ hasText: 'Browser <i>OAuth</i> client' });
    await expect(
      row.getByRole('cell', { name: 'Globex Financial', exact: true }).count(),
    ).resolves.toBe(1);
    await expect(row.getByRole('cell', { name: '127.0.0.1:53682' }).count()).resolves.toBe(1);
    await shot('connected-apps');
    await row
      .getByRole('button', {
        name: 'Revoke access for Browser <i>OAuth</i> client in Globex Financial',
      })
      .click();
    await page.getByRole('status').filter({ hasText: 'Access was revoked' }).waitFor();
    await page.getByText('No apps are connected.').waitFor();

    const res = await mcpPost(t.url, toolCall('whoami'), {
      authorization: `Bearer ${provider.savedTokens!.access_token}`,
    });
    expect(res.status).toBe(401);
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow();
    await client.close().catch(() => undefined);
  });

  it('should switch organization by its label and show the set-up page with the real URL', async () => {
    await signIn('carol@acme.example', '/settings/mcp');
    const organization = page.getByLabel('Organization', { exact: true });
    expect(await organization.locator('option').allTextContents()).toEqual([
      'Acme Retail',
      'Globex Financial',
    ]);
    await organization.selectOption({ label: 'Globex Financial' });
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.getByText('Your role in Globex Financial').waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/mcp');

    const url = `${t.url}/mcp`;
    await expect(page.locator('code.mcp-url').textContent()).resolves.toBe(url);
    await page
      .getByText(`claude mcp add --transport http catalog ${url} --header "x-api-key:`)
      .waitFor();
    await expect(
      page.getByRole('row', { name: /Authorization endpoint/ }).textContent(),
    ).resolves.toContain(`${t.url}/oauth2/authorize`);
    for (const name of ['Claude Code', 'ChatGPT', 'Microsoft Copilot (Copilot Studio)', 'Cursor']) {
      await page.getByRole('heading', { name }).waitFor();
    }
    await shot('mcp');
  });

  it('should show owners the members page and members a 403 page', async () => {
    await signIn('alice@acme.example', '/settings/members');
    await page.getByRole('heading', { name: 'Members of Acme Retail' }).waitFor();
    const bob = page.getByRole('row').filter({ hasText: 'bob@acme.example' });
    await bob.getByLabel('Role of bob@acme.example').selectOption({ label: 'Admin' });
    await bob.getByRole('button', { name: 'Change role of bob@acme.example' }).click();
    await page.getByRole('status').filter({ hasText: 'The role was changed.' }).waitFor();
    await shot('members');
    await page.getByLabel('Role of bob@acme.example').selectOption({ label: 'Member' });
    await page.getByRole('button', { name: 'Change role of bob@acme.example' }).click();
    await page.getByRole('status').filter({ hasText: 'The role was changed.' }).waitFor();

    await context.clearCookies();
    await signIn('dave@acme.example', '/settings/api-keys');
    expect(await page.getByRole('link', { name: 'Members' }).count()).toBe(0);
    const res = await page.goto(`${t.url}/settings/members`);
    expect(res?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    await shot('members-forbidden');
  });
});
