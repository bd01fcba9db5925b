import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, parseForm } from '../test/support/oauth-browserless';

/**
 * The OAuth side of the bench, over plain HTTP like a client without a browser: dynamic registration
 * (`POST /register`), the authorization endpoint's sign-in and consent forms (read with the form
 * parser and cookie jar of test/support/oauth-browserless.ts, one browser session kept across
 * clients, so the user signs in once), and the token endpoint (`POST /oauth2/token`, form-encoded,
 * PKCE S256).
 */

export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string;
}

const FORM = 'application/x-www-form-urlencoded';

export const refreshBody = (clientId: string, refreshToken: string): string =>
  new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
  }).toString();

/** Reads a token response; throws with the server's answer when it is not a token pair. */
export function parseTokenResponse(status: number, text: string): TokenPair {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  if (
    status !== 200 ||
    typeof body.access_token !== 'string' ||
    typeof body.refresh_token !== 'string'
  ) {
    throw new Error(`token endpoint answered ${status}: ${text.slice(0, 300)}`);
  }
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn: Number(body.expires_in),
    scope: typeof body.scope === 'string' ? body.scope : '',
  };
}

export class BenchOAuth {
  private readonly jar = new CookieJar();

  /** `base`: the server's origin, e.g. http://127.0.0.1:4000. */
  constructor(
    private readonly base: string,
    private readonly user: { email: string; password: string },
  ) {}

  get tokenUrl(): string {
    return `${this.base}/oauth2/token`;
  }

  /** Registration, authorization (forms) and code exchange for a new public client. */
  async connect(clientName: string): Promise<{ clientId: string; tokens: TokenPair }> {
    const clientId = await this.register(clientName);
    const { code, verifier } = await this.authorize(clientId);
    const tokens = await this.exchange(clientId, code, verifier);
    return { clientId, tokens };
  }

  async register(clientName: string): Promise<string> {
    const res = await fetch(`${this.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: clientName,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST /register answered ${res.status}: ${text}`);
    return String((JSON.parse(text) as { client_id: string }).client_id);
  }

  /** The authorization endpoint through its forms: sign-in (once per bench), consent (write). */
  async authorize(clientId: string): Promise<{ code: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(12).toString('base64url');
    const url = new URL(`${this.base}/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state,
      resource: `${this.base}/mcp`,
    }).toString();
    let page = await this.follow(await this.request(url.toString()));
    for (let step = 0; step < 4 && !(page instanceof URL); step++) {
      if (page.status !== 200) {
        throw new Error(`authorize answered ${page.status}: ${(await page.text()).slice(0, 500)}`);
      }
      const html = await page.text();
      page = await this.follow(
        /name="password"/.test(html) ? await this.signIn(html) : await this.consent(html),
      );
    }
    if (!(page instanceof URL)) throw new Error('the authorization forms did not end');
    const code = page.searchParams.get('code');
    if (!code || page.searchParams.get('state') !== state) {
      throw new Error(`authorization ended without a code: ${page.toString().slice(0, 300)}`);
    }
    return { code, verifier };
  }

  async exchange(clientId: string, code: string, verifier: string): Promise<TokenPair> {
    const res = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
        resource: `${this.base}/mcp`,
      }).toString(),
    });
    return parseTokenResponse(res.status, await res.text());
  }

  async refresh(clientId: string, refreshToken: string): Promise<TokenPair> {
    const res = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: refreshBody(clientId, refreshToken),
    });
    return parseTokenResponse(res.status, await res.text());
  }

  private signIn(html: string): Promise<Response> {
    const form = parseForm(html);
    return this.post(form.action, {
      ...form.fields,
      email: this.user.email,
      password: this.user.password,
    });
  }

  private consent(html: string): Promise<Response> {
    const form = parseForm(html);
    const body = new URLSearchParams(form.fields);
    if (form.selectOptions[0]) body.set('organization', form.selectOptions[0].value);
    if (/name="permission" value="write"/.test(html)) body.append('permission', 'write');
    body.set('action', 'allow');
    return this.post(form.action, body);
  }

  private post(action: string, body: Record<string, string> | URLSearchParams): Promise<Response> {
    return this.request(new URL(action, this.base).toString(), {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams(body).toString(),
    });
  }

  private async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.jar.header() },
    });
    this.jar.store(res);
    return res;
  }

  /** Follows the pages' own redirects; stops at a redirect elsewhere (the client's) or a page. */
  private async follow(res: Response): Promise<Response | URL> {
    let current = res;
    for (let i = 0; i < 5 && current.status >= 300 && current.status < 400; i++) {
      const location = new URL(current.headers.get('location') ?? '', this.base);
      if (location.origin !== new URL(this.base).origin) return location;
      await current.body?.cancel();
      current = await this.request(location.toString());
    }
    return current;
  }
}

/** Runs `task` for 0..n-1 with at most `concurrency` at a time; results in index order. */
export async function inParallel<T>(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) out[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}
