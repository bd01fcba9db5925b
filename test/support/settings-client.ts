import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { authorizeWithForms } from 'test/support/oauth-browserless';
import { TestOAuthProvider } from 'test/support/oauth-provider';
import { DEMO_PASSWORD } from 'test/support/test-app';

/**
 * A browser without JavaScript for the settings pages: keeps the session cookie, never follows
 * redirects, sends our `Origin` on every POST (as browsers do) unless told otherwise, and reads
 * forms (hidden fields by form action) out of the pages.
 */
export interface PageResult {
  res: Response;
  status: number;
  html: string;
  location: string | null;
}

export interface PostOptions {
  /** `Origin` header: ours by default; null leaves it out. */
  origin?: string | null;
  headers?: Record<string, string>;
}

const decode = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export class SettingsClient {
  readonly cookies = new Map<string, string>();
  readonly origin: string;

  constructor(readonly baseUrl: string) {
    this.origin = new URL(baseUrl).origin;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<PageResult> {
    return this.read(
      await fetch(this.url(path), {
        redirect: 'manual',
        headers: { ...this.cookie(), ...headers },
      }),
    );
  }

  async post(
    path: string,
    form: Record<string, string | string[] | undefined>,
    options: PostOptions = {},
  ): Promise<PageResult> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    const origin = options.origin === undefined ? this.origin : options.origin;
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin === null ? {} : { origin }),
      ...this.cookie(),
      ...options.headers,
    };
    return this.read(
      await fetch(this.url(path), {
        method: 'POST',
        redirect: 'manual',
        headers,
        body: body.toString(),
      }),
    );
  }

  /** Posts the form with this action found on `html`, with its hidden fields plus `fields`. */
  submit(
    html: string,
    action: string,
    fields: Record<string, string | string[] | undefined> = {},
    options: PostOptions = {},
  ): Promise<PageResult> {
    return this.post(action, { ...formFields(html, action), ...fields }, options);
  }

  /** Signs in through the sign-in page; returns the 303 (or the page when refused). */
  async signIn(email: string, password = DEMO_PASSWORD, returnTo?: string): Promise<PageResult> {
    const query = returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : '';
    const page = await this.get(`/settings/sign-in${query}`);
    if (page.status !== 200) throw new Error(`sign-in page answered ${page.status}`);
    return this.submit(page.html, '/settings/sign-in', { email, password });
  }

  /** GET that must succeed: the page's HTML. */
  async html(path: string): Promise<string> {
    const page = await this.get(path);
    if (page.status !== 200) throw new Error(`${path} answered ${page.status}: ${page.html}`);
    return page.html;
  }

  private url(path: string): string {
    return path.startsWith('http') ? path : `${this.baseUrl}${path}`;
  }

  private cookie(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private async read(res: Response): Promise<PageResult> {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      res,
      status: res.status,
      html: await res.text(),
      location: res.headers.get('location'),
    };
  }
}

/** The hidden fields of the form posting to `action` (the first such form). */
export function formFields(html: string, action: string): Record<string, string> {
  for (const form of html.matchAll(/<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (decode(form[1]) !== action) continue;
    const out: Record<string, string> = {};
    for (const m of form[2].matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
      out[decode(m[1])] = decode(m[2]);
    }
    return out;
  }
  throw new Error(`no form posting to ${action} in:\n${html.slice(0, 3000)}`);
}

/** Every form action on the page. */
export const formActions = (html: string): string[] =>
  [...html.matchAll(/<form\b[^>]*\baction="([^"]*)"/g)].map((m) => decode(m[1]));

/** The text of the page's `role="alert"` paragraph(s), tags stripped. */
export function alertText(html: string): string | null {
  const m = /<p class="(?:alert|warning)" role="alert">([\s\S]*?)<\/p>/.exec(html);
  return m ? decode(m[1].replace(/<[^>]*>/g, '')) : null;
}

/** The `role="status"` notice after a redirect. */
export function noticeText(html: string): string | null {
  const m = /<p class="notice" role="status">([\s\S]*?)<\/p>/.exec(html);
  return m ? decode(m[1]) : null;
}

/** `<option>` labels and values of the organization switcher. */
export function switcherOptions(
  html: string,
): Array<{ value: string; label: string; selected: boolean }> {
  const select = /<select id="switch-organization" name="organization">([\s\S]*?)<\/select>/.exec(
    html,
  );
  if (!select) return [];
  return [...select[1].matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)].map(
    (m) => ({ value: m[1], label: decode(m[3]), selected: m[2] !== undefined }),
  );
}

/** The new key on the "API key created" page. */
export function createdKey(html: string): string {
  const m = /id="new-key"[^>]*value="(ed_[0-9A-Za-z]{36})"/.exec(html);
  if (!m) throw new Error(`no key on the page:\n${html.slice(0, 3000)}`);
  return m[1];
}

export const PAGE_SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/**
 * The SDK client's OAuth flow against the app (401 → discovery → DCR → authorize → token), with
 * the sign-in and consent pages driven over HTTP forms as `email`. Returns the connected client and
 * its provider (tokens in `provider.savedTokens`).
 */
export async function connectWithOAuth(
  baseUrl: string,
  choice: { email: string; password: string; organization?: string; clientName?: string },
): Promise<{ client: Client; provider: TestOAuthProvider }> {
  const url = new URL(`${baseUrl}/mcp`);
  const provider = new TestOAuthProvider(undefined, {
    client_name: choice.clientName ?? 'E2E test client',
  });
  const first = new Client({ name: 'settings-e2e', version: '1.0.0' });
  try {
    await first.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    throw new Error('expected the first connection to need OAuth');
  } catch (err) {
    if (!(err instanceof UnauthorizedError)) throw err;
  }
  const redirect = await authorizeWithForms(provider.authorizationUrl!, choice);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect.toString()}`);
  await new StreamableHTTPClientTransport(url, { authProvider: provider }).finishAuth(code);
  const client = new Client({ name: 'settings-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return { client, provider };
}

/** The session's CSRF token as the page's forms carry it. */
export function csrfOf(html: string): string {
  const m = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}
