import { randomUUID } from 'node:crypto';
import type { TokenEndpointAuthMethod } from 'src/oauth/entities';
import {
  BrowserAgent,
  page,
  pkcePair,
  redirectParams,
  submitConsent,
  submitSignIn,
} from 'test/factories/oauth-authorize.factory';
import { exchangeCode, OAuthResponse, readResponse } from 'test/factories/oauth-http';
import type { TestClient, TestCode } from 'test/factories/oauth.factory';

export const FLOW_REDIRECT_URI = 'http://127.0.0.1:53682/callback';

/** `POST /register` (RFC 7591) on `baseUrl`, as an SDK client sends it. */
export async function registerClient(
  baseUrl: string,
  method: TokenEndpointAuthMethod = 'none',
  headers: Record<string, string> = {},
): Promise<TestClient> {
  const res = await readResponse(
    await fetch(`${baseUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        client_name: `Fault test client (${method})`,
        redirect_uris: [FLOW_REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: method,
        scope: 'mcp:read mcp:write',
      }),
    }),
  );
  if (res.status !== 201)
    throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  return {
    id: '',
    clientId: res.body.client_id,
    method,
    secret: res.body.client_secret,
    redirectUris: res.body.redirect_uris,
  };
}

export interface Person {
  email: string;
  password: string;
}

/**
 * The authorization endpoint through its HTML forms, like a browser without JavaScript: opens
 * `/oauth2/authorize` on `baseUrl`, signs in when asked (the agent keeps its session cookie across
 * calls), allows on the consent page when shown, and returns the code from the 303 to the client.
 * `resource` is the MCP URL of the deployment (PUBLIC_URL + /mcp), whichever instance serves the page;
 * `headers` go with the authorization request (e.g. `x-forwarded-for` for a rate-limit subject).
 */
export async function authorizeCode(
  agent: BrowserAgent,
  client: TestClient,
  person: Person,
  resource: string,
  headers: Record<string, string> = {},
): Promise<TestCode & { state: string }> {
  const { verifier, challenge } = pkcePair();
  const state = `state-${randomUUID()}`;
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0],
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    scope: 'mcp:read mcp:write',
    resource,
  });
  let current = await page(await agent.get(`/oauth2/authorize?${q.toString()}`, headers));
  if (current.res.status === 200 && current.html.includes('name="password"')) {
    const login = await submitSignIn(agent, current.html, person.email, person.password);
    if (login.status !== 303) throw new Error(`sign-in answered ${login.status}`);
    current = await page(await agent.get(login.headers.get('location')!));
  }
  let location: string | null;
  if (current.res.status === 303) {
    location = current.res.headers.get('location'); // remembered consent
  } else if (current.res.status === 200 && current.html.includes('name="action"')) {
    const decided = await submitConsent(agent, current.html, 'allow');
    if (decided.status !== 303) throw new Error(`consent answered ${decided.status}`);
    location = decided.headers.get('location');
  } else {
    throw new Error(`authorize answered ${current.res.status}: ${current.html.slice(0, 500)}`);
  }
  const params = redirectParams(location);
  if (!params.code || params.state !== state) {
    throw new Error(`no code in the redirect: ${location}`);
  }
  return {
    code: params.code,
    verifier,
    grantId: '',
    redirectUri: client.redirectUris[0],
    resource,
    scope: 'mcp:read mcp:write',
    state,
  };
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
}

/** Exchanges `code` at `baseUrl` and insists on 200. */
export async function tokensFor(
  baseUrl: string,
  client: TestClient,
  code: TestCode,
): Promise<Tokens> {
  const res: OAuthResponse = await exchangeCode(baseUrl, client, code);
  if (res.status !== 200)
    throw new Error(`token answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Tokens;
}

/** The `grant_id` claim of one of our access tokens (not verified: for test bookkeeping only). */
export function grantIdOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
  return payload.grant_id as string;
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

/** 503 `temporarily_unavailable`: what the OAuth endpoints answer when they cannot decide. */
export function expectTemporarilyUnavailable(res: OAuthResponse): void {
  expect({ status: res.status, error: res.body?.error }).toEqual({
    status: 503,
    error: 'temporarily_unavailable',
  });
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(res.headers.get('cache-control')).toBe('no-store');
}
