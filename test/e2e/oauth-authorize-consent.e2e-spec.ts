import { systemPrincipal } from 'src/auth/principal';
import { sha256Hex } from 'src/common/crypto';
import { OrganizationsService } from 'src/users/organizations.service';
import { UsersService } from 'src/users/users.service';
import {
  alertText,
  authorizePath,
  BrowserAgent,
  hiddenFields,
  insertClient,
  openSignedIn,
  organizationOptions,
  pkcePair,
  QueryOverrides,
  redirectParams,
  submitConsent,
  TestClient,
} from 'test/factories/oauth-authorize.factory';
import {
  expectErrorPage,
  expectPageHeaders,
  pageCsp,
} from 'test/factories/oauth-authorize-assertions';
import { DEMO_PASSWORD, startTestApp, TestApp } from 'test/support/test-app';

const REDIRECT = 'http://127.0.0.1:9999/callback';

/** Both permissions in words: reading (required) and writing (offered, pre-checked). */
function expectReadAndWrite(html: string): void {
  expect(html).toContain(
    '<strong>Read the data catalog:</strong> search, fetch, contracts, your access, run queries',
  );
  expect(html).toContain(
    '<strong>Make changes:</strong> request, approve, reject or cancel access and save data contracts',
  );
  expect(html).toMatch(/<input type="checkbox" id="permission-read" checked disabled>/);
  expect(html).toMatch(
    /<input type="checkbox" id="permission-write" name="permission" value="write" checked>/,
  );
}

