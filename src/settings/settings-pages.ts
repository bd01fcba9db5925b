import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import { basePathOf } from 'src/oauth/authorize/authorize-pages';
import { contentSecurityPolicy } from 'src/oauth/authorize/page-response';

/**
 * Headers of every settings page, error pages included: anti-framing twice (clickjacking), no
 * caching, no sniffing, a CSP that allows our stylesheet and form posts only (plus our script on
 * the page that needs it). `same-origin` rather than `no-referrer`: form posts must carry `Origin`.
 */
const PAGE_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
};

export const settingsCsp = (script: boolean): string =>
  script ? `${contentSecurityPolicy()}; script-src 'self'` : contentSecurityPolicy();

@Injectable()
export class SettingsPages {
  /** The path part of PUBLIC_URL ('' at the root): links, forms and redirects carry it. */
  readonly basePath: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.basePath = basePathOf(config.publicUrl);
  }

  html(
    reply: FastifyReply,
    status: number,
    body: string,
    options: { script?: boolean; retryAfterSeconds?: number } = {},
  ): void {
    for (const [k, v] of Object.entries(PAGE_HEADERS)) void reply.header(k, v);
    void reply.header('content-security-policy', settingsCsp(options.script ?? false));
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
