import { Injectable } from '@nestjs/common';
import { AuditEventType } from 'src/audit/audit-event.types';
import { AuditService } from 'src/audit/audit.service';
import { LoginThrottle } from 'src/oauth/authorize/login-throttle';
import { UserDto } from 'src/users/dto/user.dto';
import { UsersService } from 'src/users/users.service';

/** One message for an unknown email, a wrong password and a disabled account (no enumeration). */
export const SIGN_IN_FAILED = 'The email address or password is incorrect.';
const MAX_PASSWORD = 512;

/** Which form the person signed in with, recorded as `details.via` of the audit events. */
export type SignInVia = 'oauth' | 'settings';

export type CredentialCheck =
  | { ok: true; user: UserDto }
  | { ok: false; status: 400 | 401 | 429; error: string; retryAfterSeconds?: number };

/**
 * The password check behind every sign-in form (the OAuth authorization page and the settings
 * pages), so both answer, throttle and audit alike: one LoginThrottle whose counters both forms
 * share (OWASP ASVS V2.2.1), one message for every wrong credential, and `auth.sign_in.*` audit
 * events. The form itself (CSRF, session, page) stays with its caller.
 */
@Injectable()
export class PasswordSignInService {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {}

  async check(
    email: string,
    password: string,
    ip: string,
    via: SignInVia,
  ): Promise<CredentialCheck> {
    if (!email || !password) {
      return { ok: false, status: 400, error: 'Enter your email address and password.' };
    }
    const wait = await this.throttle.retryAfterSeconds(email, ip);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      const unit = minutes === 1 ? 'minute' : 'minutes';
      const error = `Too many failed sign-in attempts. Try again in ${minutes} ${unit}.`;
      return { ok: false, status: 429, error, retryAfterSeconds: wait };
    }
    // An absurdly long password is a failed attempt without spending argon2 time on it.
    const user =
      password.length <= MAX_PASSWORD ? await this.users.authenticate(email, password) : null;
    if (!user) {
      await this.throttle.recordFailure(email, ip);
      this.audit.record({ type: AuditEventType.SignInFailed, details: { via } });
      return { ok: false, status: 401, error: SIGN_IN_FAILED };
    }
    this.throttle.recordSuccess(email, ip);
    this.audit.record({
      type: AuditEventType.SignInSucceeded,
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      details: { via },
    });
    return { ok: true, user };
  }
}
