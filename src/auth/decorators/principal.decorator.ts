import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from 'src/auth/authenticated-request';
import type { RequestPrincipal } from 'src/auth/principal';

/** The authenticated principal the global guard put on the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): RequestPrincipal => {
    const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
    return principal;
  },
);
