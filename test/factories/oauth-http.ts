import { EntityManager } from 'typeorm';
import type { TestClient, TestCode } from 'test/factories/oauth.factory';

export type Form = Record<string, string | string[] | undefined>;

export interface OAuthResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (e.g. empty). */
  body: any;
}

export interface PostOptions {
  /** HTTP Basic credentials, url-encoded as RFC 6749 §2.3.1 requires. */
  basic?: { id: string; secret: string };
  headers?: Record<string, string>;
}

/** A form-encoded POST; an array value repeats the parameter. */
export async function postForm(
  baseUrl: string,
  path: string,
  form: Form,
  options: PostOptions = {},
): Promise<OAuthResponse> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    ...options.headers,
  };
  if (options.basic) headers.authorization = basicHeader(options.basic.id, options.basic.secret);
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: params.toString(),
  });
  return readResponse(res);
}

export async function readResponse(res: Response): Promise<OAuthResponse> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : text;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}

export const basicHeader = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;

const formEncode = (v: string): string => encodeURIComponent(v).replace(/%20/g, '+');

/** The form fields and Basic credentials the client's registered method calls for. */
export function authenticateAs(client: TestClient, form: Form): [Form, PostOptions] {
  switch (client.method) {
    case 'none':
      return [{ client_id: client.clientId, ...form }, {}];
    case 'client_secret_post':
      return [{ client_id: client.clientId, client_secret: client.secret, ...form }, {}];
    case 'client_secret_basic':
      return [form, { basic: { id: client.clientId, secret: client.secret ?? '' } }];
  }
}

export function tokenRequest(
  baseUrl: string,
  client: TestClient,
  form: Form,
  path = '/oauth2/token',
): Promise<OAuthResponse> {
  const [body, options] = authenticateAs(client, form);
  return postForm(baseUrl, path, body, options);
}

export function exchangeCode(
  baseUrl: string,
  client: TestClient,
  code: TestCode,
  overrides: Form = {},
): Promise<OAuthResponse> {
  return tokenRequest(baseUrl, client, {
    grant_type: 'authorization_code',
    code: code.code,
    code_verifier: code.verifier,
    redirect_uri: code.redirectUri,
    resource: code.resource,
    ...overrides,
  });
}

export function refresh(
  baseUrl: string,
  client: TestClient,
  refreshToken: string,
  overrides: Form = {},
): Promise<OAuthResponse> {
  return tokenRequest(baseUrl, client, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...overrides,
  });
}

export function revoke(
  baseUrl: string,
  client: TestClient,
  form: Form,
  path = '/oauth2/revoke',
): Promise<OAuthResponse> {
  const [body, options] = authenticateAs(client, form);
  return postForm(baseUrl, path, body, options);
}

export function expectNoStore(res: OAuthResponse): void {
  expect(res.headers.get('cache-control')).toBe('no-store');
}

/** An RFC 6749 §5.2 error: status, `error`, a description, and `no-store`. */
export function expectOAuthError(res: OAuthResponse, status: number, error: string): void {
  expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
  expect(typeof res.body.error_description).toBe('string');
  expectNoStore(res);
}

/** What {@link intercept} does to a statement: fail it, or run something after it returned. */
export type QueryStep = 'fail' | { after: () => Promise<unknown> };

/**
 * Intercepts the `EntityManager.query` calls whose SQL contains one of the fragments, each once:
 * fails it like a dropped connection (inside a transaction, after the statements before it ran), or
 * runs something once it returned (what another request could do at that moment). Restores itself
 * when every fragment was seen; restore earlier with `mockRestore`.
 */
export function intercept(steps: Record<string, QueryStep>): jest.SpyInstance {
  const pending = new Map(Object.entries(steps));
  const original = EntityManager.prototype.query;
  const spy = jest.spyOn(EntityManager.prototype, 'query').mockImplementation(async function (
    this: EntityManager,
    sql: string,
    params?: any,
  ) {
    // A prepared statement (src/database/prepared.ts) arrives as { name, text }.
    const text = typeof sql === 'string' ? sql : (sql as { text: string }).text;
    const fragment = [...pending.keys()].find((f) => text.includes(f));
    const step = fragment === undefined ? undefined : pending.get(fragment);
    if (fragment === undefined || step === undefined) return original.call(this, sql, params);
    pending.delete(fragment);
    if (pending.size === 0) spy.mockRestore();
    if (step === 'fail') {
      throw Object.assign(new Error('Connection terminated unexpectedly'), {
        code: 'ECONNRESET',
      });
    }
    const result = await original.call(this, sql, params);
    await step.after();
    return result;
  });
  return spy;
}

/** Makes the first statement whose SQL contains `sqlFragment` fail (see {@link intercept}). */
export function failOnce(sqlFragment: string): jest.SpyInstance {
  return intercept({ [sqlFragment]: 'fail' });
}
