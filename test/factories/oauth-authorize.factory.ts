import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { randomToken, sha256Base64Url } from 'src/common/crypto';

/** An `oauth_clients` row inserted directly (the tests do not depend on /register). */
export interface TestClient {
  id: string;
  clientId: string;
  clientName: string;
  redirectUris: string[];
}

export async function insertClient(
  dataSource: DataSource,
  options: {
    clientName?: string;
    redirectUris?: string[];
    kind?: 'dynamic' | 'metadata_document';
    clientId?: string;
  } = {},
): Promise<TestClient> {
  const clientId = options.clientId ?? `test-client-${randomUUID()}`;
  const clientName = options.clientName ?? 'Test MCP Client';
  const redirectUris = options.redirectUris ?? ['http://127.0.0.1:9999/callback'];
  const [row] = await dataSource.query<Array<{ id: string }>>(
    `INSERT INTO oauth_clients
       (client_id, kind, client_name, redirect_uris, token_endpoint_auth_method, grant_types,
        response_types, scope)
     VALUES ($1, $2, $3, $4::jsonb, 'none', '["authorization_code","refresh_token"]'::jsonb,
             '["code"]'::jsonb, 'mcp:read mcp:write')
     RETURNING id`,
    [clientId, options.kind ?? 'dynamic', clientName, JSON.stringify(redirectUris)],
  );
  return { id: row.id, clientId, clientName, redirectUris };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken(48);
  return { verifier, challenge: sha256Base64Url(verifier) };
}

export type QueryOverrides = Record<string, string | string[] | null>;

/**
 * `/oauth2/authorize?…` for `client` with every required parameter; an override of null removes a
 * parameter, an array repeats it.
 */
export function authorizePath(
  client: TestClient,
  mcpResource: string,
  overrides: QueryOverrides = {},
  path = '/oauth2/authorize',
): string {
  const params: QueryOverrides = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0],
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: `state-${randomUUID()}`,
    scope: 'mcp:read mcp:write',
    resource: mcpResource,
    ...overrides,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  return `${path}?${q.toString()}`;
}

/** A browser without JavaScript: keeps cookies, never follows redirects. */
export class BrowserAgent {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(
      await fetch(this.url(path), {
        redirect: 'manual',
        headers: { ...this.cookieHeader(), ...headers },
      }),
    );
  }

  async post(path: string, form: Record<string, string | string[] | undefined>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    return this.keep(
      await fetch(this.url(path), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader() },
        body: body.toString(),
      }),
    );
  }

  private url(path: string): string {
    return path.startsWith('http') ? path : `${this.baseUrl}${path}`;
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** name → value of every `<input type="hidden">` (the form's CSRF token, interaction, …). */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    out[decodeEntities(m[1])] = decodeEntities(m[2]);
  }
  return out;
}

/** The text of the page's `role="alert"` element, if any. */
export function alertText(html: string): string | null {
  const m = /<p class="alert" role="alert">([^<]*)<\/p>/.exec(html);
  return m ? decodeEntities(m[1]) : null;
}

/** The `<option>` values of the organization `<select>`. */
export function organizationOptions(html: string): string[] {
  const select = /<select id="organization" name="organization">([\s\S]*?)<\/select>/.exec(html);
  return select ? [...select[1].matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]) : [];
}

/** The query parameters of a redirect to the client. */
export function redirectParams(location: string | null): Record<string, string> {
  if (!location) throw new Error('no Location header');
  return Object.fromEntries(new URL(location).searchParams);
}

export interface Page {
  res: Response;
  html: string;
}

export async function page(res: Response): Promise<Page> {
  return { res, html: await res.text() };
}

/** Posts the sign-in form found in `signInHtml`. */
export function submitSignIn(
  agent: BrowserAgent,
  signInHtml: string,
  email: string,
  password: string,
): Promise<Response> {
  return agent.post('/oauth2/authorize/login', { ...hiddenFields(signInHtml), email, password });
}

/**
 * Opens `path` (an authorize URL) and, when the sign-in page comes, signs in and follows the 303.
 * Returns the page (or redirect) the flow reaches after sign-in.
 */
export async function openSignedIn(
  agent: BrowserAgent,
  path: string,
  email: string,
  password: string,
  /** Maps a public path to the app's (a proxy stripping PUBLIC_URL's base path). */
  toAppPath: (publicPath: string) => string = (p) => p,
): Promise<Page> {
  const first = await page(await agent.get(path));
  if (!first.html.includes('name="password"')) return first;
  const login = await submitSignIn(agent, first.html, email, password);
  if (login.status !== 303) throw new Error(`sign-in failed with ${login.status}`);
  return page(await agent.get(toAppPath(login.headers.get('location')!)));
}

/** Posts the consent form found in `consentHtml` with `action` and optional overrides. */
export function submitConsent(
  agent: BrowserAgent,
  consentHtml: string,
  action: 'allow' | 'deny',
  fields: Record<string, string | string[] | undefined> = {},
): Promise<Response> {
  // Like a browser: the first option of the organization <select> is sent unless changed.
  const [firstOption] = organizationOptions(consentHtml);
  return agent.post('/oauth2/authorize/consent', {
    ...hiddenFields(consentHtml),
    ...(firstOption !== undefined ? { organization: firstOption } : {}),
    ...(consentHtml.includes('id="permission-write"') ? { permission: 'write' } : {}),
    action,
    ...fields,
  });
}
