import type autocannon from 'autocannon';
import { refreshBody } from './oauth';

interface Link {
  clientId: string;
  refreshToken: string;
}

/**
 * Refresh tokens rotate: each one is good for a single use (after that its successor must be used,
 * or the grant is revoked as a replay). So the token scenario keeps one chain per client — each its
 * own grant, so no two requests in flight wait on the same grant's row lock — and feeds the refresh
 * token of every answer back into the queue. Each request takes the oldest token waiting; with more
 * chains than connections the queue never runs dry. A chain ends when its request fails, or when
 * autocannon stops with the request in flight (its answer, the next token, is never read).
 */
export class RefreshChains {
  private readonly queue: Link[];
  /** Requests sent while no token was waiting (sent with an invalid token: they fail). */
  starved = 0;
  /** Answers that were not a new token pair. */
  failed = 0;

  constructor(initial: Link[]) {
    this.queue = [...initial];
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** autocannon's `requests`: one request, rebuilt for every send. */
  requests(): autocannon.Request[] {
    return [
      {
        method: 'POST',
        path: '/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req, context) => {
          const link = this.queue.shift();
          const ctx = context as { link?: Link };
          ctx.link = link;
          if (!link) this.starved++;
          return {
            ...req,
            body: link ? refreshBody(link.clientId, link.refreshToken) : refreshBody('none', 'x'),
          };
        },
        onResponse: (status, body, context) => {
          const link = (context as { link?: Link }).link;
          if (!link) return;
          const next = status === 200 ? /"refresh_token":"([^"]+)"/.exec(body)?.[1] : undefined;
          if (next) this.queue.push({ clientId: link.clientId, refreshToken: next });
          else this.failed++;
        },
      },
    ];
  }

  static verifyBody(this: void, body: string | Buffer | undefined): boolean {
    const text = String(body ?? '');
    return text.includes('"access_token"') && text.includes('"refresh_token"');
  }
}
