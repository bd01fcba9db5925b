/**
 * Drives the sign-in and consent pages with plain HTTP, like a browser without JavaScript: keeps the
 * session cookie, reads each page's form (action and hidden fields) and posts it. Returns the final
 * redirect to the client (`redirect_uri?code=…` or `?error=…`). Used where a real browser is not
 * needed; the browser tests drive the same pages in Chromium.
 */
export interface ConsentChoice {
  email: string;
  password: string;
  /** Organization name to pick when the page offers a chooser. */
  organization?: string;
  /** Grant write (default) or read only. */
  write?: boolean;
  action?: 'allow' | 'deny';
}

interface Form {
  action: string;
  fields: Record<string, string>;
  selectOptions: Array<{ value: string; label: string }>;
}

const decode = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return m ? decode(m[1]) : undefined;
};

export function parseForm(html: string): Form {
  const form = /<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no POST form in page:\n${html.slice(0, 2000)}`);
  const action = attr(form[0].slice(0, form[0].indexOf('>') + 1), 'action') ?? '';
  const fields: Record<string, string> = {};
  for (const m of form[1].matchAll(/<input\b[^>]*>/gi)) {
    if (attr(m[0], 'type') === 'hidden') {
      const name = attr(m[0], 'name');
      if (name) fields[name] = attr(m[0], 'value') ?? '';
    }
  }
  const selectOptions = [
    ...form[1].matchAll(/<option\b[^>]*value="([^"]*)"[^>]*>([\s\S]*?)<\/option>/gi),
  ].map((m) => ({ value: decode(m[1]), label: decode(m[2].trim()) }));
  return { action, fields, selectOptions };
}

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.store(res);
  return res;
}

/** Follows same-origin redirects (the pages' own), stops at a redirect elsewhere or a page. */
async function follow(jar: CookieJar, origin: string, res: Response): Promise<Response | URL> {
  let current = res;
  for (let i = 0; i < 5 && current.status >= 300 && current.status < 400; i++) {
    const location = new URL(current.headers.get('location') ?? '', origin);
    if (location.origin !== origin) return location;
    current = await request(jar, location.toString());
  }
  return current;
}

export async function authorizeWithForms(
  authorizationUrl: URL | string,
  choice: ConsentChoice,
): Promise<URL> {
  const url = new URL(authorizationUrl.toString());
  const origin = url.origin;
  const jar = new CookieJar();
  let page = await follow(jar, origin, await request(jar, url.toString()));
  if (page instanceof URL) return page;
  if (page.status !== 200)
    throw new Error(`authorize answered ${page.status}: ${await page.text()}`);
  let html = await page.text();
  if (/name="password"/.test(html)) {
    const login = parseForm(html);
    const res = await request(jar, new URL(login.action, origin).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...login.fields,
        email: choice.email,
        password: choice.password,
      }).toString(),
    });
    page = await follow(jar, origin, res);
    if (page instanceof URL) return page;
    html = await page.text();
    if (/name="password"/.test(html)) throw new Error('sign-in failed');
  }
  const consent = parseForm(html);
  const body = new URLSearchParams(consent.fields);
  if (consent.selectOptions.length > 0) {
    const pick = choice.organization
      ? consent.selectOptions.find((o) => o.label === choice.organization)
      : consent.selectOptions[0];
    if (!pick) throw new Error(`organization ${choice.organization} not offered`);
    body.set('organization', pick.value);
  }
  if (choice.write !== false && /name="permission" value="write"/.test(html))
    body.append('permission', 'write');
  body.set('action', choice.action ?? 'allow');
  const res = await request(jar, new URL(consent.action, origin).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const end = await follow(jar, origin, res);
  if (end instanceof URL) return end;
  throw new Error(`consent ended on a page (${end.status}): ${(await end.text()).slice(0, 1000)}`);
}
