import { Browser, BrowserContext, Page } from 'playwright-core';
import { authorizePath, insertClient } from 'test/factories/oauth-authorize.factory';
import { launchChromium, watchProblems } from 'test/browser/support/chromium';
import { connectWithOAuth } from 'test/support/settings-client';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

const PHONE = { width: 390, height: 844 };

/** Every page at a phone's width (390 × 844): no horizontal scrolling; copy buttons copy. */
describe('pages at phone width in Chromium (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const width = () => page.evaluate<number>('document.documentElement.scrollWidth');

  async function fits(path: string): Promise<void> {
    await page.goto(`${t.url}${path}`);
    await narrow(path);
  }

  /** No horizontal scrolling: the document is no wider than the phone. */
  async function narrow(what: string): Promise<void> {
    expect({ what, width: Math.max(await width(), PHONE.width) }).toEqual({
      what,
      width: PHONE.width,
    });
  }

  async function signIn(email: string): Promise<void> {
    await page.goto(`${t.url}/settings/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).waitFor();
  }

  /** Clicks every copy button and checks the clipboard holds the text the button sits after. */
  async function copiesEverySnippet(min: number): Promise<void> {
    const buttons = page.locator('button.copy');
    const count = await buttons.count();
    expect(count).toBeGreaterThanOrEqual(min);
    for (let i = 0; i < count; i++) {
      const button = buttons.nth(i);
      const expected = await button.evaluate((b: any) => b.previousElementSibling.textContent);
      await button.click();
      await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(expected);
    }
  }

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ AUTH_CACHE_TTL_MS: '0' }), launchChromium()]);
    const { client } = await connectWithOAuth(t.url, {
      email: 'alice@acme.example',
      password: DEMO_PASSWORD,
      clientName: 'Newcomer Test App with a rather long name Supercalifragilisticexpialidocious',
    });
    await client.close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: PHONE });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    page = await context.newPage();
    problems = watchProblems(page);
  });
  afterEach(async () => {
    await context.close();
    expect(problems).toEqual([]);
  });

  it('should fit the signed-out pages: sign-in, 404, OAuth sign-in, consent', async () => {
    await fits('/settings/sign-in');
    await fits('/settings/no-such-page');
    const client = await insertClient(t.dataSource, {
      clientName: 'Newcomer Test App Supercalifragilisticexpialidociousandevenlongerthanthat',
    });
    await fits(authorizePath(client, t.config.mcpResource));
    await page.getByLabel('Email').fill('carol@acme.example');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    await narrow(page.url());
    const name = page.locator('.client-name').first();
    // The name breaks between words: its first line starts with the whole first word.
    const lines = await name.evaluate((el: any) => el.getClientRects().length);
    expect(lines).toBeGreaterThan(1);
    await expect(name.evaluate((el: any) => el.offsetWidth)).resolves.toBeGreaterThan(100);
  });

  it('should fit every settings page signed in and copy the key and the command', async () => {
    await signIn('alice@acme.example');
    for (const path of [
      '/settings/api-keys',
      '/settings/connected-apps',
      '/settings/members',
      '/settings/mcp',
      '/settings/no-such-page',
    ]) {
      await fits(path);
    }
    await page.goto(`${t.url}/settings/mcp`);
    await copiesEverySnippet(8);

    await page.goto(`${t.url}/settings/api-keys`);
    await page.getByLabel('Name').fill('A phone key with a long name that must wrap between words');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'API key created' }).waitFor();
    await narrow(page.url());
    const key = await page.getByLabel('Your new API key').inputValue();
    await page.getByRole('button', { name: 'Copy to clipboard' }).click();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(key);
    await copiesEverySnippet(1);
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toContain(
      `--header "x-api-key: ${key}"`,
    );

    await fits('/settings/api-keys');
    const revoke = page.getByRole('link', { name: /^Revoke A phone key/ }).first();
    await page.goto(`${t.url}${await revoke.getAttribute('href')}`);
    await narrow(page.url());
    await page.goto(`${t.url}/settings/connected-apps`);
    await page.locator('.client-name', { hasText: 'Newcomer Test App' }).waitFor();
    await narrow(page.url());
  });
});
