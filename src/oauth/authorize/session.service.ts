import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { randomToken, safeEqual, sha256Hex } from 'src/common/crypto';
import { APP_CONFIG, AppConfig } from 'src/config/app.config';
import {
  clearedSessionCookie,
  cookieValue,
  sessionSetCookie,
} from 'src/oauth/authorize/session-cookie';

/** A server-side browser session as callers see it (never the cookie value or its hash). */
export interface BrowserSession {
  /** auth_sessions.id: what interactions are bound to. Never sent to the browser. */
  id: string;
  /** Per-session CSRF token: every form of the session carries it. */
  csrfToken: string;
  /** The signed-in person; null when anonymous or when the account has been disabled. */
  user: { id: string; email: string; name: string } | null;
  /** The organization selected in the settings pages, if any. */
  organizationId: string | null;
}

/** Idle expiry: every use within this window extends the session. */
export const SESSION_IDLE_SECONDS = 12 * 3600;
/** Absolute cap from creation, however active the session. */
export const SESSION_ABSOLUTE_SECONDS = 7 * 86400;
/** Extend the idle expiry at most once a minute, not on every request. */
const TOUCH_AFTER_SECONDS = 60;
/** Expired sessions are purged at most this often (per process). */
const PURGE_EVERY_MS = 10 * 60_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

interface SessionRow {
  id: string;
  csrf_token: string;
  organization_id: string | null;
  user_id: string | null;
  email: string | null;
  name: string | null;
  disabled: boolean | null;
  stale: boolean;
}

/**
 * Browser sessions in `auth_sessions` (OWASP ASVS V3): the cookie holds 256 random bits, the
 * database only their SHA-256. Cookie `__Host-session` (Secure) when PUBLIC_URL is https, else
 * `session`; always HttpOnly, SameSite=Lax, Path=/, no Domain, no Max-Age (ends with the browser).
 * Signing in rotates the cookie value and the CSRF token, so a planted session id is worthless
 * (fixation).
 */
