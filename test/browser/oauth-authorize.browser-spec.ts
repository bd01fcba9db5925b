import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { sha256Hex } from 'src/common/crypto';
import {
  authorizePath,
  insertClient,
  pkcePair,
  TestClient,
} from 'test/factories/oauth-authorize.factory';
import {
  CallbackServer,
  launchChromium,
  startCallbackServer,
  watchProblems,
} from 'test/browser/support/chromium';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-results');

describe('authorization pages in Chromium (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let callback: CallbackServer;
  let client: TestClient;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const open = async (overrides: Record<string, string | null> = {}) =>
    page.goto(`${t.url}${authorizePath(client, t.config.mcpResource, overrides)}`);

  async function signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Waits until the browser has landed on the client's redirect URI; returns its parameters. */
  async function landedOnClient(): Promise<Record<string, string>> {
    await page.waitForURL((url) => url.href.startsWith(callback.redirectUri));
    await page.getByRole('heading', { name: 'Authorization received' }).waitFor();
    return Object.fromEntries(new URL(page.url()).searchParams);
  }

  const codeRow = async (code: string) =>
    (
      await t.dataSource.query(
        `SELECT scope, organization_id, redirect_uri FROM oauth_authorization_codes WHERE code_hash = $1`,
        [sha256Hex(code)],
      )
    )[0];

  beforeAll(async () => {
    [t, browser, callback] = await Promise.all([
      startTestApp(),
      launchChromium(),
      startCallbackServer(),
    ]);
    client = await insertClient(t.dataSource, {
      clientName: 'Browser <b>Test</b> Client',
      redirectUris: [callback.redirectUri],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await callback?.close();
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

  it('should show the sign-in page and the same message for a wrong password', async () => {
    const response = await open();
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('Sign in · Data Product Catalog');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByText('Browser <b>Test</b> Client').count()).toBe(1);

    const login = page.waitForResponse((r) => r.url().endsWith('/oauth2/authorize/login'));
    await signIn('bob@acme.example', 'not-the-password');
    expect((await login).status()).toBe(401);
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'The email address or password is incorrect.',
    );
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('bob@acme.example');
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
  });

  it('should let carol choose an organization by its label and land on the client with code, state and iss', async () => {
    const { challenge } = pkcePair();
    await open({ state: 'carol-state', code_challenge: challenge });
    await signIn('carol@acme.example');
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();

    const organization = page.getByLabel('Organization');
    const options = await organization.locator('option').allTextContents();
    expect(options.sort()).toEqual(['Acme Retail', 'Globex Financial']);
    await organization.selectOption({ label: 'Globex Financial' });
    await expect(
      page.getByRole('checkbox', { name: /Read the data catalog/ }).isChecked(),
    ).resolves.toBe(true);
    await expect(
      page.getByRole('checkbox', { name: /Read the data catalog/ }).isDisabled(),
    ).resolves.toBe(true);
    await expect(page.getByRole('checkbox', { name: /Make changes/ }).isChecked()).resolves.toBe(
      true,
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: resolve(SCREENSHOTS, 'consent-page.png'), fullPage: true });

    await page.getByRole('button', { name: 'Allow' }).click();
    const params = await landedOnClient();
    expect(Object.keys(params)).toEqual(['code', 'state', 'iss']);
    expect(params.state).toBe('carol-state');
    expect(params.iss).toBe(t.config.oauth.issuer);
    const row = await codeRow(params.code);
    expect(row.scope).toBe('mcp:read mcp:write');
    expect(row.redirect_uri).toBe(callback.redirectUri);
    const [globex] = await t.dataSource.query(`SELECT id FROM organizations WHERE slug = 'globex'`);
    expect(row.organization_id).toBe(globex.id);
  });

  it('should grant only reading when "Make changes" is unchecked', async () => {
    await open({ prompt: 'consent' });
    await signIn('alice@acme.example');
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(await page.getByText('Acme Retail').count()).toBe(1);
    await page.getByRole('checkbox', { name: /Make changes/ }).uncheck();
    await page.getByRole('button', { name: 'Allow' }).click();
    const params = await landedOnClient();
    expect((await codeRow(params.code)).scope).toBe('mcp:read');
  });

  it('should send Deny back to the client as access_denied with state and iss', async () => {
    await open({ state: 'deny-me' });
    await signIn('bob@acme.example');
    await page.getByRole('button', { name: 'Deny' }).click();
    const params = await landedOnClient();
    expect(params).toEqual({
      error: 'access_denied',
      state: 'deny-me',
      iss: t.config.oauth.issuer,
    });
  });

  it('should sign in with the keyboard alone and skip consent a grant already covers', async () => {
    // dave approves once…
    await open({ state: 'first' });
    await signIn('dave@acme.example');
    await page.getByRole('button', { name: 'Allow' }).click();
    await landedOnClient();
    // …then, in a fresh browser, signs in by keyboard and goes straight back to the client: the
    // sign-in form's submission ends with a redirect to the client, which the CSP must allow.
    await context.close();
    context = await browser.newContext();
    page = await context.newPage();
    problems = watchProblems(page);
    await open({ state: 'second' });
    await page.getByLabel('Email').focus();
    await page.keyboard.type('dave@acme.example');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    const params = await landedOnClient();
    expect(params.state).toBe('second');
    expect(params.code).toBeDefined();
  });

  it('should show a 400 error page for a bad request and stay on this server', async () => {
    const before = callback.hits.length;
    const response = await open({ code_challenge_method: 'plain' });
    expect(response?.status()).toBe(400);
    expect(new URL(page.url()).origin).toBe(t.url);
    await page.getByRole('heading', { name: 'Invalid authorization request' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/only S256/);
    expect(callback.hits.length).toBe(before);
  });
});
