import { Injectable } from '@nestjs/common';
import { AuditEventType } from 'src/audit/audit-event.types';
import { AuditService } from 'src/audit/audit.service';
import { LoginThrottle } from 'src/oauth/authorize/login-throttle';
import { SIGN_IN_FAILED } from 'src/oauth/authorize/sign-in.service';
import { RateLimitedError, RateLimitService } from 'src/rate-limit/rate-limit.service';
import { UserDto } from 'src/users/dto/user.dto';
import { UsersService } from 'src/users/users.service';

const MAX_PASSWORD = 512;

export type CredentialCheck =
  | { ok: true; user: UserDto }
  | { ok: false; status: 400 | 401 | 429; error: string; retryAfterSeconds?: number };

/**
 * The settings sign-in's password check, throttled exactly like the OAuth sign-in (OWASP
 * ASVS V2.2.1): the same per-process LoginThrottle and the same shared-store counters (`login_*`
 * policies), so failures on either form count against both; one message for every failure;
 * audited as `auth.sign_in.*` with `via: settings`. (SignInService keeps this logic private to the
 * OAuth flow; it should move to one shared service.)
 */
@Injectable()
export class SettingsCredentials {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
  ) {}

  async check(email: string, password: string, ip: string): Promise<CredentialCheck> {
    if (!email || !password) {
      return { ok: false, status: 400, error: 'Enter your email address and password.' };
    }
    const wait = Math.max(
      this.throttle.retryAfterSeconds(email, ip),
      await this.sharedWait(email, ip),
    );
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
      this.throttle.recordFailure(email, ip);
      await this.recordSharedFailure(email, ip);
      this.audit.record({ type: AuditEventType.SignInFailed, details: { via: 'settings' } });
      return { ok: false, status: 401, error: SIGN_IN_FAILED };
    }
    this.throttle.recordSuccess(email, ip);
    this.audit.record({
      type: AuditEventType.SignInSucceeded,
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      details: { via: 'settings' },
    });
    return { ok: true, user };
  }

  private async sharedWait(email: string, ip: string): Promise<number> {
    const account = email.trim().toLowerCase();
    try {
      await this.limits.assertNotBlocked('login_account', `${account}|${ip}`);
      await this.limits.assertNotBlocked('login_ip', ip);
      await this.limits.assertNotBlocked('login_account_hour', account);
      return 0;
    } catch (err) {
      if (err instanceof RateLimitedError) return err.retryAfterSeconds;
      throw err;
    }
  }

  private async recordSharedFailure(email: string, ip: string): Promise<void> {
    const account = email.trim().toLowerCase();
    await this.limits.recordFailure('login_account', `${account}|${ip}`);
    await this.limits.recordFailure('login_ip', ip);
    await this.limits.recordFailure('login_account_hour', account);
  }
}