@Injectable()
export class SessionService {
  readonly cookieName: string;
  private lastPurge = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cookieName = config.oauth.secureCookies ? '__Host-session' : 'session';
  }

  /** The live session named by the request's cookie, or null (no cookie, unknown, expired). */
  async find(req: Pick<FastifyRequest, 'headers'>): Promise<BrowserSession | null> {
    const token = cookieValue(req.headers, this.cookieName);
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return null;
    const [row] = await this.dataSource.query<SessionRow[]>(
      `SELECT s.id, s.csrf_token, s.organization_id, s.user_id, u.email, u.name,
              u.disabled_at IS NOT NULL AS disabled,
              s.last_seen_at < now() - make_interval(secs => ${TOUCH_AFTER_SECONDS}) AS stale
         FROM auth_sessions s LEFT JOIN users u ON u.id = s.user_id
        WHERE s.session_hash = $1 AND s.expires_at > now()`,
      [sha256Hex(token)],
    );
    if (!row) return null;
    if (row.stale) {
      await this.dataSource.query(
        `UPDATE auth_sessions SET last_seen_at = now(), expires_at = ${this.expirySql()} WHERE id = $1`,
        [row.id],
      );
    }
    const user =
      row.user_id && row.email && row.disabled === false
        ? { id: row.user_id, email: row.email, name: row.name ?? '' }
        : null;
    return { id: row.id, csrfToken: row.csrf_token, user, organizationId: row.organization_id };
  }

  /** The request's session, or a new anonymous one (its cookie set on `reply`). */
  async findOrCreate(req: FastifyRequest, reply: FastifyReply): Promise<BrowserSession> {
    return (await this.find(req)) ?? this.create(reply);
  }

  /** Starts an anonymous session and sets its cookie. */
  async create(reply: FastifyReply): Promise<BrowserSession> {
    await this.purgeExpiredNowAndThen();
    const token = randomToken();
    const csrfToken = randomToken();
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO auth_sessions (session_hash, csrf_token, last_seen_at, expires_at)
       VALUES ($1, $2, now(), now() + make_interval(secs => ${SESSION_IDLE_SECONDS}))
       RETURNING id`,
      [sha256Hex(token), csrfToken],
    );
    this.setCookie(reply, token);
    return { id: row.id, csrfToken, user: null, organizationId: null };
  }

  /**
   * Signs `userId` in: new cookie value and new CSRF token for the same session row (so interactions
   * bound to it survive), idle expiry restarted. The old cookie value stops working at once.
   */
  async signIn(
    session: BrowserSession,
    user: { id: string; email: string; name: string },
    reply: FastifyReply,
  ): Promise<BrowserSession> {
    const token = randomToken();
    const csrfToken = randomToken();
    await this.dataSource.query(
      `UPDATE auth_sessions
          SET session_hash = $2, csrf_token = $3, user_id = $4,
              organization_id = CASE WHEN user_id = $4 THEN organization_id END,
              last_seen_at = now(), expires_at = ${this.expirySql()}
        WHERE id = $1`,
      [session.id, sha256Hex(token), csrfToken, user.id],
    );
    this.setCookie(reply, token);
    const sameUser = session.user?.id === user.id;
    return {
      id: session.id,
      csrfToken,
      user,
      organizationId: sameUser ? session.organizationId : null,
    };
  }

  /**
   * Records the organization the signed-in person works in (the settings pages' switcher; the
   * caller checks it is one of theirs). A session that is not signed in keeps none.
   */
  async selectOrganization(session: BrowserSession, organizationId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_sessions SET organization_id = $2 WHERE id = $1 AND user_id IS NOT NULL`,
      [session.id, organizationId],
    );
  }

  /** Ends the session (and every interaction bound to it) and clears the cookie. */
  async signOut(session: BrowserSession, reply: FastifyReply): Promise<void> {
    await this.dataSource.query(`DELETE FROM auth_sessions WHERE id = $1`, [session.id]);
    this.putCookie(reply, clearedSessionCookie(this.cookieName, this.cookieOptions()));
  }

  /** Constant-time comparison of a posted CSRF token with the session's. */
  verifyCsrf(session: BrowserSession | null, token: unknown): boolean {
    return (
      session !== null &&
      typeof token === 'string' &&
      token.length > 0 &&
      safeEqual(session.csrfToken, token)
    );
  }

  private setCookie(reply: FastifyReply, token: string): void {
    this.putCookie(reply, sessionSetCookie(this.cookieName, token, this.cookieOptions()));
  }

  /** One `Set-Cookie` for the session per response: a later one (sign-in after create) replaces it. */
  private putCookie(reply: FastifyReply, setCookie: string): void {
    const prefix = `${this.cookieName}=`;
    const current = reply.getHeader('set-cookie');
    const others = (Array.isArray(current) ? current : current ? [String(current)] : []).filter(
      (c) => !c.startsWith(prefix),
    );
    void reply.removeHeader('set-cookie');
    void reply.header('set-cookie', others.length ? [...others, setCookie] : setCookie);
  }

  private cookieOptions() {
    return { secure: this.config.oauth.secureCookies };
  }

  /** Idle expiry, capped by the absolute lifetime counted from creation. */
  private expirySql(): string {
    return `LEAST(now() + make_interval(secs => ${SESSION_IDLE_SECONDS}),
                  created_at + make_interval(secs => ${SESSION_ABSOLUTE_SECONDS}))`;
  }

  private async purgeExpiredNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    // Interactions go with their session (ON DELETE CASCADE); finished ones are kept a day.
    await this.dataSource.query(`DELETE FROM auth_sessions WHERE expires_at < now()`);
    await this.dataSource.query(
      `DELETE FROM oauth_interactions WHERE expires_at < now() - interval '1 day'`,
    );
  }
}
