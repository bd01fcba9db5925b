import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { basePathOf } from 'src/oauth/authorize/authorize-pages';
import { contentSecurityPolicy } from 'src/oauth/authorize/page-response';
import { loadsSettingsScript } from 'src/settings/views/settings-layout';

/**
 * Headers of every settings page, error pages included: anti-framing twice (clickjacking), no
 * caching, no sniffing, a CSP that allows our stylesheet and form posts only (plus our script on
 * the pages that load it: the page's own markup says so). `same-origin` rather than `no-referrer`: form posts must carry `Origin`.
 */
const PAGE_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export const settingsCsp = (script: boolean): string =>
  script ? `${contentSecurityPolicy()}; script-src 'self'` : contentSecurityPolicy();

@Injectable()
export class SettingsPages {
  /** The path part of PUBLIC_URL ('' at the root): links, forms and redirects carry it. */
  readonly basePath: string;
  private readonly publicUrl: URL;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.basePath = basePathOf(config.publicUrl);
    this.publicUrl = new URL(config.publicUrl);
  }

  /**
   * The same page on PUBLIC_URL when it was opened under another loopback name on the same port
   * (`127.0.0.1:3000` for `localhost:3000`): the session cookie is per host name and posts must
   * carry PUBLIC_URL's `Origin`, so a sign-in there could only end in "This form has expired".
   * Other hosts (a reverse proxy's) are left alone: no redirect loop.
   */
  canonicalLocation(req: FastifyRequest): string | null {
    const own = this.publicUrl;
    if (own.protocol !== 'http:' || !LOOPBACK_NAMES.has(own.hostname)) return null;
    let seen: URL;
    try {
      seen = new URL(`http://${req.headers.host ?? ''}`);
    } catch {
      return null;
    }
    const other = LOOPBACK_NAMES.has(seen.hostname) && seen.hostname !== own.hostname;
    return other && seen.port === own.port ? `${own.origin}${this.basePath}${req.url}` : null;
  }

  html(
    reply: FastifyReply,
    status: number,
    body: string,
    options: { script?: boolean; retryAfterSeconds?: number } = {},
  ): void {
    for (const [k, v] of Object.entries(PAGE_HEADERS)) void reply.header(k, v);
    const script = options.script ?? loadsSettingsScript(body);
    void reply.header('content-security-policy', settingsCsp(script));
    if (options.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(options.retryAfterSeconds));
    }
    void reply.status(status).type('text/html; charset=utf-8').send(body);
  }

  /** 303 See Other to one of our pages (an app path such as `/settings/api-keys`). */
  seeOther(reply: FastifyReply, appPath: string): void {
    for (const [k, v] of Object.entries(PAGE_HEADERS)) void reply.header(k, v);
    void reply.redirect(`${this.basePath}${appPath}`, 303);
  }

  /** Not signed in: to the sign-in page, which comes back here afterwards. */
  toSignIn(reply: FastifyReply, req: FastifyRequest): void {
    const back = req.url.startsWith('/settings/') ? req.url : '/settings/api-keys';
    this.seeOther(reply, `/settings/sign-in?return_to=${encodeURIComponent(back)}`);
  }
}
