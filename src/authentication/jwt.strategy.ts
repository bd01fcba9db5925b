import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { IncomingHttpHeaders } from 'node:http';
import { Strategy } from 'passport';
import { AuthError } from 'src/auth/auth.errors';
import { BearerAuthService } from 'src/authentication/bearer-auth.service';
import { UserPrincipal } from 'src/auth/principal';

export const JWT_STRATEGY = 'jwt';

type Done = (err: unknown, user?: unknown) => void;

/**
 * A minimal Passport strategy for `Authorization: Bearer <JWT>`: the token is read from the header only
 * (never the query string or body) and handed to the verify callback (Nest's `validate`).
 */
export class BearerTokenStrategy extends Strategy {
  override name = JWT_STRATEGY;

  constructor(private readonly verifyToken: (token: string, done: Done) => void) {
    super();
  }

  override authenticate(req: { headers: IncomingHttpHeaders }): void {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^bearer +(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      this.error(
        new AuthError('invalid', 'The Authorization header must be "Bearer <access token>".'),
      );
      return;
    }
    this.verifyToken(match[1], (err, user) => {
      if (err)
        this.error(err instanceof Error ? err : new AuthError('invalid', 'Invalid access token'));
      else if (user) this.success(user);
      else this.error(new AuthError('invalid', 'Invalid access token'));
    });
  }
}

/** Passport strategy `jwt`: our ES256 `at+jwt` access tokens, then the live grant checks. */
@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy, JWT_STRATEGY) {
  constructor(private readonly bearer: BearerAuthService) {
    super();
  }

  validate(token: string): UserPrincipal | Promise<UserPrincipal> {
    return this.bearer.authenticate(token);
  }
}
