import { systemPrincipal } from 'src/auth/principal';
import { sha256Hex } from 'src/common/crypto';
import { UsersService } from 'src/users/users.service';
import {
  alertText,
  authorizePath,
  BrowserAgent,
  hiddenFields,
  insertClient,
  openSignedIn,
  page,
  submitSignIn,
  TestClient,
} from 'test/factories/oauth-authorize.factory';
import { expectErrorPage, expectPageHeaders } from 'test/factories/oauth-authorize-assertions';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

describe('POST /oauth2/authorize/login: the sign-in step (e2e)', () => {
  let t: TestApp;
  let client: TestClient;

  const path = () => authorizePath(client, t.config.mcpResource);

  beforeAll(async () => {
    t = await startTestApp();
    client = await insertClient(t.dataSource);
    const users = t.app.get(UsersService);
    const sys = systemPrincipal('test');
    await users.create(sys, { email: 'disabled@acme.example', password: DEMO_PASSWORD });
    await users.disable(sys, 'disabled@acme.example');
  });
  afterAll(async () => {
    await t.close();
  });

  async function signInPage(agent: BrowserAgent): Promise<string> {
    return (await page(await agent.get(path()))).html;
  }

  it('should give a wrong password, an unknown email and a disabled account the same answer', async () => {
    const answers: Array<{ status: number; alert: string | null }> = [];
    for (const [email, password] of [
      ['bob@acme.example', 'wrong-password'],
      ['nobody@acme.example', DEMO_PASSWORD],
      ['disabled@acme.example', DEMO_PASSWORD],
    ]) {
      const agent = new BrowserAgent(t.url);
      const { res, html } = await page(
        await submitSignIn(agent, await signInPage(agent), email, password),
      );
      expectPageHeaders(res);
      expect(res.headers.get('location')).toBeNull();
      expect(html).toContain('<h1>Sign in</h1>');
      answers.push({ status: res.status, alert: alertText(html) });
    }
    expect(answers[0]).toEqual({
      status: 401,
      alert: 'The email address or password is incorrect.',
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('should escape the email it shows again', async () => {
    const agent = new BrowserAgent(t.url);
    const { html } = await page(
      await submitSignIn(agent, await signInPage(agent), '"><img src=x>@x.example', 'nope'),
    );
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('value="&quot;&gt;&lt;img src=x&gt;@x.example"');
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'A'.repeat(43)],
    ['sent twice', ['x', 'y']],
  ])('should answer 403 when the CSRF token is %s, and not sign in', async (_name, token) => {
    const agent = new BrowserAgent(t.url);
    const fields = hiddenFields(await signInPage(agent));
    const before = agent.cookies.get('session');
    const res = await agent.post('/oauth2/authorize/login', {
      ...fields,
      csrf_token: token,
      email: 'alice@acme.example',
      password: DEMO_PASSWORD,
    });
    const html = await res.text();
    if (Array.isArray(token)) expectErrorPage(res, html, 400, /more than once/);
    else expectErrorPage(res, html, 403, /no longer valid/);
    expect(agent.cookies.get('session')).toBe(before);
    const [row] = await t.dataSource.query(
      `SELECT user_id FROM auth_sessions WHERE session_hash = $1`,
      [sha256Hex(before!)],
    );
    expect(row.user_id).toBeNull();
  });

  it('should answer 403 to a sign-in without any session cookie', async () => {
    const agent = new BrowserAgent(t.url);
    const fields = hiddenFields(await signInPage(agent));
    agent.cookies.clear();
    const res = await agent.post('/oauth2/authorize/login', {
      ...fields,
      email: 'alice@acme.example',
      password: DEMO_PASSWORD,
    });
    expectErrorPage(res, await res.text(), 403, /no longer valid/);
  });

  it('should rotate the session cookie and CSRF token on sign-in, killing the old cookie', async () => {
    const agent = new BrowserAgent(t.url);
    const signIn = await signInPage(agent);
    const before = agent.cookies.get('session')!;
    const res = await submitSignIn(agent, signIn, 'alice@acme.example', DEMO_PASSWORD);
    expect(res.status).toBe(303);
    const interaction = hiddenFields(signIn).interaction;
    expect(res.headers.get('location')).toBe(
      `/oauth2/authorize/consent?interaction=${interaction}`,
    );
    const after = agent.cookies.get('session')!;
    expect(after).not.toBe(before);
    expect(res.headers.getSetCookie()[0]).toMatch(
      /; HttpOnly; SameSite=Lax$|; HttpOnly.*SameSite=Lax/,
    );

    const consent = await page(await agent.get(res.headers.get('location')!));
    expect(consent.res.status).toBe(200);
    expect(hiddenFields(consent.html).csrf_token).not.toBe(hiddenFields(signIn).csrf_token);

    // Someone holding the pre-sign-in cookie (session fixation) is not signed in.
    const fixated = new BrowserAgent(t.url);
    fixated.cookies.set('session', before);
    const stale = await fixated.get(res.headers.get('location')!);
    expectErrorPage(stale, await stale.text(), 400, /expired or was already completed/);
  });

  it('should answer a NUL character in the email with a 400 page, not a 500', async () => {
    const agent = new BrowserAgent(t.url);
    const res = await submitSignIn(agent, await signInPage(agent), 'a\u0000@x.example', 'pw');
    expectErrorPage(res, await res.text(), 400, /"email" contains a NUL character/);
  });

  it('should ask for both fields with a 400 when one is empty', async () => {
    const agent = new BrowserAgent(t.url);
    const { res, html } = await page(
      await submitSignIn(agent, await signInPage(agent), 'alice@acme.example', ''),
    );
    expect(res.status).toBe(400);
    expect(alertText(html)).toMatch(/Enter your email address and password/);
  });

  it('should answer 400 to a sign-in for an unknown or foreign interaction', async () => {
    const agent = new BrowserAgent(t.url);
    const fields = hiddenFields(await signInPage(agent));
    const other = new BrowserAgent(t.url);
    const otherInteraction = hiddenFields(await signInPage(other)).interaction;
    for (const interaction of [
      otherInteraction,
      'not-a-uuid',
      '00000000-0000-0000-0000-000000000000',
    ]) {
      const res = await agent.post('/oauth2/authorize/login', {
        ...fields,
        interaction,
        email: 'alice@acme.example',
        password: DEMO_PASSWORD,
      });
      expectErrorPage(res, await res.text(), 400, /expired or was already completed/);
    }
  });

  it('should go straight to the consent step when the session is already signed in', async () => {
    const agent = new BrowserAgent(t.url);
    await openSignedIn(agent, path(), 'carol@acme.example', DEMO_PASSWORD);
    const { res, html } = await page(await agent.get(path()));
    expect(res.status).toBe(200);
    expect(html).toContain('<h1>Allow access?</h1>');
  });

  it('should throttle after five failures for one account and IP with 429 and Retry-After', async () => {
    const agent = new BrowserAgent(t.url);
    const html = await signInPage(agent);
    for (let i = 0; i < 5; i++) {
      const res = await submitSignIn(agent, html, 'dave@acme.example', `wrong-${i}`);
      expect(res.status).toBe(401);
    }
    const { res, html: locked } = await page(
      await submitSignIn(agent, html, 'dave@acme.example', DEMO_PASSWORD),
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(alertText(locked)).toMatch(/Too many failed sign-in attempts/);
    expectPageHeaders(res);
    // Another account from the same IP is not locked out.
    const ok = await submitSignIn(agent, html, 'bob@acme.example', DEMO_PASSWORD);
    expect(ok.status).toBe(303);
  });
});