describe('/oauth2/authorize: organization, consent and the answer to the client (e2e)', () => {
  let t: TestApp;
  let client: TestClient;
  let orgs: { acme: string; globex: string };
  let userIds: Record<string, string>;

  const path = (overrides: QueryOverrides = {}, c: TestClient = client) =>
    authorizePath(c, t.config.mcpResource, overrides);

  const codeCount = async (): Promise<number> =>
    Number(
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM oauth_authorization_codes`))[0].n,
    );

  /** Signs `email` in on a fresh agent and returns the consent page. */
  async function consentFor(
    email: string,
    overrides: QueryOverrides = {},
    c: TestClient = client,
  ): Promise<{ agent: BrowserAgent; html: string; res: Response }> {
    const agent = new BrowserAgent(t.url);
    const reached = await openSignedIn(agent, path(overrides, c), email, DEMO_PASSWORD);
    return { agent, ...reached };
  }

  beforeAll(async () => {
    t = await startTestApp();
    client = await insertClient(t.dataSource, { redirectUris: [REDIRECT] });
    const organizations = t.app.get(OrganizationsService);
    orgs = {
      acme: (await organizations.getBySlug('acme')).id,
      globex: (await organizations.getBySlug('globex')).id,
    };
    const users = t.app.get(UsersService);
    userIds = {};
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      userIds[name] = (await users.findByEmail(`${name}@acme.example`))!.id;
    }
    await users.create(systemPrincipal('test'), {
      email: 'loner@acme.example',
      password: DEMO_PASSWORD,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('the consent page', () => {
    it('should show the client, the redirect host with a loopback warning and both permissions', async () => {
      const { res, html } = await consentFor('alice@acme.example');
      expect(res.status).toBe(200);
      expectPageHeaders(res);
      expect(res.headers.get('content-security-policy')).toBe(pageCsp('http://127.0.0.1:9999'));
      expect(html).toContain('<h1>Allow access?</h1>');
      expect(html).toContain('<strong class="client-name">Test MCP Client</strong>');
      expect(html).toContain('Unverified');
      expect(html).toContain('<strong class="host">127.0.0.1:9999</strong>');
      expect(html).toContain('This address is on your own computer');
      expect(html).toContain('Signed in as <strong>alice@acme.example</strong>');
      expectReadAndWrite(html);
      expect(html).toContain(
        '<button type="submit" name="action" value="allow" class="primary">Allow</button>',
      );
      expect(html).toContain(
        '<button type="submit" name="action" value="deny" class="secondary">Deny</button>',
      );
    });

    it('should offer only reading when only mcp:read was requested', async () => {
      const { html } = await consentFor('bob@acme.example', { scope: 'mcp:read' });
      expect(html).toContain('id="permission-read"');
      expect(html).not.toContain('id="permission-write"');
    });

    it.each([['mcp:write'], ['mcp'], ['mcp:read mcp']])(
      'should show reading and writing in words for scope=%s (the scopes it implies) and grant what was asked',
      async (scope) => {
        const { agent, html } = await consentFor('bob@acme.example', { scope, prompt: 'consent' });
        expectReadAndWrite(html);
        const res = await submitConsent(agent, html, 'allow');
        const [row] = await t.dataSource.query(
          `SELECT scope FROM oauth_authorization_codes WHERE code_hash = $1`,
          [sha256Hex(redirectParams(res.headers.get('location')).code)],
        );
        expect(row.scope).toBe(scope);
      },
    );

    it('should preselect the only organization of a one-organization person (hidden)', async () => {
      const { html } = await consentFor('alice@acme.example');
      expect(hiddenFields(html).organization).toBe(orgs.acme);
      expect(organizationOptions(html)).toEqual([]);
      expect(html).toContain('<span class="label">Organization</span> <strong>Acme');
    });

    it('should list exactly her two organizations in a labelled select for carol', async () => {
      const { html } = await consentFor('carol@acme.example');
      expect(html).toContain('<label for="organization">Organization</label>');
      expect(organizationOptions(html).sort()).toEqual([orgs.acme, orgs.globex].sort());
      expect(hiddenFields(html).organization).toBeUndefined();
    });

    it('should escape markup in client_name and show a custom-scheme warning', async () => {
      const evil = await insertClient(t.dataSource, {
        clientName: '<img src=x onerror=alert(1)>"Claude"',
        redirectUris: ['cursor://anysphere.cursor-mcp/oauth/callback'],
      });
      const { res, html } = await consentFor('alice@acme.example', {}, evil);
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;Claude&quot;');
      expect(html).toContain('<strong class="host">cursor://anysphere.cursor-mcp</strong>');
      expect(html).toContain('This opens an application installed on your computer');
      expect(res.headers.get('content-security-policy')).toContain("form-action 'self' cursor:");
    });

    it('should refuse a person without any organization with a 403 page and no code', async () => {
      const before = await codeCount();
      const { res, html } = await consentFor('loner@acme.example');
      expectErrorPage(res, html, 403, /not a member of any organization/);
      expect(await codeCount()).toBe(before);
    });

    it('should never approve on GET: reloading the consent page issues nothing', async () => {
      const { agent, html } = await consentFor('alice@acme.example', { prompt: 'consent' });
      const before = await codeCount();
      const again = await agent.get(
        `/oauth2/authorize/consent?interaction=${hiddenFields(html).interaction}`,
      );
      expect(again.status).toBe(200);
      expect(await codeCount()).toBe(before);
    });
  });

  describe('Allow', () => {
    it('should answer 303 to the redirect URI with code, state and iss, and store only the hash', async () => {
      const { challenge } = pkcePair();
      const state = 'st<"&>=?# ü';
      const { agent, html } = await consentFor('alice@acme.example', {
        state,
        code_challenge: challenge,
        prompt: 'consent',
      });
      const res = await submitConsent(agent, html, 'allow');
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location.startsWith(`${REDIRECT}?code=`)).toBe(true);
      const params = redirectParams(location);
      expect(Object.keys(params)).toEqual(['code', 'state', 'iss']);
      expect(params.state).toBe(state);
      expect(params.iss).toBe(t.config.oauth.issuer);
      expect(location).toContain(`&iss=${encodeURIComponent(t.config.oauth.issuer)}`);
      expect(params.code).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const rows = await t.dataSource.query(
        `SELECT c.*, extract(epoch FROM c.expires_at - c.created_at) AS ttl, g.scope AS grant_scope,
                g.user_id AS grant_user, g.organization_id AS grant_org, g.client_id AS grant_client
           FROM oauth_authorization_codes c JOIN oauth_grants g ON g.id = c.grant_id
          WHERE c.code_hash = $1`,
        [sha256Hex(params.code)],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        client_id: client.id,
        user_id: userIds.alice,
        organization_id: orgs.acme,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        resource: t.config.mcpResource,
        scope: 'mcp:read mcp:write',
        used_at: null,
        grant_scope: 'mcp:read mcp:write',
        grant_user: userIds.alice,
        grant_org: orgs.acme,
        grant_client: client.id,
      });
      expect(Math.round(Number(rows[0].ttl))).toBe(60);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM oauth_authorization_codes c WHERE strpos(row_to_json(c)::text, $1) > 0`,
        [params.code],
      );
      expect(n).toBe(0);
      const [interaction] = await t.dataSource.query(
        `SELECT completed_at FROM oauth_interactions WHERE id = $1`,
        [hiddenFields(html).interaction],
      );
      expect(interaction.completed_at).not.toBeNull();
    });

    it('should leave state out when none was sent and append to an existing query with &', async () => {
      const withQuery = await insertClient(t.dataSource, {
        redirectUris: ['https://client.example/cb?tenant=a%20b'],
      });
      const { agent, html } = await consentFor('bob@acme.example', { state: null }, withQuery);
      const res = await submitConsent(agent, html, 'allow');
      const location = res.headers.get('location')!;
      expect(location).toMatch(/^https:\/\/client\.example\/cb\?tenant=a%20b&code=[^&]+&iss=/);
      expect(redirectParams(location).state).toBeUndefined();
    });

    it('should grant only mcp:read when the write permission is unchecked', async () => {
      const { agent, html } = await consentFor('bob@acme.example', { prompt: 'consent' });
      const res = await submitConsent(agent, html, 'allow', { permission: undefined });
      const code = redirectParams(res.headers.get('location')).code;
      const [row] = await t.dataSource.query(
        `SELECT c.scope, g.scope AS grant_scope FROM oauth_authorization_codes c
           JOIN oauth_grants g ON g.id = c.grant_id WHERE c.code_hash = $1`,
        [sha256Hex(code)],
      );
      expect(row).toEqual({ scope: 'mcp:read', grant_scope: 'mcp:read' });
    });

    it('should issue the code for the organization carol chose', async () => {
      const { agent, html } = await consentFor('carol@acme.example');
      const res = await submitConsent(agent, html, 'allow', { organization: orgs.globex });
      const code = redirectParams(res.headers.get('location')).code;
      const [row] = await t.dataSource.query(
        `SELECT organization_id FROM oauth_authorization_codes WHERE code_hash = $1`,
        [sha256Hex(code)],
      );
      expect(row.organization_id).toBe(orgs.globex);
    });

    it.each([
      ['an organization she is not in', () => '00000000-0000-4000-8000-000000000000'],
      ['a malformed id', () => "x' OR 1=1 --"],
    ])('should answer 403 and issue nothing when carol posts %s', async (_name, org) => {
      const { agent, html } = await consentFor('carol@acme.example');
      const before = await codeCount();
      const res = await submitConsent(agent, html, 'allow', { organization: org() });
      expectErrorPage(res, await res.text(), 403, /not a member of the chosen organization/);
      expect(await codeCount()).toBe(before);
    });

    it("should answer 403 when alice posts another organization's id", async () => {
      const { agent, html } = await consentFor('alice@acme.example', { prompt: 'consent' });
      const res = await submitConsent(agent, html, 'allow', { organization: orgs.globex });
      expect(res.status).toBe(403);
    });

    it('should issue nothing for a replayed approval', async () => {
      const { agent, html } = await consentFor('dave@acme.example', { prompt: 'consent' });
      const first = await submitConsent(agent, html, 'allow');
      expect(first.status).toBe(303);
      const before = await codeCount();
      const replay = await submitConsent(agent, html, 'allow');
      expect(replay.status).toBe(400);
      expect(replay.headers.get('location')).toBeNull();
      expect(alertText(await replay.text())).toMatch(/expired or was already completed/);
      const deny = await submitConsent(agent, html, 'deny');
      expect(deny.status).toBe(400);
      expect(await codeCount()).toBe(before);
    });

    it('should issue nothing once the interaction has expired', async () => {
      const { agent, html } = await consentFor('dave@acme.example', { prompt: 'consent' });
      await t.dataSource.query(
        `UPDATE oauth_interactions SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [hiddenFields(html).interaction],
      );
      const before = await codeCount();
      const res = await submitConsent(agent, html, 'allow');
      expect(res.status).toBe(400);
      expect(await codeCount()).toBe(before);
    });

    it("should issue nothing for another browser's interaction, even with a valid CSRF token", async () => {
      const victim = await consentFor('bob@acme.example', { prompt: 'consent' });
      const attacker = await consentFor('dave@acme.example', { prompt: 'consent' });
      const before = await codeCount();
      const res = await submitConsent(attacker.agent, attacker.html, 'allow', {
        interaction: hiddenFields(victim.html).interaction,
      });
      expect(res.status).toBe(400);
      expect(await codeCount()).toBe(before);
    });

    it.each([
      ['missing', undefined],
      ['wrong', 'B'.repeat(43)],
    ])('should answer 403 and issue nothing when the CSRF token is %s', async (_name, token) => {
      const { agent, html } = await consentFor('bob@acme.example', { prompt: 'consent' });
      const before = await codeCount();
      const res = await submitConsent(agent, html, 'allow', { csrf_token: token });
      expectErrorPage(res, await res.text(), 403, /no longer valid/);
      expect(await codeCount()).toBe(before);
      // The interaction is still usable with the right token.
      expect((await submitConsent(agent, html, 'allow')).status).toBe(303);
    });

    it.each([
      ['no action', { action: undefined }],
      ['an unknown action', { action: 'approve' }],
      ['an unknown permission', { permission: 'admin' }],
      ['a repeated action', { action: ['allow', 'deny'] }],
    ])('should answer 400 to %s', async (_name, fields) => {
      const { agent, html } = await consentFor('bob@acme.example', { prompt: 'consent' });
      const res = await submitConsent(agent, html, 'allow', fields);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    });
  });

  describe('Deny', () => {
    it('should answer 303 with error=access_denied, state and iss, and issue nothing', async () => {
      const { agent, html } = await consentFor('bob@acme.example', {
        state: 'deny-state',
        prompt: 'consent',
      });
      const before = await codeCount();
      const res = await submitConsent(agent, html, 'deny');
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location.startsWith(`${REDIRECT}?error=access_denied&state=deny-state&iss=`)).toBe(
        true,
      );
      expect(redirectParams(location)).toEqual({
        error: 'access_denied',
        state: 'deny-state',
        iss: t.config.oauth.issuer,
      });
      expect(await codeCount()).toBe(before);
    });
  });
});
